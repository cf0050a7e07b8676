"""Content negotiation: an Accept header or a `format` parameter to the serialisers pyoxigraph has.

SELECT and ASK answer in SPARQL results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle,
JSON-LD, N-Triples or RDF/XML. The form of a query is only known once it is parsed, so both choices
are made up front and the worker takes the one that fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tipkg.accept import ranked

# name -> (Content-Type sent, media types accepted for it)
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": (
        "application/sparql-results+json",
        (
            "application/sparql-results+json",
            "application/json",
            "text/javascript",
            "application/javascript",
        ),
    ),
    "xml": (
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
    ),
    "csv": ("text/csv; charset=utf-8", ("text/csv",)),
    "tsv": ("text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",)),
}
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "ntriples": ("application/n-triples", ("application/n-triples", "text/plain")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
DEFAULT_RESULTS, DEFAULT_GRAPH = "json", "turtle"

# `format=` (or `output=`, as SPARQLWrapper and Virtuoso send it) -> (results name, graph name);
# None keeps what the Accept header chose for that kind of answer.
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "json-ld": (None, "jsonld"),
    "jsonld": (None, "jsonld"),
    "nt": (None, "ntriples"),
    "ntriples": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "rdf": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
}

RESULTS_OX = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_OX = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class FormatError(ValueError):
    """A `format` parameter naming no format we serve."""


@dataclass(frozen=True)
class Choice:
    results: str  # a key of RESULT_FORMATS
    graph: str  # a key of GRAPH_FORMATS


def _pick(ranges: list[str], table: dict[str, tuple[str, tuple[str, ...]]]) -> str | None:
    """The first format of table that a media range asks for; None for */* or no match."""
    for media in ranges:
        if media == "*/*":
            return None
        if media.endswith("/*"):
            major = media[:-1]
            for name, (_, types) in table.items():
                if any(t.startswith(major) for t in types):
                    return name
            continue
        for name, (_, types) in table.items():
            if media in types:
                return name
    return None


def negotiate(accept: str | None, format_param: str | None) -> Choice:
    """The formats for this request: the `format` parameter first, then Accept, then defaults."""
    ranges = ranked(accept or "")
    results = _pick(ranges, RESULT_FORMATS) or DEFAULT_RESULTS
    graph = _pick(ranges, GRAPH_FORMATS) or DEFAULT_GRAPH
    if format_param:
        key = format_param.strip().lower()
        if key in FORMAT_NAMES:
            named_results, named_graph = FORMAT_NAMES[key]
        else:  # a media type given as the parameter
            named_results = _pick([key], RESULT_FORMATS) if "*" not in key else None
            named_graph = _pick([key], GRAPH_FORMATS) if "*" not in key else None
            if named_results is None and named_graph is None:
                known = ", ".join(sorted(FORMAT_NAMES))
                raise FormatError(f"unknown format {format_param!r} (known: {known})")
        results = named_results or results
        graph = named_graph or graph
    return Choice(results, graph)


def content_type(kind: str, name: str) -> str:
    """The Content-Type header of an answer: kind is 'results' or 'graph'."""
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    return table[name][0]
