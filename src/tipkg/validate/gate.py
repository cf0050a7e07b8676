"""The gate every build passes and `tipkg validate` runs: SHACL, QC rules, fidelity, OWL.

One function for both, so the build and the command can never disagree about what "valid" means.
SHACL is the gate on the data (a Violation fails; Warnings are reported); QC rules hold the
ontology to its hygiene and catch undeclared terms in data; fidelity proves each recommendation's
text against its source; HermiT proves the whole consistent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from tipkg.validate.fidelity import FidelityFinding, check_fidelity
from tipkg.validate.owl import OwlResult, check_consistency
from tipkg.validate.qc import QcFailure, run_qc
from tipkg.validate.shacl import Finding, ShaclReport, validate_reports

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
        owl_ok = self.owl is None or (self.owl.consistent and not self.owl.unsatisfiable)
        return shacl_ok and qc_ok and owl_ok and not self.fidelity

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
            if self.owl.consistent and not self.owl.unsatisfiable:
                out.append(f"owl: consistent (HermiT, {self.owl.seconds:.1f} s)")
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


def run_gate(
    ontology: Graph,
    reference: Graph,
    reports: dict[str, Graph],
    sources: list[Path],
    *,
    extra_context: Graph | None = None,
    only: str | None = None,
    lang: str = "en",
) -> GateReport:
    """Run the checks over a build: `reports` maps each report's key to its graph (SHACL runs
    per report, so the cost follows what changed); the context (ontology, reference data, and
    `extra_context`: provenance and links) is checked once. Raises ReasonerUnavailable when
    HermiT cannot run."""
    if only not in (None, *CHECKS):
        raise ValueError(f"unknown check {only!r}")
    data = Graph()
    for graph in reports.values():
        data += graph
    context = ontology + reference
    if extra_context is not None:
        context += extra_context
    report = GateReport()

    def timed(name: str, started: float) -> None:
        report.ran.append(name)
        report.seconds[name] = round(time.perf_counter() - started, 3)

    if only in (None, "shacl"):
        started = time.perf_counter()
        report.shacl = validate_reports(reports, context, lang)
        timed("shacl", started)
    if only in (None, "qc"):
        started = time.perf_counter()
        report.qc = run_qc(ontology + data)
        timed("qc", started)
    if only in (None, "fidelity"):
        started = time.perf_counter()
        report.fidelity = check_fidelity(data, sources)
        timed("fidelity", started)
    if only in (None, "owl"):
        started = time.perf_counter()
        report.owl = check_consistency(context + data)
        timed("owl", started)
    return report
