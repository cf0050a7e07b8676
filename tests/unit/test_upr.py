"""The Universal Periodic Review of Slovenia (issue 15): the report A/HRC/43/15 and its addendum
A/HRC/43/15/Add.1, read by the "upr" profile. Every expected value below was transcribed by hand
from the two documents (data/sources/upr-a-hrc-43-15*.en.pdf, and the text pdftotext made of each,
tests/fixtures/pdf/), never from the extractor's output."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from tipkg import iris
from tipkg.errors import Warning
from tipkg.extract.records import Report
from tipkg.extract.report import Rules, extract
from tipkg.extract.review import references
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

REPORT = SOURCES_DIR / "upr-a-hrc-43-15.en.pdf"
ADDENDUM = SOURCES_DIR / "upr-a-hrc-43-15-add-1.en.pdf"


@pytest.fixture(scope="module")
def rules() -> Rules:
    return rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("upr-wg"))})
    )


PDFS = Path(__file__).parents[1] / "fixtures" / "pdf"


def _meta(source: Path) -> Path:
    return source.with_name(source.name.removesuffix(".pdf") + ".meta.toml")


def _source(pdf: Path, text: str, kind: str, tmp: pytest.TempPathFactory) -> Path:
    """The document as its official PDF read by tipkg itself (issue 16), or as the text pdftotext
    made of it, beside the same metadata."""
    if kind == "pdf":
        return pdf
    copy = tmp.mktemp("text") / pdf.with_suffix(".txt").name
    shutil.copy(PDFS / text, copy)
    shutil.copy(_meta(pdf), copy.with_name(copy.stem + ".meta.toml"))
    return copy


# Every test of the report and the addendum runs on both inputs: the text pdftotext made and the
# official PDF read by tipkg itself must give the same recommendations, texts and responses.
@pytest.fixture(scope="module", params=["text", "pdf"])
def read_report(
    rules: Rules, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Report, list[Warning], str]:
    source = read_source(
        _source(REPORT, "a-hrc-43-15.pdftotext.txt", request.param, tmp_path_factory)
    )
    return (*extract(source, rules), source.text)


@pytest.fixture(scope="module")
def report(read_report: tuple[Report, list[Warning], str]) -> tuple[Report, list[Warning]]:
    return read_report[0], read_report[1]


@pytest.fixture(scope="module", params=["text", "pdf"])
def addendum(
    rules: Rules, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Report, list[Warning]]:
    source = _source(ADDENDUM, "a-hrc-43-15-add-1.pdftotext.txt", request.param, tmp_path_factory)
    return extract(read_source(source), rules)


def _state(code: str) -> str:
    return str(iris.state(code))


# (number as printed, text as printed, recommending States) — transcribed from the report; line
# breaks are single spaces, a line-end hyphen in a compound is kept ("non-\nrefoulement").
SPOT_CHECKS = [
    (
        "121.1",
        "Ratify the International Convention for the Protection of All Persons from Enforced "
        "Disappearance",
        ["FRA", "LTU"],
    ),
    (
        "121.2",
        "Complete the process of ratification of the International Convention for the Protection "
        "of All Persons from Enforced Disappearance (Ukraine); Increase efforts towards "
        "ratification of the International Convention for the Protection of All Persons from "
        "Enforced Disappearance",
        ["UKR", "SVK"],
    ),
    (
        "121.3",
        "Ratify and implement the International Labour Organization’s 2014 Protocol to the Forced "
        "Labour Convention, 1930 (No. 29)",
        ["GBR"],
    ),
    ("121.13", "Strengthen the efforts to combat domestic violence", ["IRQ"]),
    (
        "121.17",
        "Strengthen measures to prevent trafficking for the purposes of sex and forced labour, "
        "including measures to identify and support victims and those at risk of trafficking, "
        "and dedicate resources to investigate, prosecute and punish perpetrators",
        ["AUS"],
    ),
    (
        "121.18",
        "Continue efforts undertaken to combat trafficking in persons, particularly exploitation "
        "of children and women, by strengthening the fight against traffickers",
        ["DJI"],
    ),
    (
        "121.19",
        "Continue its efforts to prevent trafficking in persons, particularly children",
        ["MMR"],
    ),
    (
        "121.20",
        "Make additional efforts to investigate, prosecute and punish all human trafficking cases "
        "proportionally to the gravity of the crime",
        ["SRB"],
    ),
    (
        "121.22",
        "Step up efforts in ensuring adequate mechanisms to identify and protect victims of "
        "trafficking, especially children, including providing comprehensive assistance based on "
        "their individual needs",
        ["PHL"],
    ),
    (
        "121.24",
        "Pursue policies which ensure victims of trafficking will be provided with adequate "
        "assistance and care",
        ["IRN"],
    ),
    (
        "121.50",
        "Improve the living, working and social conditions of migrants and refugees and their "
        "access to health care",
        ["TUR"],
    ),
    (
        "121.55",  # across a page break (page 13, running header A/HRC/43/15)
        "Provide training for law enforcement authorities to increase awareness and knowledge, "
        "and ensure that their actions related to the treatment of asylum seekers comply with "
        "European and international obligations and norms",
        ["CAN"],
    ),
    (
        "121.58",  # the last item of paragraph 121 ends with a full stop, not a semicolon
        "Take appropriate measures to guarantee the rights of persons erased from the Register "
        "of Permanent Residents, in compliance with the 2018 Constitutional Court decision",
        ["FRA"],
    ),
    (
        "122.7",
        "Ratify the 1961 Convention on the Reduction of Statelessness",
        ["SVK", "ESP", "MKD"],
    ),
    (
        "122.22",  # a semicolon inside a clause, with no State's brackets before it
        "Strengthen, through a comprehensive strategy, the fight against discrimination in all "
        "its forms, including on the grounds of the status of migrant, refugee, asylum seeker, "
        "and of disability, or any other condition; and strengthen its policies to combat racism "
        "and hate speech",
        ["VEN"],
    ),
    (
        "122.51",  # across a page break, its State's name across a line break
        "Strengthen the response of its criminal justice system in cases of racist hate speech "
        "and violence by ensuring effective investigation and appropriate prosecution and "
        "punishment of the perpetrators",
        ["IRN"],
    ),
    (
        "122.61",
        "Work towards ending protocols that aim to “normalize” intersex bodies through harmful "
        "and medical practices including non-consensual surgery",
        ["MLT"],
    ),
    (
        "122.69",
        "Strengthen oversight over Slovenian companies operating abroad with regard to any "
        "negative impact of their activities on the enjoyment of human rights, particularly in "
        "conflict areas, which includes situations of foreign occupation, where there are "
        "heightened risks of human rights abuses",
        ["PSE"],
    ),
    (
        "122.78",
        "Continue efforts to combat trafficking in persons, especially women and children, in "
        "particular through effective prosecution of perpetrators",
        ["CHL"],
    ),
    (
        "122.82",
        "Continue to strengthen its institutional structure for combating trafficking in human "
        "beings and provide victims of trafficking with adequate access to health care, "
        "counselling and effective protection",
        ["PAK"],
    ),
    (
        "122.85",  # across a page break (page 18)
        "Continue its victim protection, law enforcement, and prevention efforts by vigorously "
        "prosecuting sex and labour trafficking offences and imposing adequate penalties, "
        "including significant prison terms, on all convicted traffickers",
        ["USA"],
    ),
    (
        "122.146",
        "Safeguard the rights of newly-arrived and all immigrants in line with Slovenia’s "
        "international obligations and commitments",
        ["THA"],
    ),
    (
        "122.153",
        "Strengthen the asylum system to fully respect the principle of non-refoulement",
        ["CYP"],
    ),
    (
        "122.157",
        "Establish a procedure for determination and registration of stateless persons, in "
        "order to ensure protection of their human rights",
        ["CRI"],
    ),
]


def test_all_215_recommendations_are_read_with_their_numbers_as_printed(
    report: tuple[Report, list[Warning]],
) -> None:
    recs = report[0].recommendations
    assert len(recs) == 215  # the addendum's paragraph 1: "contains 215 recommendations"
    assert [r.printed for r in recs] == [f"121.{n}" for n in range(1, 59)] + [
        f"122.{n}" for n in range(1, 158)
    ]


@pytest.mark.parametrize(("number", "text", "states"), SPOT_CHECKS, ids=[c[0] for c in SPOT_CHECKS])
def test_recommendation_text_and_recommending_states_as_printed(
    report: tuple[Report, list[Warning]], number: str, text: str, states: list[str]
) -> None:
    rec = next(r for r in report[0].recommendations if r.printed == number)
    assert rec.text == text
    assert rec.recommended_by == [_state(code) for code in states]


def test_every_recommendation_names_a_state_of_the_reference_data(
    report: tuple[Report, list[Warning]],
) -> None:
    found, warnings = report
    recs = found.recommendations
    assert all(r.recommended_by for r in recs)
    assert not [w for w in warnings if "recommending State" in w.problem]
    # Slovenia recommends nothing to itself.
    assert not [r for r in recs if _state("SVN") in r.recommended_by]


def test_the_published_text_is_the_source_at_its_span(
    read_report: tuple[Report, list[Warning], str],
) -> None:
    report, _, text = read_report
    for rec in report.recommendations:
        printed = " ".join(text[rec.span.start : rec.span.end].split())
        # Furniture and line-end hyphens aside, the span holds the text and no State's brackets.
        assert printed.startswith(rec.text.split()[0])
        assert not printed.endswith(")") or rec.text.endswith(")")


def test_the_interactive_dialogue_has_the_documents_81_delegations(
    report: tuple[Report, list[Warning]],
) -> None:
    statements = [p for p in report[0].participations if p.role == "statement"]
    # Paragraph 22: "During the interactive dialogue, 81 delegations made statements."
    assert len(statements) == 81
    assert len({p.participant_key for p in statements}) == 81
    by_paragraph = {p.paragraph: p.participant_key for p in statements}
    assert by_paragraph[23] == _state("RWA")  # "Rwanda commended Slovenia …"
    assert by_paragraph[27] == _state("PSE")  # "The State of Palestine noted …"
    assert by_paragraph[35] == _state("VEN")  # "The Bolivarian Republic of Venezuela …"
    assert by_paragraph[44] == _state("BHS")  # "The Bahamas congratulated …"
    assert by_paragraph[114] == _state("ISR")  # the last: "Israel commended …"
    # The State under review's own replies (paragraphs 62–72, 115–120) are no statement.
    assert not set(by_paragraph) & {62, 63, 64, 65, 72, 115, 116, 118, 120}


def test_the_troika(report: tuple[Report, list[Warning]]) -> None:
    troika = [p.participant_key for p in report[0].participations if p.role == "troika"]
    # Paragraph 2: "… (troika) to facilitate the review of Slovenia: Bangladesh, Denmark and Egypt."
    assert troika == [_state("BGD"), _state("DNK"), _state("EGY")]


def test_the_introduction_and_the_parts(report: tuple[Report, list[Warning]]) -> None:
    found = report[0]
    assert [p.number for p in found.paragraphs] == list(range(1, 124))
    assert [p.part for p in found.paragraphs[:4]] == [None] * 4  # "Introduction", before part I
    assert [(p.numeral, p.title) for p in found.parts] == [
        ("I", "Summary of the proceedings of the review process"),
        ("II", "Conclusions and/or recommendations"),
    ]
    # Paragraph 123 ends before the annex (the composition of the delegation is not read).
    assert found.paragraphs[-1].text.endswith("endorsed by the Working Group as a whole.")


def test_numbering_121_and_122_is_one_series_answered_in_two_documents(
    report: tuple[Report, list[Warning]], addendum: tuple[Report, list[Warning]]
) -> None:
    """How the numbers of the two documents map (read from both texts).

    The report's paragraph 121 lists 58 items, 121.1–121.58, "examined by Slovenia" that "enjoy
    the support of Slovenia": answered in the report itself. Its paragraph 122 lists 157 items,
    122.1–122.157, that "will be examined by Slovenia, which will provide responses in due
    time". The addendum answers those: its "122.17-18" are the report's items 122.17 and 122.18,
    the same numbers, no renumbering. 58 + 157 = 215, and the addendum's paragraph 2 says so
    (215 received, 58 immediately supported, the remaining 157: 124 now supported, 33 noted)."""
    recs = report[0].recommendations
    in_report = {(r.paragraph, r.number) for r in recs}
    own = Counter((r.response, r.of_document) for r in report[0].responses)
    assert own == {("supported", None): 58}
    assert {(r.paragraph, r.number) for r in report[0].responses} == {
        (121, n) for n in range(1, 59)
    }
    answered = addendum[0].responses
    assert {r.of_document for r in answered} == {"A/HRC/43/15"}
    cited = [(r.paragraph, r.number) for r in answered]
    assert len(cited) == len(set(cited)) == 157  # each answered once
    assert set(cited) == {(122, n) for n in range(1, 158)} == {k for k in in_report if k[0] == 122}
    counts = Counter(r.response for r in answered)
    assert counts == {"supported": 124, "noted": 33}
    # Which paragraph of the addendum gives each: 3 (accepted), 4 (accepted, already
    # implemented or in process), 5 (noted).
    by = {(r.paragraph, r.number): (r.response, r.given_in) for r in answered}
    assert by[(122, 17)] == by[(122, 18)] == ("supported", 3)  # "122.17-18"
    assert {by[(122, n)] for n in range(62, 67)} == {("supported", 3)}  # "122.62-\n66"
    assert by[(122, 34)] == by[(122, 35)] == ("supported", 4)  # "122.34- 35"
    assert by[(122, 146)] == ("supported", 3)  # "122.141-144,122.146"
    assert {by[(122, n)] for n in range(2, 11)} == {("noted", 5)}  # "122.2-10"
    assert by[(122, 157)] == ("noted", 5)
    # Trafficking in persons: 122.78 (paragraph 3), 122.79-81 (4), 122.82-85 (3), 122.86 (4).
    assert [by[(122, n)] for n in range(78, 87)] == [
        ("supported", 3),
        ("supported", 4),
        ("supported", 4),
        ("supported", 4),
        ("supported", 3),
        ("supported", 3),
        ("supported", 3),
        ("supported", 3),
        ("supported", 4),
    ]


def test_the_addendum_holds_no_recommendation_of_its_own_and_its_replies(
    addendum: tuple[Report, list[Warning]],
) -> None:
    found, warnings = addendum
    assert found.recommendations == []
    assert [p.number for p in found.paragraphs] == [1, 2, 3, 4, 5]
    assert found.replies[0].reference == "122.11"
    assert found.replies[1].reference == "122.14– 15"
    assert found.replies[-1].reference == "122.157"
    assert not [w for w in warnings if "answered twice" in w.problem or "response" in w.problem]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("122.1, 122.12", [(122, 1), (122, 12)]),
        ("122.17-18", [(122, 17), (122, 18)]),
        ("122.62-\n            66,", [(122, n) for n in range(62, 67)]),
        ("122.34- 35", [(122, 34), (122, 35)]),
        ("122.14– 15", [(122, 14), (122, 15)]),
        ("122.141-144,122.146", [(122, 141), (122, 142), (122, 143), (122, 144), (122, 146)]),
        ("122.5–122.7", [(122, 5), (122, 6), (122, 7)]),
        ("1. Accepted recommendations; 2. Accepted", []),
    ],
)
def test_references_and_ranges_are_expanded(text: str, expected: list[tuple[int, int]]) -> None:
    assert [(p, n) for _, p, n, problem in references(text) if problem is None] == expected


def test_a_backwards_range_is_a_problem_not_a_guess() -> None:
    assert [problem for *_, problem in references("122.18-17")] == [
        "the range '122.18-17' runs backwards"
    ]


def test_an_addendum_whose_responses_cannot_be_read_says_so(rules: Rules, tmp_path: Path) -> None:
    """Another year's addendum may give its responses as a table: nothing is guessed, a warning
    names the file and the line."""
    text = tmp_path / "upr-x-add-1.en.txt"
    text.write_text(
        "1. This document contains the responses of the State.\n"
        "Recommendation Position\n"
        "99.1 Ratify the Convention Supported\n"
        "99.2 Adopt a law Noted\n",
        encoding="utf-8",
    )
    (tmp_path / "upr-x-add-1.en.meta.toml").write_text(
        _meta(ADDENDUM).read_text(encoding="utf-8"), encoding="utf-8"
    )
    found, warnings = extract(read_source(text), rules)
    assert found.responses == []
    problems = [(w.line, w.problem) for w in warnings]
    assert (1, problems[-1][1]) == problems[-1] and problems[-1][1].startswith("no response read")
    # The numbers in the table's lines are cited by paragraph 1 with no response word.
    assert problems[0] == (
        1,
        "paragraph 1 lists recommendations but says no response in the words of the profile; "
        "none is recorded",
    )


def test_a_recommending_state_not_in_the_reference_data_is_warned_never_guessed(
    rules: Rules, tmp_path: Path
) -> None:
    text = tmp_path / "upr-y.en.txt"
    printed = (PDFS / "a-hrc-43-15.pdftotext.txt").read_text(encoding="utf-8")
    text.write_text(printed.replace("(Fiji);", "(Atlantis);"), encoding="utf-8")
    (tmp_path / "upr-y.en.meta.toml").write_text(_meta(REPORT).read_text(encoding="utf-8"), "utf-8")
    found, warnings = extract(read_source(text), rules)
    unresolved = {r.printed: r for r in found.recommendations if not r.recommended_by}
    # Fiji recommended 122.65, 122.66 and 122.145; their texts keep the brackets as printed.
    assert sorted(unresolved) == ["122.145", "122.65", "122.66"]
    assert unresolved["122.65"].text.endswith(
        "in line with its commitments under the Paris Agreement (Atlantis);"
    )
    lines = sorted(w.line for w in warnings if "no recommending State" in w.problem)
    assert lines == [936, 940, 1202]
