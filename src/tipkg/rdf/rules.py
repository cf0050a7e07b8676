"""What extraction needs to know, read from the ontology's schemes and the reference data."""

from __future__ import annotations

from rdflib import RDFS, SKOS, Graph, URIRef

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
}
"""


def rules_from(graph: Graph, body_iris: frozenset[str]) -> Rules:
    """`graph` holds the ontology (with its schemes and rules) and the reference data."""
    namespaces = {"rdfs": RDFS, "skos": SKOS, "tip": TIP._NS}
    values = " ".join(f"<{cls}>" for cls in KIND_OF_CLASS)
    entries = [
        Entry(KIND_OF_CLASS[URIRef(str(row[1]))], str(row[0]), str(row[2]))
        for row in graph.query(_ENTITIES % values, initNs=namespaces)  # type: ignore[misc]
    ]
    provisions = [
        ProvisionEntry(str(row[1]), int(row[2]), str(row[0]))
        for row in graph.query(_PROVISIONS, initNs=namespaces)  # type: ignore[misc]
    ]
    return Rules(
        names=Gazetteer(entries, provisions),
        classifier=Classifier(
            strength_phrases=_phrases(graph, TIP.strengths, namespaces, hidden_only=True),
            addressee_phrases=_phrases(graph, TIP.addressees, namespaces, hidden_only=False),
            theme_phrases=_phrases(graph, TIP.themes, namespaces, hidden_only=False),
        ),
        body_iris=body_iris,
    )


def _phrases(
    graph: Graph, scheme: URIRef, namespaces: dict[str, object], hidden_only: bool
) -> list[Phrase]:
    query = _PHRASES.replace("?scheme", f"<{scheme}>")
    phrases = []
    for row in graph.query(query, initNs=namespaces):  # type: ignore[arg-type]
        notation, label, prop = row  # type: ignore[misc]
        if hidden_only and prop != SKOS.hiddenLabel:
            continue
        name = "skos:" + str(prop).rsplit("#", 1)[-1]
        phrases.append(Phrase(str(notation), str(label), label.language or "", name))
    return sorted(phrases, key=lambda p: (p.key, p.lang, p.text))
