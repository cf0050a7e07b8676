"""Fidelity: every recommendation's text is exactly the repaired slice of its source at its span.

SHACL can say a text is there; only the source can say it is right. For each recommendation this
re-reads the source file (found by name, proved by its SHA-256), checks that the quoted characters
(oa:TextQuoteSelector) are the source's at the recorded position, that every recorded repair
matches the source, and that re-applying the recorded repairs — and repairing afresh — both give
the recommendation's text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from tipkg.extract.repair import Repair, apply, repair

_SPANS = """
PREFIX tip: <https://w3id.org/tipkg/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?rec ?number ?text ?start ?end ?exact ?name ?sha WHERE {
  ?rec a tip:Recommendation ; tip:number ?number ; tip:text ?text ; tip:sourceSpan ?span .
  ?span oa:hasSource ?file ; oa:hasSelector ?position, ?quote .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  ?file tip:fileName ?name ; tip:sha256 ?sha .
}
"""

_REPAIRS = """
PREFIX tip: <https://w3id.org/tipkg/def/>
SELECT ?rec ?start ?end ?original ?repaired ?kind WHERE {
  ?rec a tip:Recommendation ; tip:hasRepair ?r .
  ?r tip:startOffset ?start ; tip:endOffset ?end ; tip:originalText ?original ;
     tip:repairedText ?repaired ; tip:repairKind ?kind .
}
"""


@dataclass(frozen=True)
class FidelityFinding:
    focus: str
    number: int
    problem: str


def check_fidelity(data: Graph, sources: list[Path]) -> list[FidelityFinding]:
    """`sources` are the directories where the source files may be found by name."""
    repairs: dict[str, list[Repair]] = {}
    for row in data.query(_REPAIRS):
        rec, start, end, original, repaired, kind = (str(v) for v in row)  # type: ignore[union-attr]
        repairs.setdefault(rec, []).append(
            Repair(int(start), int(end), original, repaired, kind, "")
        )
    texts: dict[str, str | None] = {}
    findings: list[FidelityFinding] = []
    for row in data.query(_SPANS):
        rec, number, text, start, end, exact, name, sha = row  # type: ignore[misc]
        focus, n = str(rec), int(number)
        key = f"{name}@{sha}"
        if key not in texts:
            texts[key] = _read(sources, str(name), str(sha))
        source = texts[key]
        if source is None:
            findings.append(
                FidelityFinding(focus, n, f"source {name} with SHA-256 {sha} not found")
            )
            continue
        lang = getattr(text, "language", None) or "fr"
        s, e = int(start), int(end)
        if source[s:e] != str(exact):
            findings.append(
                FidelityFinding(focus, n, f"the quoted text is not the source's characters {s}–{e}")
            )
            continue
        try:
            replayed = apply(source, s, e, repairs.get(focus, []))
        except ValueError as err:
            findings.append(FidelityFinding(focus, n, f"a recorded repair is wrong: {err}"))
            continue
        if replayed != str(text):
            findings.append(
                FidelityFinding(
                    focus,
                    n,
                    f"text differs from the source span {s}–{e} with its repairs: "
                    f"{_first_difference(str(text), replayed)}",
                )
            )
        elif repair(source, s, e, lang).text != replayed:
            findings.append(
                FidelityFinding(focus, n, "the recorded repairs differ from a fresh repair")
            )
    return sorted(findings, key=lambda f: (f.focus, f.problem))


def _read(directories: list[Path], name: str, sha: str) -> str | None:
    for directory in directories:
        path = directory / name
        if path.is_file():
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() == sha:
                return raw.decode("utf-8")
    return None


def _first_difference(text: str, expected: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b),
        min(len(text), len(expected)),
    )
    found, wanted = text[at : at + 30], expected[at : at + 30]
    return f"at character {at}: graph has {found!r}, source gives {wanted!r}"
