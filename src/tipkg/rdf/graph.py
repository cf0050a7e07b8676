"""The graph a report is built in: read whole many times over by its checks, so made for that."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

_Triple = tuple[Node, Node, Node]
_Index = dict[Node, dict[Node, dict[Node, None]]]
_NO_CONTEXTS: Iterator[Any] = iter(())
"""What a triple of the one graph is in: no named graph (an exhausted iterator, shared)."""


class _ReportStore(SimpleMemory):
    """A store of one graph with rdflib's SimpleMemory's reads, in the same order, made for how
    a report's graph is used: built once (about 3,000 triples), then read whole by each of its
    checks (SHACL, QC, the clash scan, Turtle...), about ten times, and looked up by subject.

    - Whole reads come from a list, made at the first whole read after a change: SimpleMemory
      walks its nested indexes and makes a generator per triple (3.0 and 1.2 ms for 3,000
      triples, against 0.26 ms from a list; and len() counted them one by one).
    - Of SimpleMemory's three indexes only the one by subject is kept as triples are added;
      the one by predicate is made at the first read that needs it (the fidelity check's), the
      one by object is read by no check. Adding a report's triples took 13.6 ms with all three.
      Each is made from the triples in the order they were first added, so that it holds its
      keys in the order SimpleMemory's, made as they came, would; once made (and from the first
      removal on, which makes them all) each is kept up to date as SimpleMemory keeps its own.

    Reads walk the indexes as they are, as SimpleMemory's do: a caller that changes the graph
    while it reads it gets Python's error, as with SimpleMemory. The namespace bindings are
    SimpleMemory's own. tests/unit/test_report_graph.py holds every
    read, in order, to SimpleMemory's through random adds and removals.
    """

    def __init__(self) -> None:
        super().__init__()
        self._spo: _Index = {}
        self._pos: _Index | None = None
        self._osp: _Index | None = None
        self._added: list[_Triple] | None = []  # new triples in order; None once all indexed
        self._all: list[_Triple] | None = None

    def add(self, triple: _Triple, context: Any, quoted: bool = False) -> None:
        s, p, o = triple
        by_predicate = self._spo.get(s)
        if by_predicate is None:
            by_predicate = self._spo[s] = {}
        objects = by_predicate.get(p)
        if objects is None:
            objects = by_predicate[p] = {}
        if o in objects:
            return
        objects[o] = None
        self._all = None
        if self._added is not None:
            self._added.append(triple)
        if self._pos is not None:
            _put(self._pos, p, o, s)
        if self._osp is not None:
            _put(self._osp, o, s, p)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        pos, osp = self._by_predicate(), self._by_object()
        self._added = None  # every index is made: from now on each follows every change
        for (s, p, o), _ in list(self.triples(triple_pattern)):
            del self._spo[s][p][o]
            del pos[p][o][s]
            del osp[o][s][p]
        self._all = None

    def triples(
        self, triple_pattern: Any, context: Any = None
    ) -> Iterator[tuple[_Triple, Iterator[Any]]]:
        s, p, o = triple_pattern
        if s is not None:
            by_predicate = self._spo.get(s)
            if by_predicate is None:
                return
            for pred in (p,) if p is not None else by_predicate:
                objects = by_predicate.get(pred)
                if objects is None:
                    continue
                if o is not None:
                    if o in objects:
                        yield (s, pred, o), _NO_CONTEXTS
                    continue
                for obj in objects:
                    yield (s, pred, obj), _NO_CONTEXTS
        elif p is not None:
            by_object = self._by_predicate().get(p)
            if by_object is None:
                return
            if o is not None:
                for subject in by_object.get(o, ()):
                    yield (subject, p, o), _NO_CONTEXTS
                return
            for obj, subjects in by_object.items():
                for subject in subjects:
                    yield (subject, p, obj), _NO_CONTEXTS
        elif o is not None:
            for subject, predicates in self._by_object().get(o, {}).items():
                for pred in predicates:
                    yield (subject, pred, o), _NO_CONTEXTS
        else:
            for triple in self._snapshot():
                yield triple, _NO_CONTEXTS

    def __len__(self, context: Any = None) -> int:
        return len(self._snapshot())

    def _snapshot(self) -> list[_Triple]:
        if self._all is None:
            self._all = [
                (s, p, o)
                for s, by_predicate in self._spo.items()
                for p, objects in by_predicate.items()
                for o in objects
            ]
        return self._all

    def _by_predicate(self) -> _Index:
        if self._pos is None:
            self._pos = _indexed((p, o, s) for s, p, o in self._added or ())
        return self._pos

    def _by_object(self) -> _Index:
        if self._osp is None:
            self._osp = _indexed((o, s, p) for s, p, o in self._added or ())
        return self._osp


def _indexed(keys: Iterable[_Triple]) -> _Index:
    index: _Index = {}
    for first, second, third in keys:
        _put(index, first, second, third)
    return index


def _put(index: _Index, first: Node, second: Node, third: Node) -> None:
    inner = index.get(first)
    if inner is None:
        inner = index[first] = {}
    leaves = inner.get(second)
    if leaves is None:
        leaves = inner[second] = {}
    leaves[third] = None


class _ReportGraph(Graph):
    """A graph on a _ReportStore. Its triples are added straight into the store: Graph.add
    checks that each term is an rdflib term, which the report's own code makes, at a quarter of
    the cost of adding the triple."""

    def add(self, triple: _Triple) -> _ReportGraph:
        self.store.add(triple, self)
        return self


def empty_report_graph() -> Graph:
    """An empty graph for one report's triples (see _ReportStore)."""
    return _ReportGraph(store=_ReportStore())
