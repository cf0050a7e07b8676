"""Canonical Turtle (tipkg.rdf.turtle)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from tipkg.rdf.turtle import canonical_turtle


def test_regression_issue_15_a_form_feed_in_a_literal_stays_in_the_literal() -> None:
    """A PDF's page break (form feed) inside quoted source characters was split into a new line by
    str.splitlines(), leaving a line jump inside a short string: Oxigraph refused the file."""
    graph = Graph()
    text = "end of page\n\x0c\nA/HRC/43/15\n"
    graph.add((URIRef("urn:x"), URIRef("urn:p"), Literal(text)))
    turtle = canonical_turtle(graph)
    store = ox.Store()
    store.load(turtle.encode(), ox.RdfFormat.TURTLE)
    assert [q.object.value for q in store] == [text]
    parsed = Graph().parse(data=turtle, format="turtle")
    assert str(next(iter(parsed.objects()))) == text
