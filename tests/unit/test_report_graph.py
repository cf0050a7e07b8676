"""The report graph's store (tipkg.rdf.graph): every read must always say what rdflib's own store
says, in the same order as its SimpleMemory, through every change."""

from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from tipkg.rdf.graph import empty_report_graph


def _triple(rng: random.Random) -> tuple[URIRef, URIRef, URIRef | Literal]:
    s = URIRef(f"https://example.org/s{rng.randrange(20)}")
    p = URIRef(f"https://example.org/p{rng.randrange(5)}")
    o: URIRef | Literal = (
        Literal(str(rng.randrange(30)))
        if rng.random() < 0.5
        else URIRef(f"https://example.org/s{rng.randrange(20)}")
    )
    return s, p, o


def test_whole_reads_follow_every_add_and_remove() -> None:
    rng = random.Random(18)
    graph, reference = empty_report_graph(), Graph()
    for step in range(600):
        triple = _triple(rng)
        if rng.random() < 0.3:
            graph.remove(triple)
            reference.remove(triple)
        elif rng.random() < 0.1:
            subject = triple[0]
            graph.remove((subject, None, None))
            reference.remove((subject, None, None))
        else:
            graph.add(triple)
            reference.add(triple)
        if step % 7 == 0:  # read whole, so that the next change must drop the list
            assert set(graph) == set(reference)
            assert len(graph) == len(reference)
    assert set(graph) == set(reference)
    assert len(graph) == len(reference)
    pattern = (URIRef("https://example.org/s3"), None, None)
    assert set(graph.triples(pattern)) == set(reference.triples(pattern))


def test_a_union_added_in_place_is_read_whole() -> None:
    graph, other = empty_report_graph(), Graph()
    graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("1")))
    assert len(graph) == 1
    other.add((URIRef("https://example.org/b"), URIRef("https://example.org/p"), Literal("2")))
    graph += other
    assert len(graph) == 2
    assert {str(s) for s, _, _ in graph} == {"https://example.org/a", "https://example.org/b"}


def _patterns(rng: random.Random) -> list[tuple[URIRef | Literal | None, ...]]:
    """Every shape of pattern (each of subject, predicate, object bound or not), bound to terms
    the graph may or may not hold."""
    s, p, o = _triple(rng)
    return [
        (s if bits & 4 else None, p if bits & 2 else None, o if bits & 1 else None)
        for bits in range(8)
    ]


def test_every_read_in_simple_memory_order() -> None:
    """The indexes made late (by predicate, by object) hold their keys in the order SimpleMemory
    made them as triples came; the first removal makes them all, and they then follow it."""
    for seed in range(6):
        rng = random.Random(seed)
        graph, reference = empty_report_graph(), Graph(store=SimpleMemory())
        removes = seed % 2 == 0
        for step in range(400):
            triple = _triple(rng)
            if removes and step > 150 and rng.random() < 0.2:
                pattern = triple if rng.random() < 0.7 else (triple[0], None, None)
                graph.remove(pattern)
                reference.remove(pattern)
            else:
                graph.add(triple)
                reference.add(triple)
            # First read after many adds, so that the late indexes are made from many triples.
            if (step >= 120 and step % 25 == 0) or step == 399:
                for pattern in _patterns(rng):
                    assert list(graph.triples(pattern)) == list(reference.triples(pattern))
                assert list(graph) == list(reference)
                assert len(graph) == len(reference)
