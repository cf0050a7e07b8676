"""What extraction needs to know, read from the ontology's schemes and the reference data.

The queries run in pyoxigraph: rdflib's engine took 0.66 s over the ~10,000 triples of the
ontology and reference data, a third of a one-report rebuild (issue 18); pyoxigraph takes a few
milliseconds once the graph is copied into it.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import SKOS, Graph, URIRef

from tipkg.extract.classify import Classifier, Phrase
from tipkg.extract.names import Entry, Gazetteer, ProvisionEntry
from tipkg.extract.report import Rules
from tipkg.store import in_memory, term_text
from tipkg.vocab import TIP

KIND_OF_CLASS = {
    TIP.State: "state",
    TIP.Organization: "organization",
    TIP.Database: "database",
    TIP.LegalInstrument: "instrument",
}

_PREFIXES = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <{SKOS}>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX tip: <{TIP}>
"""

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
    store = in_memory(graph)
    values = " ".join(f"<{cls}>" for cls in KIND_OF_CLASS)
    entries = [
        Entry(KIND_OF_CLASS[URIRef(term_text(top))], term_text(thing), term_text(label))
        for thing, top, label in _select(store, _ENTITIES % values)
    ]
    provisions = [
        ProvisionEntry(term_text(instrument), int(term_text(number)), term_text(provision))
        for provision, instrument, number in _select(store, _PROVISIONS)
    ]
    provisions.sort(key=lambda p: (p.instrument_iri, p.number, p.iri))
    return Rules(
        names=Gazetteer(entries, provisions),
        classifier=Classifier(
            strength_phrases=_phrases(store, TIP.strengths, hidden_only=True),
            addressee_phrases=_phrases(store, TIP.addressees, hidden_only=False),
            theme_phrases=_phrases(store, TIP.themes, hidden_only=False),
            top_theme_phrases=_phrases(store, TIP.themes, hidden_only=False, query=_TOP_PHRASES),
        ),
        body_iris=body_iris,
    )


def _select(store: ox.Store, query: str) -> list[tuple[object, ...]]:
    result = store.query(_PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(solution) for solution in result]


def _phrases(
    store: ox.Store, scheme: URIRef, hidden_only: bool, query: str = _PHRASES
) -> list[Phrase]:
    query = query.replace("?scheme", f"<{scheme}>")
    phrases = []
    for notation, label, prop in _select(store, query):
        if hidden_only and term_text(prop) != str(SKOS.hiddenLabel):
            continue
        name = "skos:" + term_text(prop).rsplit("#", 1)[-1]
        lang = label.language if isinstance(label, ox.Literal) else None
        phrases.append(Phrase(term_text(notation), term_text(label), lang or "", name))
    return sorted(phrases, key=lambda p: (p.key, p.lang, p.text, p.source))
