"""The embedded store (pyoxigraph, on disk): loading a build and answering SPARQL over it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from tipkg.dataset import dataset
from tipkg.errors import InputError
from tipkg.web.scan import MAX_DEPTH, scan


@dataclass(frozen=True)
class Table:
    """A SELECT result as plain strings: what `tipkg query` prints."""

    columns: list[str]
    rows: list[list[str]]


class NewStore:
    """A new on-disk store in `store_dir`, filled with graphs as they come, each into its named
    graph (`add` from Turtle, `add_n_quads` from N-Quads); `finish` loads what is left, flushes
    it and returns the triples of each graph.

    The graphs are bulk-loaded in batches of about LOAD_BATCH triples, as N-Quads: a bulk load
    per file made a set of files on disk for each (about 1,400 at 1M triples), each synced, and
    took 66 s at 1M triples on this machine's disk against 15 s in batches; one bulk load of
    everything took as long but held 1 GiB (issue 18). Each Turtle graph goes through a small
    store in memory first, which parses it as a bulk load of the file alone would (its blank
    nodes kept apart from the other graphs') and counts its triples.

    The store on disk is opened at the first batch's bulk load, not before, so that a caller
    can add graphs from a process that forks: RocksDB runs threads of its own, and a child
    forked while it is open would inherit its locks and files without its threads. Until then
    every graph is in memory only, which a fork copies safely. A caller that forks while it
    adds (tipkg.build, over the reports it checks in forked workers) adds its first graph only
    once every child it will fork exists."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self._store: ox.Store | None = None
        self._sizes: dict[str, int] = {}
        self._batch: list[bytes] = []  # N-Quads of the graphs added since the last bulk load
        self._pending = 0  # their triples

    def __contains__(self, name: object) -> bool:
        """Whether a graph of that name was added."""
        return name in self._sizes

    def add(self, name: str, turtle: str | Path) -> None:
        """The graph `name`, from Turtle text or a Turtle file; each name once."""
        if name in self._sizes:
            raise ValueError(f"graph {name} added twice")
        one = ox.Store()
        graph = ox.NamedNode(name)
        if isinstance(turtle, Path):
            one.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE, to_graph=graph)
        else:
            one.bulk_load(turtle, ox.RdfFormat.TURTLE, to_graph=graph)
        dumped = one.dump(format=ox.RdfFormat.N_QUADS)
        assert dumped is not None  # no output given: the bytes are returned
        self.add_n_quads(name, dumped, len(one))

    def add_n_quads(self, name: str, n_quads: bytes, triples: int) -> None:
        """The graph `name` as N-Quads already in that graph, with no blank node label another
        graph uses, holding `triples` triples as this store counts them (a literal by its value);
        each name once. What tipkg.build's workers send: the graph's parse, which took a tenth
        of the store's time in this process, is left out."""
        if name in self._sizes:
            raise ValueError(f"graph {name} added twice")
        self._sizes[name] = triples
        self._batch.append(n_quads)
        self._pending += triples
        if self._pending >= LOAD_BATCH:
            self._load_batch()

    def finish(self) -> dict[str, int]:
        """The store loaded with every graph added, flushed and closed; the triples of each
        graph, by name."""
        self._load_batch()
        assert self._store is not None
        self._store.flush()
        self._store = None  # the last reference: the store closes
        return {name: self._sizes[name] for name in sorted(self._sizes)}

    def close(self) -> None:
        """The store closed unfinished, for a caller that failed and removes it: RocksDB's
        threads stopped before its files go; the graphs not yet loaded are dropped."""
        self._store = None
        self._batch, self._pending = [], 0

    def _load_batch(self) -> None:
        if self._store is None:
            self._store = ox.Store(str(self.store_dir))
        if self._batch:
            self._store.bulk_load(b"".join(self._batch), ox.RdfFormat.N_QUADS)
        self._batch, self._pending = [], 0


def load(store_dir: Path, graphs: Iterable[tuple[str, Path]]) -> dict[str, int]:
    """Fill a new on-disk store with Turtle files, each into its named graph (NewStore);
    returns the triples of each graph."""
    store = NewStore(store_dir)
    for name, path in graphs:
        store.add(name, path)
    return store.finish()


LOAD_BATCH = 50_000
"""Triples per bulk load of a new store. At 1M triples 20 batches took 8.8 s of CPU and 10 took
8.6–9.1 s, but the last batch, loaded when the reports are done, 0.13 s instead of 0.5 s; 4
batches took longer and held more (17.0 s and 438 MiB, against 14.7 s and 199 MiB for 10)."""


def open_read_only(store_dir: Path) -> ox.Store:
    if not (store_dir / "CURRENT").exists():
        raise InputError(store_dir, None, "no store here: run `tipkg build` first")
    return ox.Store.read_only(str(store_dir))


def term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def select(store: ox.Store, query: str) -> Table:
    """Run a SELECT over the query's dataset (by default the union of all graphs); other query
    forms are refused here."""
    if scan(query).too_deep:
        raise InputError("query", None, f"the query nests deeper than {MAX_DEPTH} levels")
    try:
        result = store.query(query, **dataset(query))
    except SyntaxError as err:
        raise InputError("query", None, f"SPARQL syntax error: {err}") from err
    if not isinstance(result, ox.QuerySolutions):
        raise InputError("query", None, "only SELECT queries can be printed as a table")
    columns = [variable.value for variable in result.variables]
    rows = [[term_text(solution[name]) for name in columns] for solution in result]
    return Table(columns, rows)


def in_memory(*graphs: Graph) -> ox.Store:
    """rdflib graphs copied into one in-memory store's default graph, for queries rdflib's
    engine answers one or two orders of magnitude slower."""
    store = ox.Store()
    for graph in graphs:
        store.extend(quads(graph))
    return store


def quads(graph: Graph) -> list[ox.Quad]:
    """``graph``'s triples as pyoxigraph quads in the default graph."""
    return [ox.Quad(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def statements(triples: Iterable[tuple[Node, Node, Node]], blanks: str = "b") -> list[str]:
    """Each triple as the text of an N-Triples statement without its closing " .", to be read
    as N-Triples (`n_triples`) or as N-Quads in a named graph (`n_quads`). pyoxigraph parses
    such text faster than Python builds its terms one by one (a report of 2,900 triples: 3 ms
    against 7). Blank nodes are labelled `blanks` + a number: a caller that loads several
    graphs' statements at once gives each its own `blanks`, so that theirs stay apart."""
    names: dict[Node, str] = {}
    labelled: dict[BNode, str] = {}

    def text(node: Node) -> str:
        known = names.get(node)
        if known is None:
            if isinstance(node, BNode):
                known = labelled[node] = f"_:{blanks}{len(labelled)}"
            else:
                known = nt_term(node)  # type: ignore[arg-type]  # an IRI or a literal
            names[node] = known
        return known

    return [f"{text(s)} {text(p)} {text(o)}" for s, p, o in triples]


def n_triples(written: Sequence[str]) -> str:
    """`statements` as an N-Triples document."""
    return "".join(f"{statement} .\n" for statement in written)


def n_quads(written: Sequence[str], graph: str) -> bytes:
    """`statements` as an N-Quads document, every one in the named graph `graph`."""
    end = f" <{graph}> .\n"
    return "".join(statement + end for statement in written).encode()


def nt_term(node: URIRef | Literal) -> str:
    """An IRI or a literal in N-Triples."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    assert isinstance(node, Literal)
    quoted = f'"{nt_escape(str(node))}"'
    if node.language:
        return f"{quoted}@{node.language}"
    if node.datatype is not None:
        return f"{quoted}^^<{node.datatype}>"
    return quoted


def nt_escape(text: str) -> str:
    """A string's characters as an N-Triples literal quotes them."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's (a blank node keeps its label)."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def rdflib_term(term: object) -> Identifier:
    """A pyoxigraph term as rdflib's; a plain string literal has no datatype, as rdflib parses
    it, so that terms compare equal both ways."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def update_store(
    previous: Path,
    store_dir: Path,
    graphs: Iterable[tuple[str, Path]],
    unchanged: set[str],
    sizes: dict[str, int],
) -> dict[str, int] | None:
    """A new on-disk store in `store_dir`: a checkpoint of `previous` (hard links to its files,
    which RocksDB never modifies; `previous` is left as it was), then each graph of `graphs`
    not in `unchanged` replaced by its file's triples and every graph not in `graphs` removed.
    `sizes`: the triples in each graph of `previous`, as its build wrote it. Returns those of
    the new store; None, with nothing created, when `previous` no longer holds what its build
    wrote (other graphs, as `tipkg validate --infer` adds, or another number of quads, as a
    SPARQL update through `tipkg serve` makes): the caller then loads a new store."""
    old = ox.Store.read_only(str(previous))
    graphs_there = {graph.value for graph in old.named_graphs() if isinstance(graph, ox.NamedNode)}
    if graphs_there != set(sizes) or len(old) != sum(sizes.values()):
        return None
    old.backup(str(store_dir))
    del old
    store = ox.Store(str(store_dir))
    wanted = dict(graphs)
    kept = {name: count for name, count in sizes.items() if name in wanted and name in unchanged}
    for name in sizes:
        if name not in kept:
            store.remove_graph(ox.NamedNode(name))
    changed = [name for name in wanted if name not in kept]
    for name in changed:
        store.load(path=str(wanted[name]), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
    store.flush()
    kept.update(_sizes(store, changed))
    del store
    return {name: kept[name] for name in sorted(kept)}


def _sizes(store: ox.Store, names: list[str] | None) -> dict[str, int]:
    """Triples per named graph (all graphs, or `names`), counted by the store's engine."""
    if names is not None and not names:
        return {}
    values = (
        "" if names is None else "VALUES ?g { " + " ".join(f"<{name}>" for name in names) + " } "
    )
    result = store.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    )
    assert isinstance(result, ox.QuerySolutions)
    sizes = {name: 0 for name in names or []}
    for row in result:
        graph, count = row["g"], row["n"]
        assert isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal)
        sizes[graph.value] = int(count.value)
    return {name: sizes[name] for name in sorted(sizes)}
