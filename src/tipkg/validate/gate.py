"""The gate every build passes and `tipkg validate` runs: SHACL, QC rules, fidelity, OWL.

One function for both, so the build and the command can never disagree about what "valid" means.
SHACL is the gate on the data (a Violation fails; Warnings are reported); QC rules hold the
ontology to its hygiene and catch undeclared terms in data; fidelity proves each recommendation's
text against its source; HermiT proves the whole consistent.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Node

from tipkg.errors import InputError
from tipkg.parallel import fork_map
from tipkg.rdf.turtle import read_turtle
from tipkg.store import n_triples, quads, statements
from tipkg.validate.clashes import ClashScan, NodeTypes
from tipkg.validate.fidelity import FidelityFinding, check_fidelity
from tipkg.validate.owl import OwlResult, check_consistency
from tipkg.validate.qc import QcFailure, QcRule, load_rules, run_qc
from tipkg.validate.shacl import (
    Finding,
    ShaclReport,
    combine,
    compiled_shapes,
    load_shapes,
    validate,
)

CHECKS = ("shacl", "qc", "fidelity", "owl")


@dataclass
class GateReport:
    shacl: ShaclReport | None = None
    qc: list[QcFailure] = field(default_factory=list)
    fidelity: list[FidelityFinding] = field(default_factory=list)
    owl: OwlResult | None = None
    ran: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        shacl_ok = self.shacl is None or self.shacl.conforms
        qc_ok = not any(failure.rule.severity == "error" for failure in self.qc)
        owl_ok = self.owl is None or self.owl.ok
        return shacl_ok and qc_ok and owl_ok and not self.fidelity

    @property
    def failed(self) -> list[str]:
        """The checks that found a fault (a check that could not decide is not among them)."""
        return [
            name
            for name, ok in (
                ("shacl", self.shacl is None or self.shacl.conforms),
                ("qc", not any(failure.rule.severity == "error" for failure in self.qc)),
                ("fidelity", not self.fidelity),
                ("owl", self.owl is None or (self.owl.consistent and not self.owl.unsatisfiable)),
            )
            if not ok
        ]

    @property
    def undecided(self) -> list[str]:
        """Why a check could not decide: the OWL check refused data it does not model."""
        return list(self.owl.undecided) if self.owl is not None else []

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.shacl is not None:
            out.extend(_shacl_lines(self.shacl))
        if "qc" in self.ran:
            for failure in self.qc:
                rule = failure.rule
                out.append(f"QC {rule.severity}: {rule.name}: {rule.title} ({rule.path.name})")
                out.extend(
                    "    " + ", ".join(f"{k}={v}" for k, v in row.items())
                    for row in failure.rows[:20]
                )
                if len(failure.rows) > 20:
                    out.append(f"    … and {len(failure.rows) - 20} more rows")
            out.append(f"qc: {'passed' if not self.qc else 'failed'}")
        if "fidelity" in self.ran:
            out.extend(
                f"fidelity: recommendation {f.number} <{f.focus}>: {f.problem}"
                for f in self.fidelity
            )
            out.append(f"fidelity: {'passed' if not self.fidelity else 'failed'}")
        if self.owl is not None:
            if self.owl.undecided and self.owl.consistent and not self.owl.unsatisfiable:
                out.append(f"owl: UNDECIDED ({self.owl.method})")
                out.extend("    " + line for line in self.owl.undecided)
            elif self.owl.consistent and not self.owl.unsatisfiable:
                out.append(f"owl: consistent ({self.owl.method}, {self.owl.seconds:.1f} s)")
            else:
                out.append("owl: INCONSISTENT")
                out.extend("    " + line for line in self.owl.explanation.splitlines() if line)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": self.ran,
            "seconds": self.seconds,
            "shacl": None
            if self.shacl is None
            else {
                "conforms": self.shacl.conforms,
                "findings": [vars(f) for f in self.shacl.findings],
            },
            "qc": [
                {
                    "rule": f.rule.name,
                    "severity": f.rule.severity,
                    "title": f.rule.title,
                    "rows": f.rows,
                }
                for f in self.qc
            ],
            "fidelity": [vars(f) for f in self.fidelity],
            "owl": None
            if self.owl is None
            else {
                "consistent": self.owl.consistent,
                "unsatisfiable": self.owl.unsatisfiable,
                "explanation": self.owl.explanation,
                "undecided": self.owl.undecided,
            },
        }


def _shacl_lines(report: ShaclReport) -> list[str]:
    """Findings grouped by shape, then by focus node (with its label), then each value at fault."""
    out: list[str] = []
    groups: dict[str, dict[tuple[str, str], list[Finding]]] = {}
    for finding in report.findings:
        by_focus = groups.setdefault(finding.shape, {})
        by_focus.setdefault((finding.focus, finding.focus_label), []).append(finding)
    for shape, by_focus in groups.items():
        out.append(f"SHACL shape <{shape}>")
        for (focus, label), findings in by_focus.items():
            out.append(f"  <{focus}>" + (f" « {label} »" if label else ""))
            for f in findings:
                where = f" {f.path}" if f.path else ""
                value = f" = {f.value!r}" if f.value else ""
                out.append(f"    {f.severity}{where}{value}: {f.message}")
    violations, warnings = len(report.violations), len(report.warnings)
    verdict = "passed" if report.conforms else "failed"
    out.append(f"shacl: {verdict} ({violations} violations, {warnings} warnings)")
    return out


@dataclass(frozen=True)
class GateContext:
    """What every check reads besides the data: loaded once, shared by every report."""

    ontology: Graph
    reference: Graph
    extra: Graph
    """Provenance and links: checked once with the reference data."""
    shapes: Graph
    lang: str
    rules: tuple[QcRule, ...] = ()

    def qc_rules(self, scope: str) -> list[QcRule]:
        return [rule for rule in self.rules if rule.scope == scope]

    @cached_property
    def context(self) -> Graph:
        return self.ontology + self.reference + self.extra

    @cached_property
    def clash_scan(self) -> ClashScan:
        return ClashScan(self.context)

    def warm(self) -> None:
        """What every report's checks read made now: a caller that forks its workers after this
        makes it once, and they inherit it."""
        self.clash_scan  # noqa: B018
        self.ontology_quads  # noqa: B018

    @cached_property
    def ontology_quads(self) -> list[ox.Quad]:
        """The ontology in pyoxigraph's terms, for the QC rules every report runs with it:
        converted once rather than per report (6 of a report's 17 ms of QC)."""
        return quads(self.ontology)


def gate_context(
    ontology: Graph, reference: Graph, extra: Graph | None = None, lang: str = "en"
) -> GateContext:
    shapes = load_shapes()
    # Compiled here, before any report is read: a shape the compiler does not translate stops
    # the gate at once (UnsupportedShape), and the workers forked later inherit the compiled form.
    compiled_shapes(shapes)
    return GateContext(ontology, reference, extra or Graph(), shapes, lang, tuple(load_rules()))


@dataclass
class ReportChecks:
    """The checks of one report: they read only that report and the context, so they can run
    apart (in another process) and be kept while the report does not change."""

    key: str
    shacl: ShaclReport | None = None
    qc: list[QcFailure] = field(default_factory=list)
    fidelity: list[FidelityFinding] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """What the clash scan could not decide in this report (schema axioms in the data...)."""
    shared: dict[str, NodeTypes] = field(default_factory=dict)
    """The types the report gives to nodes it does not mint, for the scan across reports."""
    seconds: dict[str, float] = field(default_factory=dict)
    triples: int = 0
    stored: int | None = None
    """The report's triples as a pyoxigraph store holds them, which keeps a literal by its value
    ("05" and "5" as xsd:integer are one): counted by the QC rules' store, None when they did
    not run."""


def check_report(
    key: str,
    graph: Graph,
    gate: GateContext,
    sources: list[Path],
    *,
    only: str | None = None,
    read: Mapping[tuple[str, str], str] | None = None,
    as_statements: Sequence[str] | None = None,
) -> ReportChecks:
    """SHACL on the report (report-wide constraints included), QC rules that read data, the
    fidelity of every recommendation to its source and the OWL clash scan. `read` saves reading
    again the sources already read (check_fidelity); `as_statements`, writing the graph again
    as N-Triples (tipkg.store.statements)."""
    checks = ReportChecks(key, triples=len(graph))
    # The report as one N-Triples document, read by the SHACL stores and the QC rules' store.
    document = n_triples(as_statements) if as_statements is not None else None
    if only in (None, "shacl"):
        started = time.perf_counter()
        checks.shacl = validate(graph, gate.context, gate.lang, gate.shapes, written=document)
        checks.shacl.runs = {key: checks.shacl.seconds}
        checks.seconds["shacl"] = time.perf_counter() - started
    if only in (None, "qc"):
        started = time.perf_counter()
        # The two graphs copied into one store, not united by rdflib first (twice the time);
        # the report as N-Triples text, which pyoxigraph reads faster than its terms are built.
        store = ox.Store()
        if document is None:
            document = n_triples(statements(graph))
        store.load(document, ox.RdfFormat.N_TRIPLES, lenient=True)
        checks.stored = len(store)
        store.extend(gate.ontology_quads)
        checks.qc = run_qc(store, gate.qc_rules("data"))
        checks.seconds["qc"] = time.perf_counter() - started
    if only in (None, "fidelity"):
        started = time.perf_counter()
        checks.fidelity = check_fidelity(graph, sources, read)
        checks.seconds["fidelity"] = time.perf_counter() - started
    if only in (None, "owl"):
        started = time.perf_counter()
        scan = gate.clash_scan.scan(graph, key)
        checks.clashes, checks.shared, checks.refused = scan.clashes, scan.shared, scan.refused
        checks.seconds["owl"] = time.perf_counter() - started
    return checks


def check_context(
    gate: GateContext, owl_data: Graph | None, *, only: str | None = None
) -> GateReport:
    """SHACL on the reference data, provenance and links; QC rules on the ontology; HermiT on
    the ontology and the reference data, and on `owl_data` too (the reports that changed) when
    given and no larger than OWL_DATA_LIMIT. Every report is also scanned for clashes
    (check_report), which decides the data's consistency whatever its size."""
    report = GateReport()
    if only in (None, "shacl"):
        started = time.perf_counter()
        report.shacl = validate(gate.context, gate.context, gate.lang, gate.shapes)
        report.shacl.runs = {"context": report.shacl.seconds}
        report.seconds["shacl"] = time.perf_counter() - started
    if only in (None, "qc"):
        started = time.perf_counter()
        report.qc = run_qc(gate.ontology, gate.qc_rules("ontology"))
        report.seconds["qc"] = time.perf_counter() - started
    if only in (None, "owl"):
        started = time.perf_counter()
        report.owl = _consistency(gate.context, owl_data)
        report.seconds["owl"] = time.perf_counter() - started
    report.ran = [name for name in CHECKS if only in (None, name)]
    return report


def context_to_json(report: GateReport) -> dict[str, Any]:
    """A context's report (check_context), to keep in the build directory: the next build whose
    context has the same fingerprint reads it back instead of checking the context again."""
    shacl = report.shacl
    return {  # copies: merge() later adds the reports' checks to the report in place
        "ran": list(report.ran),
        "seconds": dict(report.seconds),
        "shacl": None
        if shacl is None
        else {
            "findings": [vars(f) for f in shacl.findings],
            "results": shacl.results_graph.serialize(format="nt"),
            "seconds": shacl.seconds,
            "runs": dict(shacl.runs),
        },
        "qc": [{"rule": f.rule.name, "rows": list(f.rows)} for f in report.qc],
        "owl": None if report.owl is None else asdict(report.owl),
    }


def context_from_json(data: dict[str, Any], gate: GateContext) -> GateReport | None:
    """context_to_json read back, or None when it names a QC rule `gate` does not have."""
    rules = {rule.name: rule for rule in gate.rules}
    if any(f["rule"] not in rules for f in data["qc"]):
        return None
    report = GateReport(ran=list(data["ran"]), seconds=dict(data["seconds"]))
    shacl = data["shacl"]
    if shacl is not None:
        findings = [Finding(**f) for f in shacl["findings"]]
        report.shacl = ShaclReport(
            conforms=not any(f.severity == "Violation" for f in findings),
            findings=findings,
            result_graphs=[Graph().parse(data=shacl["results"], format="nt")],
            seconds=float(shacl["seconds"]),
            runs=dict(shacl["runs"]),
        )
    report.qc = [QcFailure(rules[f["rule"]], list(f["rows"])) for f in data["qc"]]
    if data["owl"] is not None:
        report.owl = OwlResult(**data["owl"])
    return report


def check_provenance(gate: GateContext, provenance: Graph) -> ReportChecks:
    """The build's own provenance, checked as data against the context (SHACL and the clash
    scan): it changes with every build, so it is kept out of the context whose checks are kept
    while its fingerprint holds."""
    checks = ReportChecks("build", triples=len(provenance))
    started = time.perf_counter()
    # Not `context + provenance`: what validate adds from the context is what the data lacks,
    # so the union gave the same run and cost 0.2 s of every rebuild to make.
    checks.shacl = validate(provenance, gate.context, gate.lang, gate.shapes)
    checks.shacl.runs = {"build": checks.shacl.seconds}
    checks.seconds["shacl"] = time.perf_counter() - started
    started = time.perf_counter()
    scan = gate.clash_scan.scan(provenance, "build")
    checks.clashes, checks.refused = scan.clashes, scan.refused
    checks.seconds["owl"] = time.perf_counter() - started
    return checks


OWL_DATA_LIMIT = 5_000
"""Up to this many triples of changed data, HermiT reasons over it too (a report or two: the
2020 report has 2,500): its time grows much faster than the data (8 s at 10k triples, over
15 min at 100k). Above, the clash scan (tipkg.validate.clashes), exact for the ontology's
constructs, decides alone."""


def owl_data_of(
    reports: Iterable[Graph | Path], triples: int, known: ContextStatements | None = None
) -> Graph | None:
    """The union of `reports` (`triples` in all) for HermiT, or None when they are more than
    OWL_DATA_LIMIT; with `known`, less the context's own statements."""
    if triples > OWL_DATA_LIMIT:
        return None
    data = Graph()
    for report in reports:
        graph = read_turtle(report)
        data += known.strip(graph) if known is not None else graph
    return data


def _consistency(context: Graph, data: Graph | None) -> OwlResult:
    if data is not None and len(data) <= OWL_DATA_LIMIT:
        result = check_consistency(context + data)
        result.method = "HermiT over the ontology, reference data and data"
        result.data_reasoned = True
        return result
    result = check_consistency(context)
    result.method = "HermiT over the ontology and reference data"
    return result


def _with_clashes(
    owl: OwlResult, clashes: list[str], refused: list[str], scanned: int
) -> OwlResult:
    method = f"{owl.method}; clash scan of {scanned} report{'' if scanned == 1 else 's'}"
    undecided: list[str] = []
    if refused and owl.data_reasoned:
        method += " (HermiT decided what the scan does not model)"
    elif refused:
        undecided = sorted(set(refused))[:10] + [
            f"the data is over {OWL_DATA_LIMIT:,} triples, too large for HermiT: check it "
            "without its schema axioms, or in parts"
        ]
    if not clashes:
        return replace(owl, method=method, undecided=undecided)
    return OwlResult(
        consistent=False,
        unsatisfiable=owl.unsatisfiable,
        explanation="\n".join(clashes[:10])
        + (f"\n... and {len(clashes) - 10} more" if len(clashes) > 10 else ""),
        seconds=owl.seconds,
        method=method,
        undecided=undecided,
        data_reasoned=owl.data_reasoned,
    )


def merge(
    report: GateReport,
    checks: list[ReportChecks],
    gate: GateContext,
    shared: dict[str, dict[str, NodeTypes]] | None = None,
) -> GateReport:
    """The context's report with every report's checks added, in a stable order. `shared`: the
    types each report (checked now or reused) gives to nodes it does not mint, by report key
    (default: those of `checks`), scanned together for clashes across reports."""
    ordered = sorted(checks, key=lambda c: c.key)
    if report.owl is not None:
        if shared is None:
            shared = {c.key: c.shared for c in ordered}
        clashes = [clash for c in ordered for clash in c.clashes]
        clashes += gate.clash_scan.across(shared)
        refused = [reason for c in ordered for reason in c.refused]
        report.owl = _with_clashes(report.owl, clashes, refused, len(shared))
    if report.shacl is not None:
        report.shacl = combine([report.shacl, *(c.shacl for c in ordered if c.shacl)])
    report.qc = _merge_qc(report.qc + [f for c in ordered for f in c.qc])
    report.fidelity = sorted(
        [f for c in ordered for f in c.fidelity], key=lambda f: (f.focus, f.problem)
    )
    for c in ordered:
        for name, seconds in c.seconds.items():
            report.seconds[name] = round(report.seconds.get(name, 0.0) + seconds, 3)
    report.seconds = {name: round(s, 3) for name, s in report.seconds.items()}
    return report


def _merge_qc(failures: list[QcFailure]) -> list[QcFailure]:
    by_rule: dict[str, QcFailure] = {}
    for failure in failures:
        kept = by_rule.setdefault(failure.rule.name, QcFailure(failure.rule, []))
        kept.rows.extend(row for row in failure.rows if row not in kept.rows)
    return [by_rule[name] for name in sorted(by_rule)]


def run_gate(
    ontology: Graph,
    reference: Graph,
    reports: Mapping[str, Graph | Path],
    sources: list[Path],
    *,
    extra_context: Graph | None = None,
    only: str | None = None,
    lang: str = "en",
    strip_context: bool = False,
) -> GateReport:
    """Every check over a set of reports: each report on its own, on every core (a report given
    as a Turtle file is read by the worker that checks it), then the context once (the build
    runs the same two functions). With `strip_context`, the statements a report shares with the
    context (the ontology and reference data, which a full dump holds whole) are taken out of
    it first: they are checked once, as the context. Raises ReasonerUnavailable when HermiT
    cannot run, ReasonerError when it fails on the input, InputError when a file is not Turtle
    or holds no triple."""
    if only not in (None, *CHECKS):
        raise ValueError(f"unknown check {only!r}")
    gate = gate_context(ontology, reference, extra_context, lang)
    gate.warm()
    known = ContextStatements(gate.context) if strip_context else None

    def check(item: tuple[str, Graph | Path]) -> ReportChecks:
        key, report = item
        graph = read_turtle(report)
        if isinstance(report, Path) and len(graph) == 0:
            raise InputError(report, None, "no triples: an empty graph has nothing to check")
        if known is not None:
            graph = known.strip(graph)
        return check_report(key, graph, gate, sources, only=only)

    checks = list(fork_map(check, sorted(reports.items())))
    owl_data = owl_data_of(reports.values(), sum(c.triples for c in checks), known)
    return merge(check_context(gate, owl_data, only=only), checks, gate)


_Key = tuple[object, ...]


class ContextStatements:
    """The statements of a context graph, blank-node structures included, to take out of data
    that repeats them. A blank node is known by what it says (its outgoing statements, blank
    objects by theirs, in turn), so the context's `tip:x rdfs:domain [ owl:unionOf (...) ]`
    matches the same union written with other blank node labels; ground triples match as they
    are. What remains of the data is checked as data; what was taken out is the context's own
    and is checked as the context."""

    _DEPTH = 64
    """Deeper blank-node nesting (a long RDF list) is not matched: it stays in the data."""

    def __init__(self, context: Graph) -> None:
        self.context = context
        self.blank: set[_Key] = set()
        memo: dict[Node, object] = {}
        for triple in context:
            if any(isinstance(node, BNode) for node in triple):
                self.blank.add(self._key(context, triple, memo))

    def strip(self, graph: Graph) -> Graph:
        memo: dict[Node, object] = {}
        kept = Graph()
        for prefix, namespace in graph.namespaces():
            kept.bind(prefix, namespace, override=False)
        for triple in graph:
            if any(isinstance(node, BNode) for node in triple):
                if self._key(graph, triple, memo) in self.blank:
                    continue
            elif triple in self.context:
                continue
            kept.add(triple)
        return kept

    def _key(self, graph: Graph, triple: tuple[Node, Node, Node], memo: dict[Node, object]) -> _Key:
        return tuple(self._term(graph, node, memo, 0) for node in triple)

    def _term(self, graph: Graph, node: Node, memo: dict[Node, object], depth: int) -> object:
        if not isinstance(node, BNode):
            return node
        if node in memo:
            return memo[node]
        if depth > self._DEPTH:
            return object()  # matches nothing
        memo[node] = object()  # a cycle through blank nodes matches nothing
        described = frozenset(
            (p, self._term(graph, o, memo, depth + 1)) for p, o in graph.predicate_objects(node)
        )
        memo[node] = ("_", described)
        return memo[node]
