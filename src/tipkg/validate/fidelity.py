"""Fidelity: every recommendation's text is exactly the repaired slice of its source at its span.

SHACL can say a text is there; only the source can say it is right. For each recommendation this
reads the source file (found by name, proved by its SHA-256; the build passes the text it has
just read under the same name and SHA-256 rather than reading a PDF twice), checks that the
quoted characters (oa:TextQuoteSelector) are the source's at the recorded position, that every
recorded repair matches the source, and that re-applying the recorded repairs — and repairing
afresh — both give the recommendation's text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace

from tipkg.extract.furniture import Paged, furniture_in, paged
from tipkg.extract.repair import Repair, apply, repair
from tipkg.extract.source import source_text
from tipkg.vocab import TIP

OA = Namespace("http://www.w3.org/ns/oa#")


@dataclass(frozen=True)
class FidelityFinding:
    focus: str
    number: int
    problem: str


def _spans(data: Graph) -> Iterator[tuple[str, int, Literal, int, int, str, str, str]]:
    """(recommendation, number, text, start, end, quote, file name, sha256) per recommendation.

    A walk along the graph rather than one SPARQL join: rdflib's engine grew cubically with the
    number of recommendations here (80 took 20 s)."""
    for rec in data.subjects(RDF.type, TIP.Recommendation):
        number, text, span = (
            data.value(rec, TIP.number),
            data.value(rec, TIP.text),
            data.value(rec, TIP.sourceSpan),
        )
        if number is None or not isinstance(text, Literal) or span is None:
            continue  # SHACL reports what is missing
        file = data.value(span, OA.hasSource)
        start = end = quote = None
        for selector in data.objects(span, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in data:
                start, end = data.value(selector, OA.start), data.value(selector, OA.end)
            elif (selector, RDF.type, OA.TextQuoteSelector) in data:
                quote = data.value(selector, OA.exact)
        name, sha = data.value(file, TIP.fileName), data.value(file, TIP.sha256)
        if None in (start, end, quote, name, sha):
            continue
        yield (
            str(rec),
            int(str(number)),
            text,
            int(str(start)),
            int(str(end)),
            str(quote),
            str(name),
            str(sha),
        )


def _recorded_repairs(data: Graph) -> dict[str, list[Repair]]:
    repairs: dict[str, list[Repair]] = {}
    for rec, node in data.subject_objects(TIP.hasRepair):
        if (rec, RDF.type, TIP.Recommendation) not in data:
            continue
        values = [
            data.value(node, p)
            for p in (
                TIP.startOffset,
                TIP.endOffset,
                TIP.originalText,
                TIP.repairedText,
                TIP.repairKind,
            )
        ]
        if None in values:
            continue
        start, end, original, repaired, kind = values
        repairs.setdefault(str(rec), []).append(
            Repair(int(str(start)), int(str(end)), str(original), str(repaired), str(kind), "")
        )
    return repairs


def check_fidelity(
    data: Graph, sources: list[Path], read: Mapping[tuple[str, str], str] | None = None
) -> list[FidelityFinding]:
    """`sources` are the directories where the source files may be found by name; `read`, the
    texts of sources already read, by (file name, SHA-256)."""
    repairs = _recorded_repairs(data)
    texts: dict[str, str | None] = {
        f"{name}@{sha}": text for (name, sha), text in (read or {}).items()
    }
    pages: dict[str, Paged] = {}
    findings: list[FidelityFinding] = []
    for focus, n, text, s, e, exact, name, sha in _spans(data):
        key = f"{name}@{sha}"
        if key not in texts:
            texts[key] = _read(sources, name, sha)
        source = texts[key]
        if source is None:
            findings.append(
                FidelityFinding(focus, n, f"source {name} with SHA-256 {sha} not found")
            )
            continue
        lang = text.language or "fr"
        left = furniture_in(str(text))
        if left:
            # Independent of the repairs: furniture the extraction never removed fails here.
            findings.append(
                FidelityFinding(focus, n, f"page furniture left in the text: {', '.join(left)}")
            )
        if source[s:e] != exact:
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
            continue
        if key not in pages:  # the source's page furniture: found once per source
            pages[key] = paged(source)
        if repair(source, s, e, lang, pages[key]).text != replayed:
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
                return source_text(path)
    return None


def _first_difference(text: str, expected: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b),
        min(len(text), len(expected)),
    )
    found, wanted = text[at : at + 30], expected[at : at + 30]
    return f"at character {at}: graph has {found!r}, source gives {wanted!r}"
