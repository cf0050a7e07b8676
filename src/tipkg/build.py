"""`tipkg build`: every source through extract → RDF → checks → store, written all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDFS, Graph, Literal

from tipkg import __version__, iris
from tipkg.errors import InputError, Warning
from tipkg.extract.report import extract
from tipkg.extract.source import Source, read_source
from tipkg.links import check_links, compile_links, load_mappings
from tipkg.ontology import load_ontology
from tipkg.paths import ROOT, SOURCES_DIR
from tipkg.rdf.report import BodyLabels, BuildInfo, build_graph, report_graph
from tipkg.rdf.rules import rules_from
from tipkg.rdf.turtle import canonical_turtle
from tipkg.reference import load_reference
from tipkg.store import load as load_store
from tipkg.validate.gate import GateReport, run_gate

MANIFEST = "build.json"


@dataclass
class BuildSummary:
    out: Path
    documents: int = 0
    recommendations: int = 0
    participants: int = 0
    triples: int = 0
    warnings: list[Warning] = field(default_factory=list)
    gate: GateReport | None = None

    def lines(self) -> list[str]:
        return [
            f"built {self.out}/",
            f"  documents:       {self.documents}",
            f"  recommendations: {self.recommendations}",
            f"  participants:    {self.participants}",
            f"  triples:         {self.triples}",
            f"  warnings:        {len(self.warnings)}",
            *(f"  {line}" for line in (self.gate.lines() if self.gate else [])),
        ]


class CheckFailed(Exception):
    """A check failed: the build wrote nothing."""


def default_sources() -> list[Path]:
    return sorted(SOURCES_DIR.glob("*.txt"))


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


def build(sources: list[Path], out: Path) -> BuildSummary:
    """Extract every source and write the build into `out`, replacing it only when all is well."""
    if not sources:
        raise InputError(SOURCES_DIR, None, "no sources (*.txt) to build")
    ontology = load_ontology()
    reference = load_reference()
    knowledge = ontology + reference
    bodies = frozenset(
        str(iris.organization(key)) for key in ("wg-tip", "cop-untoc", "united-nations")
    )
    rules = rules_from(knowledge, bodies)

    read: list[Source] = [read_source(path) for path in sources]
    keys: dict[str, Path] = {}
    for source in read:
        if source.meta.doc_key in keys:
            raise InputError(source.path, None, f"same document key as {keys[source.meta.doc_key]}")
        keys[source.meta.doc_key] = source.path

    digest = hashlib.sha256(__version__.encode())
    for source in sorted(read, key=lambda s: s.meta.doc_key):
        digest.update(source.sha256.encode())
    info = BuildInfo(iris.build(digest.hexdigest()[:16]), __version__, build_time())

    summary = BuildSummary(out)
    reports: list[tuple[str, Graph]] = []
    participants: set[str] = set()
    for source in read:
        report, warnings = extract(source, rules)
        body = iris.organization(source.meta.body)
        labels = BodyLabels(_label(reference, body, "fr"), _label(reference, body, "en"))
        if not labels.fr or not labels.en:
            raise InputError(
                source.path, None, f"body {source.meta.body!r} is not in the reference data"
            )
        reports.append((source.meta.doc_key, report_graph(source, report, info, labels)))
        summary.documents += 1
        summary.recommendations += len(report.recommendations)
        participants.update(
            f"{source.meta.meeting_key}/{p.participant_key}" for p in report.participations
        )
        summary.warnings.extend(warnings)
    summary.participants = len(participants)

    provenance = build_graph(info)
    links = _links_of_built_reports(compile_links(load_mappings()), set(keys))
    data = Graph()
    for _, graph in reports:
        data += graph
    problems = check_links(links, ontology + reference + data)
    if problems:
        raise CheckFailed("links:\n" + "\n".join(f"  {problem}" for problem in problems))
    gate = run_gate(
        ontology,
        reference,
        dict(reports),
        sorted({s.path.parent for s in read}),
        extra_context=provenance + links,
    )
    summary.gate = gate
    if not gate.ok:
        raise CheckFailed("\n".join(gate.lines()))

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        files: list[tuple[str, Path]] = []
        _write(staging / "ontology.ttl", canonical_turtle(ontology, _header("the ontology")))
        files.append((str(iris.named_graph("ontology", "")), staging / "ontology.ttl"))
        _write(staging / "reference.ttl", canonical_turtle(reference, _header("reference data")))
        files.append((str(iris.named_graph("reference", "")), staging / "reference.ttl"))
        _write(staging / "build.ttl", canonical_turtle(provenance, _header("provenance")))
        files.append((str(iris.named_graph("build", "")), staging / "build.ttl"))
        _write(staging / "links.ttl", canonical_turtle(links, _header("links out")))
        files.append((str(iris.named_graph("links", "")), staging / "links.ttl"))
        (staging / "sources").mkdir()
        for source in read:
            shutil.copyfile(source.path, staging / "sources" / source.path.name)
        (staging / "reports").mkdir()
        for key, graph in sorted(reports):
            path = staging / "reports" / f"{key}.ttl"
            _write(path, canonical_turtle(graph, _header(f"report {key}")))
            files.append((str(iris.named_graph("report", key)), path))
        summary.triples = load_store(staging / "store", files)
        manifest = {
            "version": __version__,
            "build": str(info.iri),
            "time": info.time.isoformat(),
            "sources": [
                {"path": str(s.path.name), "sha256": s.sha256, "key": s.meta.doc_key}
                for s in sorted(read, key=lambda s: s.meta.doc_key)
            ],
            "graphs": {name: str(path.relative_to(staging)) for name, path in files},
            "triples": summary.triples,
            "warnings": [str(w) for w in summary.warnings],
        }
        _write(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


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


def _swap(staging: Path, out: Path) -> None:
    """Move the finished build into place; the previous one is removed only afterwards."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
