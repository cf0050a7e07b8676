"""`tipkg build`: every source through extract → RDF → checks → store, written all or nothing."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import DCTERMS, RDFS, Graph, Literal
from rdflib.term import Node

from tipkg import __version__, iris
from tipkg.errors import InputError, Warning
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import SUFFIXES, check_source_name, metadata_path, read_source
from tipkg.links import check_links, compile_links, load_mappings
from tipkg.ontology import load_ontology
from tipkg.outputs import (
    BUILD_MANIFEST,
    check_replaceable,
    link_or_copy,
    staging_for,
    swap_into_place,
)
from tipkg.parallel import fork_map
from tipkg.paths import ROOT, SOURCES_DIR
from tipkg.rdf.report import BodyLabels, BuildInfo, build_graph, report_graph
from tipkg.rdf.rules import rules_from
from tipkg.rdf.turtle import canonical_turtle
from tipkg.reference import load_reference
from tipkg.store import NewStore, load, n_quads, rdflib_term, statements, update_store
from tipkg.validate.clashes import NodeTypes
from tipkg.validate.gate import (
    OWL_DATA_LIMIT,
    GateContext,
    GateReport,
    ReportChecks,
    check_context,
    check_provenance,
    check_report,
    context_from_json,
    context_to_json,
    gate_context,
    merge,
)

MANIFEST = BUILD_MANIFEST


@dataclass
class BuildSummary:
    out: Path
    documents: int = 0
    recommendations: int = 0
    participants: int = 0
    triples: int = 0
    warnings: list[Warning] = field(default_factory=list)
    gate: GateReport | None = None
    rebuilt: int = 0
    context_reused: bool = False
    """The context's checks (SHACL, QC, HermiT) were read from the last build, not run."""
    store_updated: bool = False
    """The store was the last build's, with only the graphs that changed replaced."""
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage. Wall clock: "load" (ontology, reference data, rules, links),
    "reports" (extracting and checking the reports, in parallel; a new store is meanwhile
    loaded with each report as it is checked), "context" (links and the context's checks),
    "write" (Turtle files and the store: the rest of a new store's graphs, or the last build's
    store updated). Summed over the reports, in their worker processes: "extract", "rdf",
    "checks", "turtle"."""

    def lines(self) -> list[str]:
        return [
            f"built {self.out}/",
            f"  documents:       {self.documents} ({self.rebuilt} extracted, "
            f"{self.documents - self.rebuilt} unchanged)",
            f"  recommendations: {self.recommendations}",
            f"  participants:    {self.participants}",
            f"  triples:         {self.triples}",
            f"  warnings:        {len(self.warnings)}",
            *(f"  {line}" for line in (self.gate.lines() if self.gate else [])),
        ]


class CheckFailed(Exception):
    """A check failed: the build wrote nothing. The extraction's warnings travel with it, so
    that they are shown whatever the outcome."""

    def __init__(self, message: str, warnings: list[Warning] | None = None) -> None:
        super().__init__(message)
        self.warnings = list(warnings or [])


def default_sources() -> list[Path]:
    return sorted(p for p in SOURCES_DIR.iterdir() if p.suffix in SUFFIXES and p.is_file())


def build_time() -> dt.datetime:
    """The build's time, reproducible: SOURCE_DATE_EPOCH, else the last commit's time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _label(graph: Graph, subject: object, lang: str) -> str:
    for label in graph.objects(subject, RDFS.label):  # type: ignore[arg-type]
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return ""


INPUT_DIRS = ("ontology", "shapes", "queries/qc", "data/reference", "data/mappings", "src/tipkg")


def inputs_fingerprint() -> str:
    """What every report's output depends on besides its source: the code (its version and its
    source files, so an edit between releases is never served stale) and the ontology, shapes,
    QC rules, reference data and link tables."""
    digest = hashlib.sha256(__version__.encode())
    for folder in INPUT_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class _Shared:
    """Loaded once in the parent; worker processes inherit it when they fork."""

    rules: Rules
    reference: Graph
    gate: GateContext
    time: dt.datetime
    inputs: str
    linked: frozenset[str]
    """The resources the link tables start from: what the link check reads of a report."""


_SHARED: _Shared | None = None


@dataclass
class ReportOutcome:
    key: str
    path: Path
    sha256: str
    fingerprint: str
    turtle: str | None
    """None for a reused report: its file in the previous build is linked, never read."""
    n_quads: bytes | None
    """The report's graph as N-Quads in its named graph, for the store; None for a reused
    report."""
    recommendations: int
    participants: list[str]
    warnings: list[Warning]
    checks: ReportChecks | None
    shared: dict[str, NodeTypes]
    seconds: dict[str, float] = field(default_factory=dict)
    link_data: list[tuple[Node, Node, Node]] | None = None
    reused: bool = False
    previous_file: Path | None = None
    """A reused report's Turtle file in the previous build."""


def _fingerprint(inputs: str, source_sha: str, meta_bytes: bytes) -> str:
    digest = hashlib.sha256(inputs.encode())
    digest.update(source_sha.encode())
    digest.update(hashlib.sha256(meta_bytes).digest())
    return digest.hexdigest()


def _process(path: Path) -> ReportOutcome:
    """One source through extract → RDF → its own checks → canonical Turtle."""
    shared = _SHARED
    assert shared is not None
    started = time.perf_counter()
    source = read_source(path)
    report, warnings = extract(source, shared.rules)
    body = iris.organization(source.meta.body)
    labels = BodyLabels(_label(shared.reference, body, "fr"), _label(shared.reference, body, "en"))
    if not labels.fr or not labels.en:
        raise InputError(path, None, f"body {source.meta.body!r} is not in the reference data")
    under_review = None
    if source.meta.state_under_review:
        state = iris.state(source.meta.state_under_review)
        under_review = BodyLabels(
            _label(shared.reference, state, "fr"), _label(shared.reference, state, "en")
        )
        if not under_review.fr or not under_review.en:
            raise InputError(
                metadata_path(path),
                None,
                f"state_under_review {source.meta.state_under_review!r} is not in the reference "
                "data",
            )
    seconds = {"extract": time.perf_counter() - started}
    started = time.perf_counter()
    fingerprint = _fingerprint(shared.inputs, source.sha256, metadata_path(path).read_bytes())
    info = BuildInfo(iris.build(fingerprint[:16]), __version__, shared.time)
    graph = report_graph(source, report, info, labels, under_review)
    graph += build_graph(info)  # in place: a union would copy the report's graph
    key = source.meta.doc_key
    # Written once as N-Triples: for the QC rules' store here, and for the build's store, into
    # which the parent loads it as it is rather than parsing the Turtle again.
    as_statements = statements(graph, blanks=f"r{fingerprint[:16]}b")
    seconds["rdf"] = time.perf_counter() - started
    started = time.perf_counter()
    checks = check_report(
        key,
        graph,
        shared.gate,
        [path.parent],
        read={(source.name, source.sha256): source.text},
        as_statements=as_statements,
    )
    seconds["checks"] = time.perf_counter() - started
    started = time.perf_counter()
    turtle = canonical_turtle(graph, _header(f"report {key}"))
    seconds["turtle"] = time.perf_counter() - started
    return ReportOutcome(
        key=key,
        path=path,
        sha256=source.sha256,
        fingerprint=fingerprint,
        turtle=turtle,
        n_quads=n_quads(as_statements, str(iris.named_graph("report", key))),
        recommendations=len(report.recommendations),
        participants=sorted(
            {f"{source.meta.meeting_key}/{p.participant_key}" for p in report.participations}
        ),
        warnings=warnings,
        checks=checks,
        shared=checks.shared,
        seconds=seconds,
        link_data=[t for t in graph if str(t[0]) in shared.linked],
    )


def _last_manifest(out: Path) -> dict[str, Any]:
    """The manifest of the last build in `out`, {} when there is none or it cannot be read."""
    manifest = out / MANIFEST
    if not manifest.exists():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _previous(last: dict[str, Any], inputs: str) -> dict[str, dict[str, Any]]:
    """The reports of the last build that can be reused, by fingerprint."""
    if last.get("inputs") != inputs:
        return {}
    reports = last.get("reports", {})
    return {entry["fingerprint"]: entry for entry in reports.values() if isinstance(entry, dict)}


def _reuse(out: Path, entry: dict[str, Any], path: Path, sha256: str) -> ReportOutcome | None:
    file = out / entry["file"]
    if not file.is_file():
        return None
    link_data = None
    if isinstance(entry.get("links"), str):
        link_data = list(Graph().parse(data=entry["links"], format="nt"))
    return ReportOutcome(
        key=entry["key"],
        path=path,
        sha256=sha256,
        fingerprint=entry["fingerprint"],
        turtle=None,
        n_quads=None,
        previous_file=file,
        link_data=link_data,
        recommendations=int(entry["recommendations"]),
        participants=list(entry["participants"]),
        warnings=[Warning(*w) for w in entry["warnings"]],
        checks=None,
        shared={node: NodeTypes.from_json(rows) for node, rows in entry.get("shared", {}).items()},
        reused=True,
    )


BUILD_GC_YOUNG = 50_000
"""Allocations between two collections of the youngest generation during a build."""


def build(sources: list[Path], out: Path, jobs: int | None = None) -> BuildSummary:
    """Extract every source and write the build into `out`, replacing it only when all is well.

    Reports are extracted and checked in parallel (`jobs` processes, default: one per core);
    a report whose source, metadata and inputs (code version, ontology, shapes, rules, reference
    data, link tables) are unchanged since the last build in `out` is reused as it was, neither
    extracted nor checked again.
    """
    # A report makes about a million objects, nearly all gone when it is done: the youngest
    # generation is collected every BUILD_GC_YOUNG allocations rather than every 700, in this
    # process and in the workers, which inherit it; the older generations as often as they
    # were, so that a report's cycles still go. At 1M triples the build took 44.1 s instead of
    # 47.2, each worker's collections 2.0 s instead of 4.3 (200,000 gained nothing more).
    thresholds = gc.get_threshold()
    gc.set_threshold(BUILD_GC_YOUNG, *thresholds[1:])
    try:
        return _build(sources, out, jobs)
    finally:
        gc.set_threshold(*thresholds)


def _build(sources: list[Path], out: Path, jobs: int | None) -> BuildSummary:
    global _SHARED
    if not sources:
        raise InputError(SOURCES_DIR, None, "no sources (*.txt, *.pdf) to build")
    check_replaceable(out, MANIFEST, "a tipkg build")
    stages: dict[str, float] = {}
    started = time.perf_counter()
    ontology = load_ontology()
    reference = load_reference()
    bodies = frozenset(
        str(iris.organization(key)) for key in ("wg-tip", "cop-untoc", "united-nations")
    )
    rules = rules_from(ontology + reference, bodies)
    inputs = inputs_fingerprint()
    time_ = build_time()
    links = compile_links(load_mappings())
    gate = gate_context(ontology, reference, links)
    linked = frozenset(str(s) for s in links.subjects())
    gate.warm()
    _SHARED = _Shared(rules, reference, gate, time_, inputs, linked)

    last = _last_manifest(out)
    previous = _previous(last, inputs)
    last_sizes = _updatable_store(out, last)
    stages["load"] = time.perf_counter() - started
    started = time.perf_counter()
    outcomes: list[ReportOutcome] = []
    todo: list[Path] = []
    for path in sources:
        check_source_name(path)
        raw = _read_bytes(path)
        sha = hashlib.sha256(raw).hexdigest()
        meta = metadata_path(path)
        fingerprint = _fingerprint(inputs, sha, meta.read_bytes()) if meta.exists() else ""
        entry = previous.get(fingerprint)
        reused = _reuse(out, entry, path, sha) if entry else None
        if reused is not None:
            outcomes.append(reused)
        else:
            todo.append(path)
    if len(todo) > 1:
        # Made once here rather than in every worker; one report alone makes only what it uses.
        rules.warm()
    # Everything from here on is written in the staging directory, removed on any failure: the
    # last build stays as it was. Unless the last build's store can be updated, a new store is
    # filled with each report as its worker returns it, while the workers check the others,
    # rather than after them all on one core: at 1M triples on two cores the build took 44.5 s
    # instead of 46.4 (the write stage 1.2 s instead of 8.9, the reports 40.9 s instead of 35.0,
    # since the load is CPU work the workers' cores share) and held 768 MiB instead of 577.
    staging = staging_for(out)
    store = NewStore(staging / "store") if last_sizes is None else last_sizes
    loading = partial(_load_report, store if isinstance(store, NewStore) else None)
    try:
        # What was loaded lives through the whole build: kept out of the collector's scans (a
        # report took 0.52 s instead of 0.60 s, in turn, on 1M-corpus reports) and so out of the
        # pages that forked workers copy.
        gc.freeze()
        try:
            outcomes.extend(_run_all(todo, jobs, loading))
        finally:
            gc.unfreeze()
        stages["reports"] = time.perf_counter() - started
        started = time.perf_counter()
        keys: dict[str, Path] = {}
        for outcome in outcomes:
            if outcome.key in keys:
                raise InputError(outcome.path, None, f"same document key as {keys[outcome.key]}")
            keys[outcome.key] = outcome.path
        outcomes.sort(key=lambda o: o.key)

        summary = BuildSummary(out, stages=stages)
        summary.documents = len(outcomes)
        summary.recommendations = sum(o.recommendations for o in outcomes)
        summary.participants = len({p for o in outcomes for p in o.participants})
        summary.warnings = [w for o in outcomes for w in o.warnings]
        summary.rebuilt = sum(not o.reused for o in outcomes)

        run = BuildInfo(
            iris.build(_digest(o.fingerprint for o in outcomes)[:16]), __version__, time_
        )
        provenance = build_graph(run)
        for outcome in outcomes:
            # The run is made of each report's extraction (the activity its graph names).
            provenance.add((run.iri, DCTERMS.hasPart, iris.build(outcome.fingerprint[:16])))
        links = _links_of_built_reports(links, set(keys))
        changed = [o.checks for o in outcomes if o.checks is not None]
        owl_data = None
        if any(c.refused for c in changed) and sum(c.triples for c in changed) <= OWL_DATA_LIMIT:
            # What the clash scan does not model, HermiT decides: over the changed reports (read
            # back from their Turtle, so that no worker sends its graph) when they are small.
            owl_data = Graph()
            for outcome in outcomes:
                if outcome.turtle is not None and outcome.checks is not None:
                    owl_data.parse(data=outcome.turtle, format="turtle")
        problems = check_links(links, ontology + reference + _link_data(outcomes, linked))
        if problems:
            raise CheckFailed(
                "links:\n" + "\n".join(f"  {problem}" for problem in problems), summary.warnings
            )
        links_turtle = canonical_turtle(links, _header("links out"))
        context_key = _digest([inputs, gate.lang, links_turtle])
        report, cache = _context_checks(out, replace(gate, extra=links), owl_data, context_key)
        summary.context_reused = cache is not None and cache.get("reused") is True
        summary.gate = merge(
            report,
            [*changed, check_provenance(gate, provenance)],
            gate,
            {o.key: o.shared for o in outcomes},
        )
        if not summary.gate.ok:
            raise CheckFailed("\n".join(summary.gate.lines()), summary.warnings)
        stages["context"] = time.perf_counter() - started
        started = time.perf_counter()
        written = _Written(links_turtle, cache)
        _write_build(
            out,
            staging,
            last,
            store,
            ontology,
            reference,
            provenance,
            written,
            outcomes,
            run,
            inputs,
            summary,
        )
        stages["write"] = time.perf_counter() - started
    except BaseException:
        if isinstance(store, NewStore):
            store.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for outcome in outcomes:
        for stage, seconds in outcome.seconds.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    summary.stages = {stage: round(seconds, 3) for stage, seconds in stages.items()}
    return summary


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from err


def _link_data(outcomes: list[ReportOutcome], linked: frozenset[str]) -> Graph:
    """What the link check reads of the reports: every statement about a linked resource (kept
    in the manifest for a reused report; read with pyoxigraph's parser from a build whose
    manifest does not keep it)."""
    kept = Graph()
    for outcome in outcomes:
        if outcome.link_data is None:
            assert outcome.previous_file is not None
            outcome.link_data = [
                (rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object))
                for t in ox.parse(path=outcome.previous_file, format=ox.RdfFormat.TURTLE)
                if t.subject.value in linked
            ]
        kept += outcome.link_data
    return kept


def _run_all(
    paths: list[Path], jobs: int | None, each: Callable[[ReportOutcome], None] | None = None
) -> list[ReportOutcome]:
    """Every report through `_process`, in forked workers; `each` called in this process on
    every outcome as it comes back, while the workers go on with the others."""
    progress = Progress(len(paths))
    results: list[ReportOutcome] = []
    try:
        for outcome in fork_map(_process, paths, jobs):
            results.append(outcome)
            if each is not None:
                each(outcome)
            progress.step()
        return results
    finally:
        progress.done()


def _load_report(new_store: NewStore | None, outcome: ReportOutcome) -> None:
    """A report just checked, into the new store (None: the last build's store is updated
    later, from the Turtle files); its N-Quads are then let go. Called only on an outcome
    fork_map returned: by then every worker was forked (a ProcessPoolExecutor that forks starts
    all its workers at the first submit, and map submits every item before the first result
    comes back; fork_map in this process alone forks nothing), so the store, which opens on disk
    at its first full batch, is never open in a process that forks (NewStore). Later stages
    fork no worker; HermiT runs in a subprocess that execs at once."""
    name = str(iris.named_graph("report", outcome.key))
    if new_store is not None and outcome.n_quads is not None and name not in new_store:
        # (a key met twice fails the build after the reports)
        assert outcome.checks is not None and outcome.checks.stored is not None
        new_store.add_n_quads(name, outcome.n_quads, outcome.checks.stored)
    outcome.n_quads = None  # not held through the build: 0.2 GiB at 1M triples


class Progress:
    """Counts and rate on one line of a terminal; silent when stderr is not one."""

    def __init__(self, total: int) -> None:
        self.total, self.count = total, 0
        self.started = time.perf_counter()
        self.shown = sys.stderr.isatty() and total > 1

    def step(self) -> None:
        self.count += 1
        if self.shown:
            rate = self.count / max(time.perf_counter() - self.started, 1e-9)
            print(
                f"\r  extracting and checking: {self.count}/{self.total} reports ({rate:.1f}/s)",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        if self.shown and self.count:
            print(file=sys.stderr)


CONTEXT_CACHE = "cache/context.json"
"""The context's checks of a build, by the fingerprint of what they read (code, ontology,
shapes, QC rules, reference data, link tables, the links of the built reports, language)."""


def _context_checks(
    out: Path, gate: GateContext, owl_data: Graph | None, key: str
) -> tuple[GateReport, dict[str, Any] | None]:
    """check_context, or its report from the last build when its fingerprint is the same and
    HermiT has no data to reason over. Returns the report and what to keep for the next build
    (None when the report reasoned over data, which is not the context's alone)."""
    if owl_data is None:
        try:
            cached = json.loads((out / CONTEXT_CACHE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = None
        if isinstance(cached, dict) and cached.get("key") == key:
            report = context_from_json(cached["report"], gate)
            if report is not None:
                return report, {**cached, "reused": True}
    report = check_context(gate, owl_data)
    if owl_data is not None:
        return report, None
    return report, {"key": key, "report": context_to_json(report)}


@dataclass
class _Written:
    links: str
    """links.ttl's text."""
    context: dict[str, Any] | None
    """The context's checks to keep (CONTEXT_CACHE)."""


def _write_build(
    out: Path,
    staging: Path,
    last: dict[str, Any],
    store: NewStore | dict[str, int],
    ontology: Graph,
    reference: Graph,
    provenance: Graph,
    written: _Written,
    outcomes: list[ReportOutcome],
    run: BuildInfo,
    inputs: str,
    summary: BuildSummary,
) -> None:
    """The build into `staging`, swapped into place at the end (the caller removes `staging`
    on failure). What did not change since the last build in `out` is not written again: a
    reused report's Turtle and source, and the ontology and reference data when the inputs are
    the same, are hard links to the last build's files. `store`: the new store, given here the
    graphs it does not have yet (those of the reports checked in this build were loaded as they
    came); or the triples of each graph of the last build's store, which is updated (a RocksDB
    checkpoint: hard links again, with the named graphs that changed replaced and those of
    reports no longer built removed)."""
    same_inputs = last.get("inputs") == inputs
    files: list[tuple[str, Path]] = []
    unchanged: set[str] = set()
    for name, what, graph in (
        ("ontology", "the ontology", ontology),
        ("reference", "reference data", reference),
    ):
        path, old = staging / f"{name}.ttl", out / f"{name}.ttl"
        if same_inputs and old.is_file():
            link_or_copy(old, path)
            unchanged.add(str(iris.named_graph(name, "")))
        else:
            _write(path, canonical_turtle(graph, _header(what)))
        files.append((str(iris.named_graph(name, "")), path))
    for name, text in (
        ("build", canonical_turtle(provenance, _header("provenance"))),
        ("links", written.links),
    ):
        path, old = staging / f"{name}.ttl", out / f"{name}.ttl"
        _write(path, text)
        if old.is_file() and old.read_text(encoding="utf-8") == text:
            unchanged.add(str(iris.named_graph(name, "")))
        files.append((str(iris.named_graph(name, "")), path))
    (staging / "sources").mkdir()
    (staging / "reports").mkdir()
    entries: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        path = staging / "reports" / f"{outcome.key}.ttl"
        graph_name = str(iris.named_graph("report", outcome.key))
        if outcome.previous_file is not None and outcome.turtle is None:
            link_or_copy(outcome.previous_file, path)
            link_or_copy(
                out / "sources" / outcome.path.name, staging / "sources" / outcome.path.name
            )
            unchanged.add(graph_name)
        else:
            assert outcome.turtle is not None
            _write(path, outcome.turtle)
            shutil.copyfile(outcome.path, staging / "sources" / outcome.path.name)
        files.append((graph_name, path))
        entries[outcome.key] = {
            "key": outcome.key,
            "source": outcome.path.name,
            "sha256": outcome.sha256,
            "fingerprint": outcome.fingerprint,
            "file": str(path.relative_to(staging)),
            "recommendations": outcome.recommendations,
            "participants": outcome.participants,
            "warnings": [[w.path, w.line, w.problem, w.page] for w in outcome.warnings],
            "shared": {node: types.to_json() for node, types in sorted(outcome.shared.items())},
            "links": _ntriples(outcome.link_data or []),
        }
    if isinstance(store, NewStore):
        for name, path in files:
            if name not in store:
                store.add(name, path)
        sizes = store.finish()
    else:
        sizes, summary.store_updated = _store(out, staging / "store", store, files, unchanged)
    summary.triples = sum(sizes.values())
    if written.context is not None:
        (staging / CONTEXT_CACHE).parent.mkdir()
        kept = {k: v for k, v in written.context.items() if k != "reused"}
        _write(staging / CONTEXT_CACHE, json.dumps(kept, ensure_ascii=False))
    manifest = {
        "version": __version__,
        "build": str(run.iri),
        "time": run.time.isoformat(),
        "inputs": inputs,
        "sources": [{"path": o.path.name, "sha256": o.sha256, "key": o.key} for o in outcomes],
        "reports": entries,
        "graphs": {name: str(path.relative_to(staging)) for name, path in files},
        "graph_triples": sizes,
        "triples": summary.triples,
        "warnings": [str(w) for w in summary.warnings],
    }
    _write(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    swap_into_place(staging, out, MANIFEST, "a tipkg build")


def _updatable_store(out: Path, last: dict[str, Any]) -> dict[str, int] | None:
    """The triples of each named graph of the last build's store, when it has one this build
    can update (same code version, sizes in its manifest); None when the build loads a new
    store."""
    sizes = last.get("graph_triples")
    if (
        isinstance(sizes, dict)
        and last.get("version") == __version__
        and (out / "store" / "CURRENT").exists()
    ):
        return {str(name): int(count) for name, count in sizes.items()}
    return None


def _store(
    out: Path,
    target: Path,
    last_sizes: dict[str, int],
    files: list[tuple[str, Path]],
    unchanged: set[str],
) -> tuple[dict[str, int], bool]:
    """The store of the new build, the triples of each of its named graphs, and whether it is
    the last build's store updated (`last_sizes`: its graphs' triples): with only what changed
    replaced; else, when it no longer holds what its build wrote, a new store loaded from every
    file."""
    updated = update_store(out / "store", target, files, unchanged, last_sizes)
    if updated is not None:
        return updated, True
    return load(target, files), False


def _ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))


def _links_of_built_reports(links: Graph, built: set[str]) -> Graph:
    """The link tables cover every report; a build of some reports keeps the links of the
    resources of those reports (and of everything that is not a report's)."""
    kept = Graph()
    for triple in links:
        doc_key = iris.report_key_of(str(triple[0]))
        if doc_key is None or doc_key in built:
            kept.add(triple)
    return kept


def _header(what: str) -> str:
    return f"# Generated by `tipkg build` ({what}) — do not edit."


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
