"""Self-checks of what is about to be published (issue 12): every remaining doubt is a warning
naming the file and the line, independent of the repairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipkg import iris
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import Source, read_metadata
from tipkg.ontology import load_ontology
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

SOURCE = Path(__file__).parents[2] / "data" / "sources" / "wg-tip-2020-draft-report-add1.fr.txt"


@pytest.fixture(scope="module")
def extraction_rules() -> Rules:
    return rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("wg-tip"))})
    )


def _warnings(text: str, rules: Rules) -> list[str]:
    source = Source(SOURCE, text, "0" * 64, read_metadata(SOURCE))
    return [str(w) for w in extract(source, rules)[1]]


def test_the_report_as_published_has_no_warning(extraction_rules: Rules) -> None:
    assert _warnings(SOURCE.read_text(encoding="utf-8"), extraction_rules) == []


def test_a_file_cut_off_inside_a_recommendation_is_loud(extraction_rules: Rules) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    cut = text.index("Recommandation 20")
    cut = text.index("personnes", cut)
    warnings = _warnings(text[:cut], extraction_rules)
    assert any("ends without closing punctuation" in w for w in warnings)
    assert any("is the file cut off?" in w for w in warnings)
    assert all(str(SOURCE) in w for w in warnings)


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        # Two words glued (no rule splits words): the token is named.
        (("temporaires aux membres", "temporairesaux membres"), "«temporairesaux»"),
        # A word split into two real words, twice, and never written whole: left, said so.
        (("informations", "in formations"), "«in formations» left as two words"),
    ],
)
def test_a_split_the_repairs_left_is_named(
    extraction_rules: Rules, damage: tuple[str, str], named: str
) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace(*damage)
    assert any(named in w for w in _warnings(text, extraction_rules))
