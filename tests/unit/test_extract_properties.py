"""The extractor never ends in a traceback: it returns a report or raises InputError (exit 2)."""

from __future__ import annotations

import hashlib
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipkg import iris
from tipkg.errors import InputError
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import Source, read_metadata
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

REAL = SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt"
TEXT = REAL.read_text(encoding="utf-8")


@cache
def _rules() -> Rules:
    return rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("wg-tip"))})
    )


def _run(text: str) -> None:
    source = Source(REAL, text, hashlib.sha256(text.encode()).hexdigest(), read_metadata(REAL))
    try:
        report, _ = extract(source, _rules())
    except InputError as err:
        assert str(err)
        return
    numbers = [r.number for r in report.recommendations]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = TEXT
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 400)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "swapcase"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        elif action == "insert":
            text = text[:start] + draw(st.text(max_size=40)) + text[start:]
        else:
            text = text[:start] + text[start:end].swapcase() + text[end:]
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_reports_build_or_fail_cleanly(text: str) -> None:
    _run(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_random_text_builds_or_fails_cleanly(text: str) -> None:
    _run(text)
