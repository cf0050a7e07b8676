"""RDF documents in four syntaxes (pyoxigraph's serialisers: fast, standard, deterministic here).

Triples are written in the order given; callers sort them (subject first), so the same graph
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from tipkg.publish.vocab import PREFIXES

SYNTAX: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}


_BY_NAMESPACE = {namespace: name for name, namespace in PREFIXES.items()}


def _used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """Only the prefixes some IRI of the document starts with, so headers stay short."""
    iris: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    used: set[str] = set()
    for iri in iris:
        for i, char in enumerate(iri):
            if char in "#/" and iri[: i + 1] in _BY_NAMESPACE:
                used.add(_BY_NAMESPACE[iri[: i + 1]])
    return {name: namespace for name, namespace in PREFIXES.items() if name in used}


def serialize(triples: Sequence[ox.Triple], ext: str) -> bytes:
    """Serialise triples as Turtle, JSON-LD, N-Triples or RDF/XML (by suffix)."""
    syntax = SYNTAX[ext]
    if ext in ("nt", "jsonld"):
        body = ox.serialize(triples, format=syntax)
    else:
        body = ox.serialize(triples, format=syntax, prefixes=_used_prefixes(triples))
    assert body is not None  # no output given: the bytes are returned
    return body if body.endswith(b"\n") else body + b"\n"


def jsonld_for_html(jsonld: bytes) -> str:
    """JSON-LD safe inside <script>: every '<' as \\u003c (only strings can hold one in JSON)."""
    return jsonld.decode("utf-8").replace("<", "\\u003c").strip()
