"""Every competency question over the real 2020 report gives the answer read from the document."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from tipkg.build import BuildSummary
from tipkg.cli import resolve_query
from tipkg.extract.repair import repair
from tipkg.paths import COMPETENCY_DIR, SOURCES_DIR
from tipkg.store import Table, open_read_only, select

EXPECTED = Path(__file__).parents[1] / "expected"


def _answer(out: Path, name: str) -> Table:
    _, text = resolve_query(name)
    return select(open_read_only(out / "store"), text)


def _expected(name: str) -> tuple[list[str], list[list[str]]]:
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


ORDERED = [
    "external-links",
    "recommendations",
    "modality",
    "non-punishment",
    "provision-citations",
    "meeting",
    "actor-mentions",
    "themes",
]


@pytest.mark.parametrize("name", ORDERED)
def test_answer_matches_the_reading(built: tuple[Path, BuildSummary], name: str) -> None:
    table = _answer(built[0], name)
    columns, rows = _expected(name)
    assert table.columns == columns
    assert table.rows == rows


def test_participation_matches_the_reading(built: tuple[Path, BuildSummary]) -> None:
    table = _answer(built[0], "participation")
    columns, rows = _expected("participation")
    assert table.columns == columns
    assert sorted(table.rows) == sorted(rows)


def test_themes_per_recommendation_match_the_reading(built: tuple[Path, BuildSummary]) -> None:
    query = """
    PREFIX tip: <https://w3id.org/tipkg/def/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?number ?theme WHERE {
      ?rec a tip:Recommendation ; tip:number ?number ; tip:theme/skos:notation ?theme }"""
    table = select(open_read_only(built[0] / "store"), query)
    found: dict[str, set[str]] = {}
    for number, theme in table.rows:
        found.setdefault(number, set()).add(theme)
    _, rows = _expected("themes-by-recommendation")
    expected = {number: set(themes.split()) for number, themes in rows}
    assert found == expected


def test_every_competency_question_has_an_expected_answer() -> None:
    names = {p.stem for p in COMPETENCY_DIR.glob("*.rq")}
    covered = set(ORDERED) | {"participation", "provenance"}
    assert names == covered


def test_provenance_spans_quote_the_source(built: tuple[Path, BuildSummary]) -> None:
    table = _answer(built[0], "provenance")
    assert table.columns == ["number", "source", "start", "end", "sha256"]
    texts = {row[0]: row[3] for row in _answer(built[0], "recommendations").rows}
    assert len(table.rows) == 26
    for number, source, start, end, sha256 in table.rows:
        path = SOURCES_DIR / source
        raw = path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == sha256
        text = raw.decode("utf-8")
        assert repair(text, int(start), int(end), "fr").text == texts[number]
