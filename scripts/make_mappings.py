#!/usr/bin/env python3
"""Generate data/mappings/sherloc.sssom.tsv, the SHERLOC link set, from the built graph.

SHERLOC documents no identifiers, only addresses; data/reference/checked/sherloc.md lists the
forms seen in public material, and no others may be used. The rows:

- the theme "trafficking in persons" -> the case-law database index: the cases are classed by
  crime type, but no address of the cases under one crime type is documented;
- every recommendation that names the SHERLOC database (tip:namesDatabase) -> that database's
  own page (its foaf:page in data/reference/organizations.ttl, the SHERLOC portal);
- every State of the reports (participant, or on behalf of whom a person took part) ->
  sssom:NoTermFound: sherloc.md gives per-document forms only (one case, one provision) and no
  per-State page of the legislation or case-law database, so no State page can be checked.

The States and recommendations are read from the graph, so a new report with new States changes
the table: rerun after adding a source (tests fail until then).

Exit status: 0 written (or, with --check, up to date); 1 --check found the file stale;
2 the build failed or the SHERLOC database is missing from the reference data.

Usage: make_mappings.py [--dist DIR] [--output PATH] [--check]
  --dist DIR   read an existing build (default: build data/sources into a temporary directory)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from tipkg import iris
from tipkg.build import build, default_sources
from tipkg.links import (
    MAPPINGS_DIR,
    SHERLOC_CASE_LAW_INDEX,
    SHERLOC_PORTAL,
    built_graph,
    label,
)
from tipkg.links import report_states as states_of_reports
from tipkg.vocab import TIP

OUTPUT = MAPPINGS_DIR / "sherloc.sssom.tsv"
SHERLOC_BASE = "https://sherloc.unodc.org/cld/"
PREFIXES = {
    "rdfs": str(RDFS),
    "semapv": "https://w3id.org/semapv/vocab/",
    "sherloc": SHERLOC_BASE,
    "sssom": "https://w3id.org/sssom/",
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
    "Generated from the built graph: the SHERLOC pages of the themes, recommendations and States "
    "of the reports, by the address forms of data/reference/checked/sherloc.md and no others. "
    "SHERLOC addresses are locators, not identifiers: rdfs:seeAlso, never owl:sameAs. "
    "sherloc.md documents no per-State page of the legislation or case-law database (only the "
    "address of one case or one provision, and the two database indexes), so every State of the "
    "reports has a row with object sssom:NoTermFound, which compiles to no link."
)
NO_STATE_PAGE = (
    "State of the reports (a participant, or the State a participant came from or represented). "
    "No link: "
    "data/reference/checked/sherloc.md documents no per-State address in SHERLOC's legislation "
    "or case-law database (only single cases and provisions, and the database indexes), and an "
    "address that cannot be checked stays out."
)
THEME_CASE_LAW = (
    "SHERLOC's case-law database, whose cases are classed by crime type (trafficking in persons "
    "among them). No address of the cases under one crime type is documented, so the link is to "
    "the database index (data/reference/checked/sherloc.md)."
)
RECOMMENDATION_DATABASE = (
    "The recommendation names the SHERLOC database (tip:namesDatabase {database}); the link is "
    "that database's own page (its foaf:page), the SHERLOC portal."
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


def rows(data: Graph) -> list[tuple[str, ...]]:
    sherloc = iris.database("sherloc")
    if (sherloc, RDF.type, TIP.Database) not in data:
        raise MissingReference(f"{sherloc} is not in the reference data")
    pages = sorted(data.objects(sherloc, FOAF.page), key=str)
    if [str(page) for page in pages] != [SHERLOC_PORTAL]:
        raise MissingReference(f"{sherloc}: foaf:page should be the portal, {SHERLOC_PORTAL}")
    portal = pages[0]
    theme = iris.theme("trafficking-in-persons")
    table: list[tuple[str, ...]] = [
        (
            _curie(theme),
            label(data, theme, "en"),
            "rdfs:seeAlso",
            _curie(URIRef(SHERLOC_CASE_LAW_INDEX)),
            "SHERLOC case law database",
            "semapv:ManualMappingCuration",
            "",
            THEME_CASE_LAW,
        )
    ]
    for rec in sorted(data.subjects(TIP.namesDatabase, sherloc), key=str):
        table.append(
            (
                _curie(rec),
                label(data, rec, "en"),
                "rdfs:seeAlso",
                _curie(portal),
                "SHERLOC portal",
                "semapv:ManualMappingCuration",
                "",
                RECOMMENDATION_DATABASE.format(database=f"<{sherloc}>"),
            )
        )
    for state in states_of_reports(data):
        table.append(
            (
                _curie(state),
                label(data, state, "en"),
                "rdfs:seeAlso",
                "sssom:NoTermFound",
                "",
                "semapv:ManualMappingCuration",
                "",
                NO_STATE_PAGE,
            )
        )
    return sorted(table)


def render(data: Graph) -> str:
    lines = [
        "## Generated by scripts/make_mappings.py from the built graph — do not edit.",
        "#curie_map:",
    ]
    lines += [f"#  {name}: {namespace}" for name, namespace in sorted(PREFIXES.items())]
    lines += [
        "#mapping_set_id: https://w3id.org/tipkg/mappings/sherloc.sssom.tsv",
        '#mapping_set_title: "tipkg to SHERLOC (UNODC): pages of themes, recommendations, States"',
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
