"""Headings are found by their form: parts, sections, paragraphs, recommendations."""

from __future__ import annotations

import pytest

from tipkg.errors import InputError
from tipkg.extract.structure import parse_structure, roman_value
from tipkg.paths import SOURCES_DIR

REAL = (SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt").read_text(encoding="utf-8")


def test_real_report_structure() -> None:
    found = parse_structure(REAL, "fr", "real")
    assert [(p.numeral, p.title) for p in found.parts] == [
        ("II", "Recommandations (suite)"),
        ("IV", "Organisation de la réunion (suite)"),
    ]
    assert [(s.part, s.letter) for s in found.sections] == [
        ("II", "A"), ("II", "B"), ("II", "C"), ("IV", "B"), ("IV", "D"),
    ]  # fmt: skip
    assert found.sections[1].title == (
        "Recommandations concernant l’adoption de mesures de justice pénale appropriées pour les "
        "personnes qui ont été contraintes de commettre des infractions du fait de leur condition "
        "de victimes de la traite"
    )
    assert [p.number for p in found.paragraphs] == [1, 2, 3, 4, 5, 6]
    assert [p.section for p in found.paragraphs] == [None, "B", "B", "B", "B", "D"]
    assert [r.number for r in found.recommendations] == list(range(1, 27))
    sections = {r.number: r.section for r in found.recommendations}
    assert {n for n, s in sections.items() if s == "B"} == set(range(12, 21))


def test_headings_glued_across_a_page_break_are_recorded() -> None:
    glued = [r for r in parse_structure(REAL, "fr", "real").repairs if r.kind == "glued-heading"]
    followed_by = [REAL[r.end : r.end + 20] for r in glued]
    assert followed_by == ["Recommandation 13 \n ", "C. Recommandations c", "3. Au titre des poin"]


def test_a_heading_glued_on_the_same_line_is_split_off() -> None:
    text = (
        "II. Recommandations\n\nA. Générales\n\nRecommandation 1\n\n"
        "Les États parties devraient agir. Recommandation 2\n\nIls devraient aussi coopérer.\n"
    )
    found = parse_structure(text, "fr", "t")
    assert [r.text for r in found.recommendations] == [
        "Les États parties devraient agir.",
        "Ils devraient aussi coopérer.",
    ]
    assert [r.kind for r in found.repairs] == ["glued-heading"]


def test_section_c_is_not_part_100_and_a_name_is_not_a_section() -> None:
    text = (
        "II. Recommandations\n\nB. Deux\n\nRecommandation 1\n\nUn texte.\n\n"
        "C. Trois\n\nRecommandation 2\n\nLe débat a été animé par Mme Bowen et\n"
        "M. Nolan (États-Unis).\n"
    )
    found = parse_structure(text, "fr", "t")
    assert [s.letter for s in found.sections] == ["B", "C"]
    assert found.recommendations[1].text.endswith("M. Nolan (États-Unis).")


@pytest.mark.parametrize(("numeral", "value"), [("I", 1), ("IV", 4), ("C", 100), ("IIII", None)])
def test_roman_numerals(numeral: str, value: int | None) -> None:
    assert roman_value(numeral) == value


def test_a_recommendation_outside_a_section_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not inside a lettered section"):
        parse_structure("II. Recommandations\n\nRecommandation 1\n\nTexte.\n", "fr", "t")


def test_a_line_in_heading_type_ends_the_text_before_it() -> None:
    """Read from a PDF, a line set in heading type that the profile does not name ends the
    paragraph before it, and says so; the next line of a heading goes on with its title."""
    from tipkg.extract.profile import load_profile

    text = (
        "Introduction\n"
        "1. The delegation presented the report.\n"
        "Observations of the\n"
        "troika on the review\n"
        "The troika had no observation.\n"
        "2. The delegation thanked the States.\n"
    )
    typed = frozenset(
        {text.index("Introduction"), text.index("Observations"), text.index("troika on")}
    )
    upr = load_profile("upr")
    found = parse_structure(text, "en", "x.pdf", profile=upr, kind="addendum", typed=typed)
    assert [(p.number, p.text) for p in found.paragraphs] == [
        (1, "The delegation presented the report."),
        (2, "The delegation thanked the States."),
    ]
    assert found.doubts == [
        (
            3,
            "«Observations of the» is set in heading type but is no heading of the profile: read "
            "as a heading, it ends the text before it, and what follows it up to the next "
            "numbered heading is no paragraph's",
        )
    ]
    # Without the PDF's type, the same text is read as the paragraph's own.
    plain = parse_structure(text, "en", "x.txt", profile=upr, kind="addendum")
    assert plain.paragraphs[0].text.startswith("The delegation presented the report. Observations")
