"""A store's quads as text for the tests to compare, blank nodes unlabelled: a load labels them
at random."""

from __future__ import annotations

import re

import pyoxigraph as ox

_BLANK = re.compile(r"_:\w+")


def unlabelled(term_or_quad: object) -> str:
    return _BLANK.sub("_:b", str(term_or_quad))


def store_quads(store: ox.Store) -> list[str]:
    """Every quad of `store`, sorted."""
    return sorted(unlabelled(quad) for quad in store)


def graph_triples(store: ox.Store) -> dict[str, list[str]]:
    """The store's triples by named graph, sorted."""
    graphs: dict[str, list[str]] = {}
    for quad in store:
        assert isinstance(quad.graph_name, ox.NamedNode)
        graphs.setdefault(quad.graph_name.value, []).append(unlabelled(quad.triple))
    return {name: sorted(triples) for name, triples in sorted(graphs.items())}
