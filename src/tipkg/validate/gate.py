"""The gate every build passes and `tipkg validate` runs: QC rules and OWL consistency.

One function for both, so the build and the command can never disagree about what "valid" means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from tipkg.validate.fidelity import FidelityFinding, check_fidelity
from tipkg.validate.owl import OwlResult, check_consistency
from tipkg.validate.qc import QcFailure, run_qc

CHECKS = ("qc", "owl", "fidelity")


@dataclass
class GateReport:
    qc: list[QcFailure] = field(default_factory=list)
    owl: OwlResult | None = None
    fidelity: list[FidelityFinding] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        qc_ok = not any(failure.rule.severity == "error" for failure in self.qc)
        owl_ok = self.owl is None or (self.owl.consistent and not self.owl.unsatisfiable)
        return qc_ok and owl_ok and not self.fidelity

    def lines(self) -> list[str]:
        out: list[str] = []
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


def run_gate(
    ontology: Graph,
    reference: Graph,
    data: Graph,
    sources: list[Path],
    *,
    only: str | None = None,
) -> GateReport:
    """QC over the ontology and the data (so undeclared terms in data are caught); fidelity of
    every recommendation to its source (found by name in `sources`); HermiT over ontology,
    reference data and data together. Raises ReasonerUnavailable without Java."""
    if only not in (None, *CHECKS):
        raise ValueError(f"unknown check {only!r}")
    report = GateReport()
    if only in (None, "fidelity"):
        report.fidelity = check_fidelity(data, sources)
        report.ran.append("fidelity")
    if only in (None, "qc"):
        report.qc = run_qc(ontology + data)
        report.ran.append("qc")
    if only in (None, "owl"):
        report.owl = check_consistency(ontology + reference + data)
        report.ran.append("owl")
    return report
