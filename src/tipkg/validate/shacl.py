"""SHACL on data: the shapes of shapes/*.ttl, with findings in French or English.

Two engines
-----------
The gate (``ENGINE``, the default of every function here) runs the shapes compiled to SPARQL
SELECTs in pyoxigraph (tipkg.validate.compiled), about 5 times faster per report than pyshacl
(bench/README.md). pyshacl is the reference: ``engine="pyshacl"`` runs it on the same graph, and
tests/unit/test_shacl_referee.py requires both to give the same results on every fixture, the
planted faults and the real build. Both engines write the same results graph, read by the same
``_findings``: messages, severities, labels and output do not depend on the engine. The shapes
graph itself is checked against SHACL-SHACL by pyshacl (``check_shapes``). What follows holds for
both engines; the measurements are pyshacl's.

What is checked, and against what
---------------------------------
``validate(data, context)`` checks the nodes of ``data``; ``context`` (the ontology and the
reference data, plus the build graph when there is one) only supplies what the shapes look up.
Three things are taken from the context into a private copy of the data graph:

- the ``rdfs:subClassOf`` axioms, so that ``sh:targetClass tip:Organization`` reaches a
  ``tip:WorkingGroup`` and ``sh:class tip:Actor`` accepts a ``tip:State``. pyshacl follows
  ``rdfs:subClassOf`` in the data graph only; the ~70 axioms are added directly rather than passing
  the whole ontology as ``ont_graph`` (which pyshacl would clone and mix into every data graph) or
  running RDFS inference (2.4 times slower, TOOLS-NOTES.md). pyshacl runs with inference="none";
- ``rdf:type`` and ``skos:inScheme`` of every IRI the data mentions, so that ``sh:class`` and the
  scheme checks see that ``…/state/arg`` is a State or ``…/theme/children`` a theme;
- nothing else: labels for the findings are read from the context in Python.

A node typed only through the context (a State a report mentions, the build a report names) is a
"stub": it is validated where it is described, once, and the results of class-targeted shapes on
it are dropped from this run. (pyshacl's ``focus_nodes`` option is not used for this: it also
filters the nested validations of value nodes — sh:node, sh:qualifiedValueShape, sh:or — which
then pass silently.)

Per report
----------
``validate_reports(reports, context)`` runs every shape, node-local and report-wide SHACL-SPARQL
alike, on each report graph alone (with the context stubs above), and the context itself once
(States, organisations, instruments, provisions, concepts, the build). pyshacl is fast on small
graphs and slow on large ones (TOOLS-NOTES.md), and the SPARQL constraints are per report by
nature: the cost of a build follows the size of each report, not of the whole graph.

Measured (medians of 3-5 runs, 2 cores shared with other jobs, load ~3): the 2020 addendum
(2,532 triples, 26 recommendations) 0.45 s; the context (3,300 triples: ontology, reference data,
build) 0.26 s; ``validate_reports`` in all 0.75 s; loading shapes/ 0.07 s. For comparison, one
pyshacl run over everything merged 1.3 s (2.8 s with inference="rdfs"); the report with the
ontology and reference data as ``ont_graph`` 1.2 s. pyshacl re-parses a SPARQL constraint's query
for every focus node; ``_PreparedQueryGraph`` parses it once (the report went from 1.5 s to 0.5 s),
then answers each such constraint with one pyoxigraph query per report (a synthetic report of
4,000 triples: 0.78 s to 0.50 s).
The 33 fixture cases (pass and fail, one shape each) take 0.5 s.
The compiled engine on the 2020 addendum (issue 18, load ~3): 0.09–0.2 s, of which reading the
graph into pyoxigraph 0.02 s and its 405 queries 0.05 s.

Severity: a finding is a Violation (the data is wrong: the gate fails), a Warning (a human should
look) or an Info; ``ShaclReport.conforms`` is False iff there is a Violation.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node, Variable

from tipkg.parallel import fork_map
from tipkg.paths import SHAPES_DIR
from tipkg.rdf.turtle import read_turtle
from tipkg.store import in_memory, n_triples, rdflib_term, statements
from tipkg.validate.compiled import CompiledShapes, compile_shapes

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/tipkg/shapes/")
"""The namespace of tipkg's shapes (prefix ``tipsh:``); the shapes graph's own IRI."""

LANGUAGES = ("fr", "en")
SEVERITIES = ("Violation", "Warning", "Info")
_STUB_PREDICATES = (RDF.type, SKOS.inScheme)

ENGINES = ("sparql", "pyshacl")
ENGINE = "sparql"
"""The engine the gate checks data with: the shapes compiled to SPARQL and run by pyoxigraph
(tipkg.validate.compiled). pyshacl is the reference the tests compare it with, on every fixture
and planted fault (tests/unit/test_shacl_referee.py); it still checks the shapes themselves
against SHACL-SHACL (check_shapes)."""


@dataclass(frozen=True)
class Finding:
    shape: str
    """The IRI of the node shape the result comes from (for a property shape, its node shape)."""
    focus: str
    """The focus node's IRI."""
    focus_label: str
    """Its rdfs:label in the requested language, else in the other, else any; "" if none."""
    path: str
    """The result path: an IRI, a SPARQL property path for a complex one, or ""."""
    value: str
    """The value at fault, "" if none."""
    severity: str
    """"Violation", "Warning" or "Info"."""
    message: str
    """The message in the requested language (fr or en), falling back to the other."""

    def line(self) -> str:
        """One line for a terminal: severity, focus (with its label), path, value, message."""
        who = f"{self.focus} ({self.focus_label})" if self.focus_label else self.focus
        where = f" {self.path}" if self.path else ""
        what = f" = {self.value!r}" if self.value else ""
        return f"{self.severity}: {who}{where}{what}: {self.message}"


@dataclass
class ShaclReport:
    conforms: bool
    """False iff any finding is a Violation."""
    findings: list[Finding]
    result_graphs: list[Graph]
    """The validation report graph of each run."""
    seconds: float
    runs: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each run (per report key, and "context")."""

    @cached_property
    def results_graph(self) -> Graph:
        """The SHACL validation report graph: one sh:ValidationReport for all the runs. Made
        when asked for: a build reads only the findings, and merging its reports' results took
        0.7 s of the 1M build's one-core tail (issue 18)."""
        return _merge(self.result_graphs, self.conforms)

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def violations(self) -> list[Finding]:
        return self.by_severity("Violation")

    @property
    def warnings(self) -> list[Finding]:
        return self.by_severity("Warning")


def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``*.ttl`` directly under ``directory``, as one shapes graph."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no shapes (*.ttl) in {directory}")
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def shacl_shacl() -> Graph:
    """The W3C SHACL-SHACL shapes graph (SHACL §C), as pyshacl ships it (assets/shacl-shacl.ttl)."""
    text = resources.files("pyshacl").joinpath("assets", "shacl-shacl.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def check_shapes(shapes: Graph | None = None, lang: str = "en") -> ShaclReport:
    """Validate a shapes graph against SHACL-SHACL (the shapes graph is the data here)."""
    shapes = load_shapes() if shapes is None else shapes
    start = time.perf_counter()
    _, results, _ = pyshacl.validate(
        shapes, shacl_graph=shacl_shacl(), inference="none", allow_warnings=True
    )
    findings = _findings(results, shapes, Graph(), Graph(), lang, owners=False)
    return _report([results], findings, time.perf_counter() - start, {})


def node_shapes(shapes: Graph) -> list[URIRef]:
    """The named node shapes (one fixture case each), sorted."""
    found = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    return sorted(found, key=str)


def select_shapes(shapes: Graph, chosen: Iterable[URIRef]) -> Graph:
    """The part of ``shapes`` that the ``chosen`` shapes need: their descriptions, property
    shapes, lists and nested shapes, and the prefix declarations of their SPARQL queries."""
    out = Graph()
    _copy_reachable(
        shapes,
        list(chosen),
        out,
        lambda o: isinstance(o, BNode | URIRef) and (o, None, None) in shapes,
    )
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace)
    return out


def validate(
    data: Graph,
    context: Graph,
    lang: str = "en",
    shapes: Graph | None = None,
    engine: str = ENGINE,
    written: str | None = None,
) -> ShaclReport:
    """Check the nodes of ``data`` against ``shapes`` (default: shapes/*.ttl), looking up classes,
    schemes and labels in ``context``, with ``engine`` (one of ENGINES). ``written``: ``data``
    as an N-Triples document (tipkg.store.n_triples), when the caller has one."""
    shapes = load_shapes() if shapes is None else shapes
    start = time.perf_counter()
    axioms = _subclass_axioms(context)
    results, findings, seconds = _run(data, context, axioms, shapes, lang, engine, written)
    return _report([results], findings, time.perf_counter() - start, {"data": seconds})


def combine(reports: Sequence[ShaclReport]) -> ShaclReport:
    """One report of several runs (each report checked apart, in any order or process)."""
    runs: dict[str, float] = {}
    for report in reports:
        runs.update(report.runs)
    return _report(
        [graph for r in reports for graph in r.result_graphs],
        [f for r in reports for f in r.findings],
        sum(r.seconds for r in reports),
        runs,
    )


def validate_reports(
    reports: Mapping[str, Graph | Path],
    context: Graph,
    lang: str = "en",
    shapes: Graph | None = None,
    jobs: int | None = None,
    engine: str = ENGINE,
) -> ShaclReport:
    """Check each report alone (every shape, report-wide SPARQL included), on every core (`jobs`
    processes, default one per core), and the context once (reference data, concepts, build).
    A report given as a Turtle file is read by the worker that checks it, so that a large set of
    reports is never in memory at once."""
    shapes = load_shapes() if shapes is None else shapes
    start = time.perf_counter()
    axioms = _subclass_axioms(context)
    graphs: list[Graph] = []
    findings: list[Finding] = []
    runs: dict[str, float] = {}
    results, found, runs["context"] = _context_run(context, axioms, shapes, lang, engine)
    graphs.append(results)
    findings.extend(found)
    ordered = sorted(reports.items())

    def run(item: tuple[str, Graph | Path]) -> tuple[Graph, list[Finding], float]:
        return _run(read_turtle(item[1]), context, axioms, shapes, lang, engine)

    for (key, _), (results, found, seconds) in zip(
        ordered, fork_map(run, ordered, jobs), strict=True
    ):
        runs[key] = seconds
        graphs.append(results)
        findings.extend(found)
    return _report(graphs, findings, time.perf_counter() - start, runs)


# -- running pyshacl -------------------------------------------------------------------------

_CONTEXT_RUNS: dict[str, tuple[Graph, list[Finding]]] = {}
_CONTEXT_RUNS_KEPT = 4
T = TypeVar("T")


def _context_run(
    context: Graph,
    axioms: Sequence[tuple[Node, Node, Node]],
    shapes: Graph,
    lang: str,
    engine: str = ENGINE,
) -> tuple[Graph, list[Finding], float]:
    """The context's run, kept by the digest of what it reads (context, shapes, language): a
    revalidation after one report changed must not pay again for the unchanged context, which
    costs as much as a report."""
    start = time.perf_counter()
    key = _digest(context, shapes, lang, engine)
    kept = _CONTEXT_RUNS.get(key)
    if kept is None:
        results, found, _ = _run(context, context, axioms, shapes, lang, engine)
        if len(_CONTEXT_RUNS) >= _CONTEXT_RUNS_KEPT:
            _CONTEXT_RUNS.pop(next(iter(_CONTEXT_RUNS)))
        kept = _CONTEXT_RUNS[key] = (results, found)
    return kept[0], list(kept[1]), time.perf_counter() - start


def _digest(*parts: Graph | str) -> str:
    """A digest of graphs' triples (order-free; blank nodes by label, as parsed) and strings."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            digest.update(part.encode())
            continue
        lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in part)
        digest.update("\n".join(lines).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _subclass_axioms(context: Graph) -> list[tuple[Node, Node, Node]]:
    return [
        (s, RDFS.subClassOf, o)
        for s, o in context.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    ]


class _PreparedQueryGraph(Graph):
    """A Graph that answers pyshacl's SHACL-SPARQL queries fast.

    pyshacl hands the text of a SHACL-SPARQL constraint to ``Graph.query`` again for every focus
    node, with ``$this`` pre-bound, and rdflib parses and evaluates it each time: that was 40 %
    of the SHACL time of a report even with the text parsed once. Here such a query runs once,
    in pyoxigraph, with ``$this`` free, over a copy of the graph, and each focus node gets the
    rows whose ``$this`` is that node: the same rows, since ``$this`` is then bound by the
    query's own pattern. A query where that may not hold (no ``$this`` in the rows, or a
    construct under which binding first and filtering after differ: subqueries, aggregates,
    MINUS, VALUES, LIMIT) and any other query go to rdflib, parsed once per text.
    """

    _prepared: dict[str, Query] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows_by_focus: dict[str, dict[Node, list[Mapping[Variable, Identifier]]] | None] = {}
        self._columns: dict[str, list[Variable]] = {}
        self._store: ox.Store | None = None

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 (rdflib's name)
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql" and not initNs:
            if initBindings is not None and set(initBindings) == {"this"}:
                answered = self._answer(query_object, initBindings["this"])
                if answered is not None:
                    return answered
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )

    def _answer(self, text: str, focus: Node) -> Result | None:
        if text not in self._rows_by_focus:
            self._rows_by_focus[text] = self._run_once(text)
        rows = self._rows_by_focus[text]
        if rows is None:
            return None
        answer = Result("SELECT")
        answer.vars = self._columns[text]
        answer.bindings = rows.get(focus, [])
        return answer

    def _run_once(self, text: str) -> dict[Node, list[Mapping[Variable, Identifier]]] | None:
        if _ORDER_SENSITIVE.search(text):
            return None
        if self._store is None:
            self._store = in_memory(self)
        solutions = self._store.query(text)
        if not isinstance(solutions, ox.QuerySolutions):
            return None
        names = [variable.value for variable in solutions.variables]
        if "this" not in names:
            return None
        self._columns[text] = [Variable(name) for name in names]
        rows: dict[Node, list[Mapping[Variable, Identifier]]] = {}
        for solution in solutions:
            row = {
                Variable(name): rdflib_term(value)
                for name in names
                if (value := solution[name]) is not None
            }
            this = row.get(Variable("this"))
            if this is None:
                return None
            rows.setdefault(this, []).append(row)
        return rows


_ORDER_SENSITIVE = re.compile(
    r"\b(?:GROUP\s+BY|HAVING|LIMIT|OFFSET|MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b", re.IGNORECASE
)
"""What makes evaluating with $this free, then keeping its rows, differ from pre-binding."""


def _prepare(
    data: Graph, context: Graph, axioms: Sequence[tuple[Node, Node, Node]]
) -> tuple[Graph, set[URIRef]]:
    """The graph pyshacl validates (``data`` and _context_triples), and its stub nodes."""
    extra, stubs = _context_triples(data, context, axioms)
    if not extra:
        # The same triples, seen through a graph that prepares its queries; nothing is copied.
        return _PreparedQueryGraph(store=data.store, identifier=data.identifier), stubs
    graph = _PreparedQueryGraph()
    graph.addN((s, p, o, graph) for s, p, o in data)
    graph.addN((s, p, o, graph) for s, p, o in extra)
    return graph, stubs


def _context_triples(
    data: Graph, context: Graph, axioms: Sequence[tuple[Node, Node, Node]]
) -> tuple[list[tuple[Node, Node, Node]], set[URIRef]]:
    """What a run adds to ``data`` from the context, and the stub nodes.

    That is the subclass axioms, the context's description of the nodes that ``data`` types (a
    report restating that a State is a State gets the State's codes and labels with it), and the
    type and scheme of every other IRI mentioned: the stubs, typed only through the context,
    whose class-targeted results belong to the run that describes them. Both engines check
    ``data`` with the same additions.
    """
    index = _kept(_CONTEXT_INDEXES, context, _ContextIndex.of)
    extra: list[tuple[Node, Node, Node]] = [t for t in axioms if t not in data]
    mentioned: set[URIRef] = set()
    typed: set[Node] = set()  # the subjects data types
    for s, p, o in data:
        if isinstance(s, URIRef):
            mentioned.add(s)
        if isinstance(o, URIRef):
            mentioned.add(o)
        if p in _RDF_TYPE:
            typed.add(s)
    for iri in mentioned & typed:
        extra.extend(t for t in index.described.get(iri, ()) if t not in data)
    mentioned.update(o for _, _, o in extra if isinstance(o, URIRef))
    stubs: set[URIRef] = set()
    for iri in mentioned:
        for triple in index.stubbed.get(iri, ()):
            if triple not in data:
                extra.append(triple)
                if triple[1] == RDF.type and iri not in typed:
                    stubs.add(iri)
    return extra, stubs


_RDF_TYPE = frozenset({RDF.type})
"""rdf:type, looked up rather than compared on every triple (rdflib's == is a Python call)."""


@dataclass(frozen=True)
class _ContextIndex:
    """The context's triples by subject, all of them and those of the stub predicates: looked
    up for every IRI a report mentions, where asking the context graph took 5 ms a report."""

    described: dict[Node, list[tuple[Node, Node, Node]]]
    stubbed: dict[Node, list[tuple[Node, Node, Node]]]

    @classmethod
    def of(cls, context: Graph) -> _ContextIndex:
        described: dict[Node, list[tuple[Node, Node, Node]]] = {}
        stubbed: dict[Node, list[tuple[Node, Node, Node]]] = {}
        stub_predicates = set(_STUB_PREDICATES)
        for triple in context:
            described.setdefault(triple[0], []).append(triple)
            if triple[1] in stub_predicates:
                stubbed.setdefault(triple[0], []).append(triple)
        return cls(described, stubbed)


_CONTEXT_INDEXES: dict[int, tuple[Graph, int, _ContextIndex]] = {}


def _class_targeted(shapes: Graph) -> set[Node]:
    """The shapes whose focus nodes come from sh:targetClass."""
    return set(shapes.subjects(SH.targetClass, None))


def _run(
    data: Graph,
    context: Graph,
    axioms: Sequence[tuple[Node, Node, Node]],
    shapes: Graph,
    lang: str,
    engine: str = ENGINE,
    written: str | None = None,
) -> tuple[Graph, list[Finding], float]:
    start = time.perf_counter()
    if len(data) == 0:
        return Graph(), [], time.perf_counter() - start
    if engine == "sparql":
        kept = _compiled_run(data, context, axioms, shapes, written)
    elif engine == "pyshacl":
        kept = _pyshacl_run(data, context, axioms, shapes)
    else:
        raise ValueError(f"unknown SHACL engine {engine!r} (one of {', '.join(ENGINES)})")
    findings = _findings(kept, shapes, data, context, lang)
    conforms = not any(f.severity == "Violation" for f in findings)
    run = next(iter(kept.subjects(RDF.type, SH.ValidationReport)))
    kept.add((run, SH.conforms, Literal(conforms)))
    return kept, findings, time.perf_counter() - start


def _pyshacl_run(
    data: Graph, context: Graph, axioms: Sequence[tuple[Node, Node, Node]], shapes: Graph
) -> Graph:
    """The reference engine's results, stubs' class-targeted results left out."""
    graph, stubs = _prepare(data, context, axioms)
    # pyshacl's focus_nodes option would be the obvious way to leave the stubs out, but it also
    # filters the nested validations (sh:node, sh:qualifiedValueShape, sh:or on value nodes), which
    # then pass silently; the stubs are validated and their class-targeted results dropped here.
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_infos=True,
        allow_warnings=True,
        inplace=True,
    )
    targeted = _class_targeted(shapes)
    kept = Graph()
    for prefix, namespace in results.namespaces():
        kept.bind(prefix, namespace)
    run = BNode()
    kept.add((run, RDF.type, SH.ValidationReport))
    for result in _top_results(results):
        focus = results.value(result, SH.focusNode)
        source = results.value(result, SH.sourceShape)
        if focus in stubs and source is not None and _owner(shapes, source) in targeted:
            continue
        _copy_tree(results, result, kept)
        kept.add((run, SH.result, result))
    _retag_messages(kept, shapes)
    return kept


_COMPILED: dict[int, tuple[Graph, int, CompiledShapes]] = {}


def compiled_shapes(shapes: Graph) -> CompiledShapes:
    """``shapes`` compiled (tipkg.validate.compiled), once per shapes graph: the gate loads the
    shapes once and checks every report with them."""
    return _kept(_COMPILED, shapes, compile_shapes)


def _kept(cache: dict[int, tuple[Graph, int, T]], graph: Graph, make: Callable[[Graph], T]) -> T:
    """What `make` makes of `graph`, made once per graph, for the graphs every report is checked
    with (the shapes, the context). Kept by the graph's identity and size (a graph changed in
    place to the same size would not be made again: nothing does that)."""
    kept = cache.get(id(graph))
    if kept is not None and kept[0] is graph and kept[1] == len(graph):
        return kept[2]
    if len(cache) >= _CONTEXT_RUNS_KEPT:
        cache.pop(next(iter(cache)))
    made = make(graph)
    cache[id(graph)] = (graph, len(graph), made)
    return made


def _compiled_run(
    data: Graph,
    context: Graph,
    axioms: Sequence[tuple[Node, Node, Node]],
    shapes: Graph,
    written: str | None = None,
) -> Graph:
    """The compiled engine's results, written as pyshacl writes its results graph (the same
    terms, the same value and path conventions), so that _findings reads both alike."""
    compiled = compiled_shapes(shapes)
    extra, stubs = _context_triples(data, context, axioms)
    if written is not None:
        written += n_triples(statements(extra))
    kept = Graph()
    for prefix, namespace in shapes.namespaces():
        kept.bind(prefix, namespace)
    run = BNode()
    kept.add((run, RDF.type, SH.ValidationReport))
    seen: set[tuple[Node | None, ...]] = set()
    # A stub is validated where it is described (see _context_triples).
    for found in compiled.run(itertools.chain(data, extra), stubs, written):
        check = found.check
        key = (
            check.shape,
            check.component,
            check.constraint,
            found.focus,
            found.value,
            found.path,
        )
        if key in seen:
            continue
        seen.add(key)
        result = BNode()
        kept.add((run, SH.result, result))
        kept.add((result, RDF.type, SH.ValidationResult))
        kept.add((result, SH.focusNode, found.focus))
        kept.add((result, SH.resultSeverity, check.severity))
        kept.add((result, SH.sourceShape, check.shape))
        if isinstance(check.shape, BNode):
            # pyshacl copies a property shape's description into its results: so does this.
            _copy_reachable(shapes, [check.shape], kept, lambda o: isinstance(o, BNode))
        kept.add((result, SH.sourceConstraintComponent, check.component))
        if check.constraint is not None:
            kept.add((result, SH.sourceConstraint, check.constraint))
        if found.value is not None:
            kept.add((result, SH.value, found.value))
        if found.path is not None:
            kept.add((result, SH.resultPath, found.path))
            if isinstance(found.path, BNode):
                _copy_reachable(shapes, [found.path], kept, lambda o: isinstance(o, BNode))
        for message in found.messages:
            kept.add((result, SH.resultMessage, message))
    return kept


def _top_results(results: Graph) -> list[Node]:
    """The results of a report (not the nested sh:detail results under them)."""
    return [
        result
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for result in results.objects(report, SH.result)
    ]


def _retag_messages(results: Graph, shapes: Graph) -> None:
    """Give back their language tags to SHACL-SPARQL messages.

    pyshacl (0.40) fills in ``{?var}`` in a SPARQL constraint's sh:message but writes the result
    as an untagged literal; the tag is recovered from the message template it was made from.
    """
    for result in _top_results(results):
        constraint = results.value(result, SH.sourceConstraint)
        if constraint is None:
            continue
        templates = [
            (_template_regex(str(m)), m.language)
            for m in shapes.objects(constraint, SH.message)
            if isinstance(m, Literal) and m.language
        ]
        for message in list(results.objects(result, SH.resultMessage)):
            if not isinstance(message, Literal) or message.language:
                continue
            for regex, language in templates:
                if regex.fullmatch(str(message)):
                    results.remove((result, SH.resultMessage, message))
                    results.add((result, SH.resultMessage, Literal(str(message), lang=language)))
                    break


def _template_regex(template: str) -> re.Pattern[str]:
    escaped = re.escape(template)
    return re.compile(re.sub(r"\\\{\\[?$][A-Za-z_]\w*\\\}", ".*?", escaped), re.DOTALL)


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """``node``'s triples and those of the blank nodes below it."""
    _copy_reachable(source, [node], target, lambda o: isinstance(o, BNode))


def _copy_reachable(
    source: Graph, roots: list[Node], target: Graph, follow: Callable[[Node], bool]
) -> None:
    """The triples of ``roots`` and of every object ``follow`` accepts, recursively."""
    todo = list(roots)
    seen: set[Node] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            if follow(o):
                todo.append(o)


def _report(
    graphs: list[Graph], findings: Iterable[Finding], seconds: float, runs: dict[str, float]
) -> ShaclReport:
    unique = sorted(set(findings), key=_order)
    conforms = not any(f.severity == "Violation" for f in unique)
    return ShaclReport(conforms, unique, graphs, seconds, runs)


def _order(f: Finding) -> tuple[int, str, str, str, str, str]:
    rank = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES)
    return (rank, f.focus, f.shape, f.path, f.value, f.message)


def _merge(graphs: list[Graph], conforms: bool) -> Graph:
    """One sh:ValidationReport holding the results of every run."""
    merged = Graph()
    merged.bind("sh", SH)
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            merged.bind(prefix, namespace, override=False)
        for result in _top_results(graph):
            merged.add((report, SH.result, result))
        for s, p, o in graph:
            if (s, RDF.type, SH.ValidationReport) not in graph:
                merged.add((s, p, o))
    return merged


# -- reading the results ---------------------------------------------------------------------


def _findings(
    results: Graph, shapes: Graph, data: Graph, context: Graph, lang: str, owners: bool = True
) -> list[Finding]:
    found: list[Finding] = []
    for result in _top_results(results):
        source = results.value(result, SH.sourceShape)
        shape = _owner(shapes, source) if owners and source is not None else source
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Finding(
                shape=str(shape) if isinstance(shape, URIRef) else "",
                focus=str(focus) if focus is not None else "",
                focus_label=_label(focus, lang, data, context),
                path=_path(results, path, shapes) if path is not None else "",
                value=str(value) if value is not None and value != focus else "",
                severity=_local(severity) if isinstance(severity, URIRef) else "Violation",
                message=_pick(results.objects(result, SH.resultMessage), lang),
            )
        )
    return found


def _owner(shapes: Graph, node: Node) -> Node:
    """The named shape that ``node`` (a property shape, a nested shape) belongs to."""
    seen: set[Node] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(shapes.subjects(None, node)), None)
        while parent is not None and (parent, RDF.first, None) in shapes:
            # A member of an RDF list (sh:or, sh:and, sh:xone): climb to the list's head.
            head = parent
            parent = next(iter(shapes.subjects(RDF.rest, head)), None)
            if parent is None:
                parent = next(iter(shapes.subjects(None, head)), None)
        if parent is None:
            break
        node = parent
    return node


def _label(node: Node | None, lang: str, *graphs: Graph) -> str:
    if node is None:
        return ""
    labels: list[Literal] = [
        label
        for graph in graphs
        for label in graph.objects(node, RDFS.label)
        if isinstance(label, Literal)
    ]
    return _pick(labels, lang)


def _pick(literals: Iterable[Node], lang: str) -> str:
    """The literal in ``lang``, else in the other of fr/en, else untagged, else any."""
    found = sorted((n for n in literals if isinstance(n, Literal)), key=str)
    order = [lang] + [other for other in LANGUAGES if other != lang] + [None]
    for wanted in order:
        for literal in found:
            if literal.language == wanted:
                return str(literal)
    return str(found[0]) if found else ""


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _path(graph: Graph, path: Node, shapes: Graph) -> str:
    """A result path as text: the IRI itself, or a SPARQL property path in prefixed names."""
    if isinstance(path, URIRef):
        return str(path)
    return _path_expr(graph, path, shapes)


def _path_expr(graph: Graph, path: Node, shapes: Graph) -> str:
    if isinstance(path, URIRef):
        return path.n3(shapes.namespace_manager)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_expr(graph, inverse, shapes)}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        members = [_path_expr(graph, p, shapes) for p in _members(graph, alternatives)]
        return "(" + "|".join(members) + ")"
    for key, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, key)
        if inner is not None:
            return f"({_path_expr(graph, inner, shapes)}){suffix}"
    if (path, RDF.first, None) in graph:
        return "/".join(_path_expr(graph, p, shapes) for p in _members(graph, path))
    return str(path)


def _members(graph: Graph, head: Node) -> Iterator[Node]:
    yield from Collection(graph, head)
