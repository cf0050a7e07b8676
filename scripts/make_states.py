#!/usr/bin/env python3
"""Generate data/reference/states.ttl: the 193 UN Member States and the two observer States.

Inputs, all offline:
- pycountry: ISO 3166-1 codes and English names, French names from its iso3166-1 translations;
- country_converter's packaged country_data.tsv: the UNmember column (year of admission) says
  which countries are UN Member States (its Python API is not used: it breaks with pandas 3);
- data/reference/un-names.tsv: the UN short names, where they differ from ISO's;
- data/reference/former-names.tsv: former UN short names ("Turkey" until 2022), as altLabels;
- data/reference/checked/wikidata.tsv: Wikidata items of States (rows of kind ``state``).

Each State gets tip:iso3166Alpha2, tip:iso3166Alpha3, tip:m49 (the ISO numeric code, which
equals M49 for countries), rdfs:label in en and fr (the UN short name, else ISO's name) and
skos:altLabel for ISO's names and the natural-order forms of parenthesised UN names.

Usage: make_states.py [--output PATH]   (default: data/reference/states.ttl)
"""

from __future__ import annotations

import argparse
import csv
import gettext
import importlib.metadata
import importlib.resources
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace

from tipkg import iris
from tipkg.paths import REFERENCE_DIR
from tipkg.rdf.turtle import canonical_turtle

TIP = Namespace(str(iris.DEF))
OBSERVER_STATES = ("VAT", "PSE")  # Holy See, State of Palestine
UN_NAMES = REFERENCE_DIR / "un-names.tsv"
FORMER_NAMES = REFERENCE_DIR / "former-names.tsv"
WIKIDATA = REFERENCE_DIR / "checked" / "wikidata.tsv"
OUTPUT = REFERENCE_DIR / "states.ttl"


@dataclass
class Names:
    label: str
    alt: list[str] = field(default_factory=list)


def typographic(text: str) -> str:
    """French names: the typographic apostrophe, as UN documents write them."""
    return text.replace("'", "\u2019")


def natural_order(name: str) -> list[str]:
    """Other forms of a parenthesised UN short name, in natural order and without qualifier.

    'Iran (République islamique d’)' -> ['République islamique d’Iran', 'Iran'];
    a name not of that form gives no other form.
    """
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    if not match:
        return []
    base, qualifier = match.groups()
    joiner = "" if qualifier.endswith(("\u2019", "'")) else " "
    return [f"{qualifier}{joiner}{base}", base]


def _strip_article(name: str) -> str:
    """Drop the article some ISO official names keep: 'the State of Palestine', 'L'État de…'."""
    return re.sub(r"^(?:the |L['\u2019])", "", name)


def member_states() -> list[str]:
    """Alpha-3 codes of the UN Member States, from country_converter's packaged data table."""
    table = importlib.resources.files("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    codes = sorted(row["ISO3"] for row in rows if row["UNmember"].strip() not in ("", "nan"))
    if len(codes) != 193:
        raise SystemExit(f"country_data.tsv lists {len(codes)} UN Member States, expected 193")
    return codes


def read_tsv(path: Path) -> list[dict[str, str]]:
    """A TSV file whose first line is a '#' comment naming its source, then a header row."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def un_names(path: Path) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for row in read_tsv(path):
        code = row["alpha3"].strip()
        if code in names:
            raise SystemExit(f"{path}: {code} listed twice")
        names[code] = (row["name_en"].strip(), row["name_fr"].strip())
    return names


def former_names(path: Path) -> dict[str, list[tuple[str, str]]]:
    names: dict[str, list[tuple[str, str]]] = {}
    for row in read_tsv(path):
        names.setdefault(row["alpha3"].strip(), []).append(
            (row["name_en"].strip(), row["name_fr"].strip())
        )
    return names


def state_qids(path: Path) -> dict[str, str]:
    return {
        row["iso3"].strip(): row["qid"].strip()
        for row in read_tsv(path)
        if row["kind"].strip() == "state"
    }


def _unique(label: str, candidates: Iterable[str]) -> list[str]:
    seen = {label}
    out: list[str] = []
    for candidate in candidates:
        if candidate and candidate not in seen:
            seen.add(candidate)
            out.append(candidate)
    return out


def names_for(
    country: object, un: tuple[str, str] | None, french: gettext.NullTranslations
) -> tuple[Names, Names]:
    iso_en = [
        str(getattr(country, attr))
        for attr in ("name", "official_name", "common_name")
        if getattr(country, attr, None)
    ]
    iso_fr = [typographic(french.gettext(name)) for name in iso_en]
    iso_en = [_strip_article(name) for name in iso_en]
    iso_fr = [_strip_article(name) for name in iso_fr]
    if un is not None:
        label_en, label_fr = un[0], typographic(un[1])
    else:
        common = getattr(country, "common_name", None)
        label_en = str(common) if common else iso_en[0]
        label_fr = typographic(french.gettext(label_en))
    extra_en = natural_order(label_en) if un is not None else []
    extra_fr = natural_order(label_fr) if un is not None else []
    return (
        Names(label_en, _unique(label_en, [*iso_en, *extra_en])),
        Names(label_fr, _unique(label_fr, [*iso_fr, *extra_fr])),
    )


def build() -> Graph:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    un = un_names(UN_NAMES)
    qids = state_qids(WIKIDATA)
    former = former_names(FORMER_NAMES)
    codes = sorted([*member_states(), *OBSERVER_STATES])
    unknown = sorted((set(un) | set(qids) | set(former)) - set(codes))
    if unknown:
        raise SystemExit(f"not a UN Member or observer State: {', '.join(unknown)}")

    graph = Graph()
    graph.bind("tip", TIP)
    for code in codes:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise SystemExit(f"{code} is not in pycountry {pycountry_version()}")
        state = iris.state(code)
        graph.add((state, RDF.type, TIP.State))
        graph.add((state, TIP.iso3166Alpha2, Literal(country.alpha_2)))
        graph.add((state, TIP.iso3166Alpha3, Literal(country.alpha_3)))
        graph.add((state, TIP.m49, Literal(f"{int(country.numeric):03d}")))
        en, fr = names_for(country, un.get(code), french)
        for name_en, name_fr in former.get(code, []):
            en.alt.extend(_unique(en.label, [name_en]))
            fr.alt.extend(_unique(fr.label, [typographic(name_fr)]))
        for lang, names in (("en", en), ("fr", fr)):
            graph.add((state, RDFS.label, Literal(names.label, lang=lang)))
            for alt in names.alt:
                graph.add((state, SKOS.altLabel, Literal(alt, lang=lang)))
        if code in qids:
            graph.add((state, TIP.wikidataId, Literal(qids[code])))
    return graph


def pycountry_version() -> str:
    return importlib.metadata.version("pycountry")


def header() -> str:
    return (
        f"# Generated by scripts/make_states.py from pycountry {pycountry_version()}, "
        f"country_converter {importlib.metadata.version('country_converter')} "
        "and data/reference/un-names.tsv — do not edit."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = canonical_turtle(build(), header=header())
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
