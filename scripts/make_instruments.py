#!/usr/bin/env python3
"""Generate data/reference/instruments.ttl: UNTOC, the Trafficking in Persons Protocol, articles.

The articles and their English titles are read from the treaty texts in data/reference/treaties/
(markdown from the Dutch treaty database: English text then Dutch translation; an English article
starts with a line "### Article  N" and its title is the next non-blank line, "####Title").
French article titles come from the table below and are given only where they are certain
(the authentic French texts of General Assembly resolution 55/25, annexes I and II).

Exit status: 0 written; 2 a treaty text is malformed (article numbers not 1, 2, 3, ... in order,
or an article without a title), with the file and line named on stderr.

Usage: make_instruments.py [--output PATH]   (default: data/reference/instruments.ttl)
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from tipkg import iris
from tipkg.paths import REFERENCE_DIR
from tipkg.rdf.turtle import canonical_turtle

TIP = Namespace(str(iris.DEF))
TREATIES = REFERENCE_DIR / "treaties"
OUTPUT = REFERENCE_DIR / "instruments.ttl"

ARTICLE = re.compile(r"^###\s+Article\s+(\S+)\s*$")
TITLE = re.compile(r"^####\s*(\S.*?)\s*$")


class MalformedTreaty(Exception):
    """A treaty text the generator cannot trust; the message names the file and line."""


@dataclass(frozen=True)
class Instrument:
    key: str
    source: str
    kind: URIRef
    label_en: str
    label_fr: str
    # "de la Convention ..." / "du Protocole ...": the French article label's preposition + noun.
    of_fr: str
    alt_en: tuple[str, ...]
    alt_fr: tuple[str, ...]
    expected_articles: int
    titles_fr: dict[int, str]


UNTOC_FR = "Convention des Nations Unies contre la criminalité transnationale organisée"
PROTOCOL_FR_TAIL = (
    "additionnel à la Convention des Nations Unies contre la criminalité transnationale organisée "
    "visant à prévenir, réprimer et punir la traite des personnes, "
    "en particulier des femmes et des enfants"
)

# French titles of the final clauses and of the articles whose French title is certain.
FINAL_CLAUSES_FR = {
    "Settlement of disputes": "Règlement des différends",
    "Signature, ratification, acceptance, approval and accession": (
        "Signature, ratification, acceptation, approbation et adhésion"
    ),
    "Entry into force": "Entrée en vigueur",
    "Amendment": "Amendement",
    "Denunciation": "Dénonciation",
    "Depositary and languages": "Dépositaire et langues",
}

UNTOC = Instrument(
    key="untoc",
    source="untoc-2000.en-nl.md",
    kind=TIP.Convention,
    label_en="United Nations Convention against Transnational Organized Crime",
    label_fr=UNTOC_FR,
    of_fr=f"de la {UNTOC_FR}",
    alt_en=(
        "UNTOC",
        "Convention against Transnational Organized Crime",
        "Organized Crime Convention",
        "Palermo Convention",
    ),
    alt_fr=(
        "Convention contre la criminalité transnationale organisée",
        "Convention de Palerme",
    ),
    expected_articles=41,
    titles_fr={
        1: "Objet",
        2: "Terminologie",
        3: "Champ d’application",
        4: "Protection de la souveraineté",
        12: "Confiscation et saisie",
        15: "Compétence",
        16: "Extradition",
        17: "Transfert des personnes condamnées",
        18: "Entraide judiciaire",
        19: "Enquêtes conjointes",
        24: "Protection des témoins",
        31: "Prévention",
        32: "Conférence des Parties à la Convention",
        33: "Secrétariat",
        34: "Application de la Convention",
        37: "Relation avec les protocoles",
    },
)

PROTOCOL = Instrument(
    key="tip-protocol",
    source="tip-protocol-2000.en-nl.md",
    kind=TIP.Protocol,
    label_en=(
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and "
        "Children, supplementing the United Nations Convention against Transnational Organized "
        "Crime"
    ),
    label_fr=f"Protocole {PROTOCOL_FR_TAIL}",
    of_fr=f"du Protocole {PROTOCOL_FR_TAIL}",
    alt_en=(
        "Trafficking in Persons Protocol",
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and "
        "Children",
    ),
    alt_fr=(
        "Protocole relatif à la traite des personnes",
        "Protocole",
        # The order of the title used in documents of the Working Group (CTOC/COP/WG.4/...).
        "Protocole visant à prévenir, réprimer et punir la traite des personnes, en particulier "
        "des femmes et des enfants, additionnel à la Convention des Nations Unies contre la "
        "criminalité transnationale organisée",
    ),
    expected_articles=20,
    titles_fr={
        1: "Relation avec la Convention des Nations Unies contre la criminalité transnationale "
        "organisée",
        2: "Objet",
        3: "Terminologie",
        4: "Champ d’application",
        5: "Incrimination",
        14: "Clause de sauvegarde",
    },
)

INSTRUMENTS = (UNTOC, PROTOCOL)


def read_articles(path: Path) -> list[tuple[int, str]]:
    """(number, English title) of every article of the English text, in order.

    Raises MalformedTreaty naming the file and line when numbers are not 1, 2, 3, ... or an
    article has no title.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    articles: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        match = ARTICLE.match(line)
        if not match:
            continue
        where = f"{path}:{index + 1}"
        token = match.group(1)
        expected = len(articles) + 1
        if not token.isdigit() or int(token) != expected:
            raise MalformedTreaty(
                f"{where}: article {token!r} where article {expected} was expected"
            )
        following = next((text for text in lines[index + 1 :] if text.strip()), "")
        title = TITLE.match(following)
        if not title:
            raise MalformedTreaty(f"{where}: article {token} has no '####Title' line after it")
        articles.append((int(token), title.group(1)))
    if not articles:
        raise MalformedTreaty(f"{path}:1: no '### Article N' heading found")
    return articles


def build(treaties: Path = TREATIES) -> Graph:
    graph = Graph()
    graph.bind("tip", TIP)
    for instrument in INSTRUMENTS:
        path = treaties / instrument.source
        articles = read_articles(path)
        if len(articles) != instrument.expected_articles:
            raise MalformedTreaty(
                f"{path}:1: {len(articles)} articles, expected {instrument.expected_articles}"
            )
        node = iris.instrument(instrument.key)
        graph.add((node, RDF.type, instrument.kind))
        graph.add((node, RDFS.label, Literal(instrument.label_en, lang="en")))
        graph.add((node, RDFS.label, Literal(instrument.label_fr, lang="fr")))
        for alt in instrument.alt_en:
            graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        for alt in instrument.alt_fr:
            graph.add((node, SKOS.altLabel, Literal(alt, lang="fr")))
        if instrument.kind == TIP.Protocol:
            graph.add((node, TIP.supplements, iris.instrument(UNTOC.key)))
        for number, title in articles:
            article = iris.provision(instrument.key, number)
            graph.add((article, RDF.type, TIP.Provision))
            graph.add((article, TIP.number, Literal(number, datatype=XSD.positiveInteger)))
            graph.add((article, TIP.ofInstrument, node))
            graph.add((article, DCTERMS.title, Literal(title, lang="en")))
            title_fr = instrument.titles_fr.get(number) or FINAL_CLAUSES_FR.get(title)
            if title_fr:
                graph.add((article, DCTERMS.title, Literal(title_fr, lang="fr")))
            label_en = f"Article {number} of the {instrument.label_en}"
            label_fr = f"Article {number} {instrument.of_fr}"
            graph.add((article, RDFS.label, Literal(label_en, lang="en")))
            graph.add((article, RDFS.label, Literal(label_fr, lang="fr")))
            if number == 1:  # UN French texts number the first article "Article premier"
                premier = f"Article premier {instrument.of_fr}"
                graph.add((article, SKOS.altLabel, Literal(premier, lang="fr")))
    return graph


HEADER = (
    "# Generated by scripts/make_instruments.py from data/reference/treaties/untoc-2000.en-nl.md "
    "and tip-protocol-2000.en-nl.md — do not edit."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--treaties", type=Path, default=TREATIES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        graph = build(args.treaties)
    except MalformedTreaty as error:
        print(f"make_instruments: {error}", file=sys.stderr)
        return 2
    args.output.write_text(canonical_turtle(graph, header=HEADER), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
