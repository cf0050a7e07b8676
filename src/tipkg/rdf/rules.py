"""What extraction needs to know, read from the ontology's schemes and the reference data."""

from __future__ import annotations

from typing import Any

from rdflib import OWL, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Node

from tipkg.extract.classify import Classifier, Phrase
from tipkg.extract.names import Entry, Gazetteer, ProvisionEntry
from tipkg.extract.report import Rules
from tipkg.vocab import TIP

KIND_OF_CLASS = {
    TIP.State: "state",
    TIP.Organization: "organization",
    TIP.Database: "database",
    TIP.LegalInstrument: "instrument",
}

_ENTITIES = """
SELECT DISTINCT ?thing ?top ?label WHERE {
  ?thing a/rdfs:subClassOf* ?top .
  VALUES ?top { %s }
  ?thing rdfs:label|skos:altLabel ?label .
}
"""

_PROVISIONS = """
SELECT ?provision ?instrument ?number WHERE {
  ?provision a tip:Provision ; tip:ofInstrument ?instrument ; tip:number ?number .
}
"""

_PHRASES = """
SELECT ?notation ?label ?property WHERE {
  ?concept skos:inScheme ?scheme ; skos:notation ?notation ;
           ?property ?label .
  VALUES ?property { skos:prefLabel skos:altLabel skos:hiddenLabel }
  FILTER NOT EXISTS { ?concept skos:topConceptOf ?scheme . FILTER (?scheme = tip:themes) }
  # A retired concept (owl:deprecated, replaced) gives no more strength or theme.
  FILTER NOT EXISTS { ?concept owl:deprecated true }
}
"""

# The themes scheme's top concept (trafficking in persons): implied for a body whose mandate it
# is, given by its phrases to recommendations of a mechanism on any subject (a review).
_TOP_PHRASES = """
SELECT ?notation ?label ?property WHERE {
  ?concept skos:topConceptOf ?scheme ; skos:notation ?notation ;
           ?property ?label .
  VALUES ?property { skos:prefLabel skos:altLabel skos:hiddenLabel }
}
"""


def rules_from(graph: Graph, body_iris: frozenset[str]) -> Rules:
    """`graph` holds the ontology (with its schemes and rules) and the reference data."""
    namespaces: dict[str, Any] = {"rdfs": RDFS, "skos": SKOS, "tip": TIP._NS, "owl": OWL}
    values = " ".join(f"<{cls}>" for cls in KIND_OF_CLASS)
    entries = [
        Entry(KIND_OF_CLASS[URIRef(str(top))], str(thing), str(label))
        for thing, top, label in _select(graph, _ENTITIES % values, namespaces)
    ]
    provisions = [
        ProvisionEntry(str(instrument), int(str(number)), str(provision))
        for provision, instrument, number in _select(graph, _PROVISIONS, namespaces)
    ]
    return Rules(
        names=Gazetteer(entries, provisions),
        classifier=Classifier(
            strength_phrases=_phrases(graph, TIP.strengths, namespaces, hidden_only=True),
            addressee_phrases=_phrases(graph, TIP.addressees, namespaces, hidden_only=False),
            theme_phrases=_phrases(graph, TIP.themes, namespaces, hidden_only=False),
            top_theme_phrases=_phrases(
                graph, TIP.themes, namespaces, hidden_only=False, query=_TOP_PHRASES
            ),
        ),
        body_iris=body_iris,
    )


def _select(graph: Graph, query: str, namespaces: dict[str, Any]) -> list[tuple[Node, ...]]:
    rows: list[tuple[Node, ...]] = []
    for row in graph.query(query, initNs=namespaces):
        assert isinstance(row, ResultRow)
        rows.append(tuple(row))
    return rows


def _phrases(
    graph: Graph,
    scheme: URIRef,
    namespaces: dict[str, Any],
    hidden_only: bool,
    query: str = _PHRASES,
) -> list[Phrase]:
    query = query.replace("?scheme", f"<{scheme}>")
    phrases = []
    for notation, label, prop in _select(graph, query, namespaces):
        if hidden_only and prop != SKOS.hiddenLabel:
            continue
        name = "skos:" + str(prop).rsplit("#", 1)[-1]
        lang = label.language if isinstance(label, Literal) else None
        phrases.append(Phrase(str(notation), str(label), lang or "", name))
    return sorted(phrases, key=lambda p: (p.key, p.lang, p.text))
