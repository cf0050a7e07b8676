"""The UPR documents as `pdftotext` writes them without `-layout` (its default mode): numbers on
lines of their own, hyphens lost at line ends, a range's dash dropped. What this text still says
is read as from the PDF; what it damaged beyond repair is said, with the file and the line, and
never published as a guess."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from tipkg import iris
from tipkg.errors import Warning
from tipkg.extract.records import Report
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pdf"


@pytest.fixture(scope="module")
def rules() -> Rules:
    return rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("upr-wg"))})
    )


def _read(rules: Rules, name: str, text: str | None, tmp: Path) -> tuple[Report, list[Warning]]:
    """The document from its PDF (``text`` None) or from the fixture text ``text``."""
    pdf = SOURCES_DIR / f"{name}.en.pdf"
    if text is None:
        return extract(read_source(pdf), rules)
    source = tmp / f"{name}.en.txt"
    shutil.copy(FIXTURES / text, source)
    shutil.copy(SOURCES_DIR / f"{name}.en.meta.toml", tmp / f"{name}.en.meta.toml")
    return extract(read_source(source), rules)


def test_numbers_on_lines_of_their_own_give_the_pdfs_structure(
    rules: Rules, tmp_path: Path
) -> None:
    name = "upr-a-hrc-43-15"
    pdf, _ = _read(rules, name, None, tmp_path)
    text, warnings = _read(rules, name, "a-hrc-43-15.pdftotext-default.txt", tmp_path)
    assert [(p.numeral, p.title) for p in text.parts] == [(p.numeral, p.title) for p in pdf.parts]
    assert [(s.letter, s.title) for s in text.sections] == [
        (s.letter, s.title) for s in pdf.sections
    ]
    assert [p.number for p in text.paragraphs] == list(range(1, 124))
    assert [p.number for p in text.paragraphs] == [p.number for p in pdf.paragraphs]
    printed = {r.printed: r.text for r in pdf.recommendations}
    assert len(printed) == 215
    differ = {r.printed for r in text.recommendations if printed[r.printed] != r.text}
    # Two texts the extraction damaged beyond what the text itself can tell: each is warned,
    # with its line, and every other text is the PDF's to the character.
    assert differ == {"122.45", "122.153"}
    said = {(w.line, w.problem.split(":")[0]) for w in warnings}
    assert (1052, "recommendation 122.45") in said  # "(Iraq);" set before its text
    assert (1454, "recommendation 122.153") in said  # "nonrefoulement"
    assert any(
        "«nonrefoulement» written whole, but the document writes «non-refoulement»" in w.problem
        for w in warnings
    )
    # The paragraph texts differ only where a compound lost its hyphen ("decisionmaking"),
    # which neither the lexicon nor the document's own usage can tell from a word.
    [paragraph] = [
        a for a, b in zip(text.paragraphs, pdf.paragraphs, strict=True) if a.text != b.text
    ]
    assert paragraph.number == 67 and "decisionmaking" in paragraph.text


def test_a_range_whose_dash_was_lost_is_said_and_never_read(rules: Rules, tmp_path: Path) -> None:
    name = "upr-a-hrc-43-15-add-1"
    pdf, _ = _read(rules, name, None, tmp_path)
    text, warnings = _read(rules, name, "a-hrc-43-15-add-1.pdftotext-default.txt", tmp_path)
    assert Counter(r.response for r in pdf.responses) == {"supported": 124, "noted": 33}
    lost = [w for w in warnings if "is no recommendation number" in w.problem]
    assert [(w.line, w.problem) for w in lost] == [
        (
            45,
            "paragraph 3: '122.6266' is no recommendation number: items have at most three "
            "digits (the range 6–266 or 62–66 with its dash lost?); not read: check the text "
            "against the document",
        ),
        (
            53,
            "paragraph 4: '122.91104' is no recommendation number: items have at most three "
            "digits (the range 91–104 with its dash lost?); not read: check the text against "
            "the document",
        ),
        (
            238,
            "paragraph 5: '122.118120' is no recommendation number: items have at most three "
            "digits (the range 118–120 with its dash lost?); not read: check the text against "
            "the document",
        ),
    ]
    # Every response read is the PDF's; the 5 + 14 + 3 of the three ranges are missing, said.
    answered = {(r.paragraph, r.number): r.response for r in pdf.responses}
    read = {(r.paragraph, r.number): r.response for r in text.responses}
    assert read.items() <= answered.items()
    missing = set(answered) - set(read)
    assert sorted(n for _, n in missing) == [
        *range(62, 67),
        *range(91, 105),
        *range(118, 121),
    ]
