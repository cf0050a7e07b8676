#!/usr/bin/env python3
"""Generate data/mappings/sherloc.sssom.tsv, the SHERLOC link set, from the built graph.

SHERLOC documents no identifiers, only addresses; data/reference/checked/sherloc.md lists the
forms seen in public material, and no others may be used. The rows:

- the theme "trafficking in persons" -> the Human Trafficking Knowledge Portal;
- the SHERLOC database -> the portal's home; its case-law and legislation databases -> their
  indexes; every recommendation that names SHERLOC (tip:namesDatabase) -> that database's own
  page (its foaf:page);
- every State of the reference data -> its legislation search and its trafficking case-law
  search (Human Trafficking Knowledge Portal), filtered on SHERLOC's English label of the
  State, the JSON of the fragment percent-encoded (tipkg.links.StateSearch). sherloc.md shows
  SHERLOC using the UN English short names; the label is taken as known where sherloc.md shows
  it ("Argentina", "United States of America") or where the State's UN short name (its
  rdfs:label), ISO 3166-1's short name and its common names (pycountry's common_name,
  country_converter's name_short) are one and the same. Where they differ, SHERLOC's label
  cannot be known without looking, and the State has one row with object sssom:NoTermFound
  that names the names.

The States and recommendations are read from the graph, so new reference data or a new report
changes the table: rerun after adding either (tests fail until then).

Exit status: 0 written (or, with --check, up to date); 1 --check found the file stale;
2 the build failed or the SHERLOC database is missing from the reference data.

Usage: make_mappings.py [--dist DIR] [--output PATH] [--check]
  --dist DIR   read an existing build (default: build data/sources into a temporary directory)
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.resources
import sys
import tempfile
from pathlib import Path

import pycountry
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from tipkg import iris
from tipkg.build import build, default_sources
from tipkg.links import MAPPINGS_DIR, built_graph, label
from tipkg.locators import (
    SHERLOC_CASE_LAW_INDEX,
    SHERLOC_HOME,
    SHERLOC_HTKP,
    SHERLOC_LABELS_SEEN,
    SHERLOC_LEGISLATION_INDEX,
    SHERLOC_STATE_SEARCHES,
)
from tipkg.vocab import TIP

OUTPUT = MAPPINGS_DIR / "sherloc.sssom.tsv"
SHERLOC_BASE = "https://sherloc.unodc.org/cld/"
PREFIXES = {
    "rdfs": str(RDFS),
    "semapv": "https://w3id.org/semapv/vocab/",
    "sherloc": SHERLOC_BASE,
    "sssom": "https://w3id.org/sssom/",
    "tipdb": str(iris.ID) + "database/",
    "tiprec": str(iris.ID) + "recommendation/",
    "tipstate": str(iris.ID) + "state/",
    "tiptheme": str(iris.DEF) + "theme/",
}
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
)
DESCRIPTION = (
    "Generated from the built graph: the SHERLOC pages of the themes, databases, "
    "recommendations and States, by the address forms of data/reference/checked/sherloc.md and "
    "no others. SHERLOC addresses are locators, not identifiers: rdfs:seeAlso, never owl:sameAs. "
    "Every State has its legislation search and its trafficking case-law search (Human "
    "Trafficking Knowledge Portal), filtered on SHERLOC's English label of the State, the "
    "fragment's JSON percent-encoded; or, where that label cannot be known (the State's UN, ISO "
    "and common names differ), one row with object sssom:NoTermFound that says why, which "
    "compiles to no link."
)
STATE_SEARCH = (
    "SHERLOC's {kind} search of one State, the form of data/reference/checked/sherloc.md (Per "
    "State) with “{value}” as the filter's value, the fragment percent-encoded. {why}"
)
LABEL_SEEN = "sherloc.md shows SHERLOC using this label."
LABEL_AGREED = (
    "sherloc.md shows SHERLOC using the UN English short names, and this State's UN short name, "
    "ISO 3166-1 short name and common name are the same."
)
NO_LABEL = (
    "No link: SHERLOC's English label for this State cannot be known without looking, since its "
    "names differ: {names}. sherloc.md shows SHERLOC using UN short names but only for "
    "Argentina and the United States of America, and a search on a label SHERLOC does not use "
    "would find nothing."
)
THEME_PORTAL = (
    "The Human Trafficking Knowledge Portal: case law, legislation and bibliography on "
    "trafficking in persons, powered by SHERLOC (data/reference/checked/sherloc.md)."
)
DATABASE_PAGES = {
    "sherloc": (SHERLOC_HOME, "SHERLOC portal", "The portal's home page."),
    "sherloc-case-law": (
        SHERLOC_CASE_LAW_INDEX,
        "SHERLOC case law database",
        "The case-law database's index.",
    ),
    "sherloc-legislation": (
        SHERLOC_LEGISLATION_INDEX,
        "SHERLOC legislation database",
        "The legislation database's index.",
    ),
}
RECOMMENDATION_DATABASE = (
    "The recommendation names the SHERLOC database (tip:namesDatabase {database}); the link is "
    "that database's own page (its foaf:page), the portal's home."
)


class MissingReference(Exception):
    """The reference data lacks what the table is built from."""


def _curie(iri: Node) -> str:
    text = str(iri)
    best = max(
        (name for name, namespace in PREFIXES.items() if text.startswith(namespace)),
        key=lambda name: len(PREFIXES[name]),
        default=None,
    )
    if best is None:
        raise MissingReference(f"no prefix for {text}")
    return f"{best}:{text[len(PREFIXES[best]) :]}"


def common_names() -> dict[str, tuple[str, str, list[str]]]:
    """alpha-3 -> (ISO 3166-1 short name, its source, common names), offline."""
    table = importlib.resources.files("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        short = {row["ISO3"]: row["name_short"] for row in csv.DictReader(handle, delimiter="\t")}
    names: dict[str, tuple[str, str, list[str]]] = {}
    for country in pycountry.countries:
        code = str(country.alpha_3)
        common = [str(getattr(country, "common_name", "") or ""), short.get(code, "")]
        names[code] = (str(country.name), "pycountry", [name for name in common if name])
    return names


def state_rows(data: Graph) -> list[tuple[str, ...]]:
    others = common_names()
    table: list[tuple[str, ...]] = []
    states = sorted(s for s in data.subjects(RDF.type, TIP.State) if isinstance(s, URIRef))
    for state in states:
        code = str(data.value(state, TIP.iso3166Alpha3))
        un_name = label(data, state, "en")
        iso_name, _, common = others.get(code, ("", "", []))
        if un_name in SHERLOC_LABELS_SEEN:
            why = LABEL_SEEN
        elif {un_name, iso_name, *common} == {un_name}:
            why = LABEL_AGREED
        else:
            named = [f"UN short name “{un_name}” (its label)"]
            named.append(f"ISO 3166-1 “{iso_name}”" if iso_name else "no ISO 3166-1 name")
            named += [f"common name “{name}”" for name in dict.fromkeys(common)]
            table.append(
                (
                    _curie(state),
                    un_name,
                    "rdfs:seeAlso",
                    "sssom:NoTermFound",
                    "",
                    "semapv:ManualMappingCuration",
                    "",
                    NO_LABEL.format(names=", ".join(named)),
                )
            )
            continue
        for search in SHERLOC_STATE_SEARCHES:
            table.append(
                (
                    _curie(state),
                    un_name,
                    "rdfs:seeAlso",
                    _curie(URIRef(search.locator(un_name))),
                    search.name_en.format(state=un_name),
                    "semapv:ManualMappingCuration",
                    "",
                    STATE_SEARCH.format(kind=search.kind, value=un_name, why=why),
                )
            )
    return table


def rows(data: Graph) -> list[tuple[str, ...]]:
    table: list[tuple[str, ...]] = []
    for key, (page, name, comment) in DATABASE_PAGES.items():
        database = iris.database(key)
        if (database, RDF.type, TIP.Database) not in data:
            raise MissingReference(f"{database} is not in the reference data")
        pages = [str(p) for p in data.objects(database, FOAF.page)]
        if pages != [page]:
            raise MissingReference(f"{database}: foaf:page should be {page}, not {pages}")
        table.append(
            (
                _curie(database),
                label(data, database, "en"),
                "rdfs:seeAlso",
                _curie(URIRef(page)),
                name,
                "semapv:ManualMappingCuration",
                "",
                comment + " (data/reference/checked/sherloc.md)",
            )
        )
    theme = iris.theme("trafficking-in-persons")
    table.append(
        (
            _curie(theme),
            label(data, theme, "en"),
            "rdfs:seeAlso",
            _curie(URIRef(SHERLOC_HTKP)),
            "Human Trafficking Knowledge Portal (SHERLOC)",
            "semapv:ManualMappingCuration",
            "",
            THEME_PORTAL,
        )
    )
    sherloc = iris.database("sherloc")
    for rec in sorted(data.subjects(TIP.namesDatabase, sherloc), key=str):
        table.append(
            (
                _curie(rec),
                label(data, rec, "en"),
                "rdfs:seeAlso",
                _curie(URIRef(SHERLOC_HOME)),
                "SHERLOC portal",
                "semapv:ManualMappingCuration",
                "",
                RECOMMENDATION_DATABASE.format(database=f"<{sherloc}>"),
            )
        )
    table += state_rows(data)
    return sorted(table)


def render(data: Graph) -> str:
    lines = [
        "## Generated by scripts/make_mappings.py from the built graph, pycountry "
        f"{importlib.metadata.version('pycountry')} and country_converter "
        f"{importlib.metadata.version('country_converter')} — do not edit.",
        "#curie_map:",
    ]
    lines += [f"#  {name}: {namespace}" for name, namespace in sorted(PREFIXES.items())]
    lines += [
        "#mapping_set_id: https://w3id.org/tipkg/mappings/sherloc.sssom.tsv",
        '#mapping_set_title: "tipkg to SHERLOC (UNODC): pages of themes, databases, '
        'recommendations, States"',
        f'#mapping_set_description: "{DESCRIPTION}"',
        "#license: https://creativecommons.org/licenses/by/4.0/",
        "#creator_label: tipkg developers",
        "#subject_source: https://w3id.org/tipkg/",
        "#object_source: https://sherloc.unodc.org/",
        "#mapping_tool: scripts/make_mappings.py",
        "\t".join(COLUMNS),
    ]
    lines += ["\t".join(row) for row in rows(data)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--dist", type=Path, help="an existing build directory to read")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    try:
        if args.dist is not None:
            data = built_graph(args.dist)
        else:
            with tempfile.TemporaryDirectory(prefix="tipkg-mappings-") as tmp:
                out = Path(tmp) / "dist"
                build(default_sources(), out)
                data = built_graph(out)
        text = render(data)
    except Exception as err:  # a failed build or missing reference data: say which, exit 2
        print(f"make_mappings: {err}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run scripts/make_mappings.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
