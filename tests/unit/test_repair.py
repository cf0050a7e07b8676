"""Repairing PDF-extraction damage: split words, detached apostrophes and hyphens, line breaks.

Offline and fast: the lexicon is wordfreq's packaged list, loaded once per language.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import wordfreq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipkg.extract.lexicon import Lexicon, lexicon
from tipkg.extract.repair import KINDS, Repair, RepairedText, apply, repair

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PATH = ROOT / "data" / "sources" / "wg-tip-2020-draft-report-add1.fr.txt"
SOURCE = SOURCE_PATH.read_text(encoding="utf-8")

PREFIX, SUFFIX = "Début. ", " Fin."


def _embedded(text: str, lang: str) -> tuple[str, RepairedText]:
    """Repair ``text`` placed inside a longer source, so that offsets are tested as absolute."""
    source = PREFIX + text + SUFFIX
    return source, repair(source, len(PREFIX), len(PREFIX) + len(text), lang)


def _check_invariants(source: str, start: int, end: int, result: RepairedText) -> None:
    assert apply(source, start, end, result.repairs) == result.text
    previous_end = -1
    for rep in result.repairs:
        assert rep.kind in KINDS
        assert start <= rep.start <= rep.end <= end
        assert rep.start >= previous_end, "repairs overlap or are not sorted"
        assert source[rep.start : rep.end] == rep.original
        assert rep.reason
        previous_end = rep.end
    assert "  " not in result.text
    assert "\n" not in result.text
    assert result.text == result.text.strip()


# -- the damage, case by case -----------------------------------------------------------------

# (lang, damaged text, repaired text, [(kind, original, repaired, offset of original in text)])
CASES: list[tuple[str, str, str, list[tuple[str, str, str, int]]]] = [
    ("fr", "les droi ts reconnus", "les droits reconnus", [("split-word", " ", "", 8)]),
    ("fr", "des v ictimes de", "des victimes de", [("split-word", " ", "", 5)]),
    ("fr", "un procès équitab le.", "un procès équitable.", [("split-word", " ", "", 17)]),
    ("fr", "protéger le s victimes", "protéger les victimes", [("split-word", " ", "", 11)]),
    (
        "fr",
        "protéger le s \n\nvictimes",
        "protéger les victimes",
        [("split-word", " ", "", 11), ("line-break", " \n\n", " ", 13)],
    ),
    ("fr", "droi\n\nts", "droits", [("split-word", "\n\n", "", 4)]),
    ("fr", "l’ensem ble", "l’ensemble", [("split-word", " ", "", 7)]),
    (
        "fr",
        "poursuivre l ’ensemble des",
        "poursuivre l’ensemble des",
        [("detached-apostrophe", " ", "", 12)],
    ),
    ("fr", "équipes d ’enquête", "équipes d’enquête", [("detached-apostrophe", " ", "", 9)]),
    (
        "fr",
        "sur l ’application du",
        "sur l’application du",
        [("detached-apostrophe", " ", "", 5)],
    ),
    (
        "fr",
        "promouvoir l ’harmonisation des",
        "promouvoir l’harmonisation des",
        [("detached-apostrophe", " ", "", 12)],
    ),
    ("fr", "l’ ensemble", "l’ensemble", [("detached-apostrophe", " ", "", 2)]),
    (
        "fr",
        "l ’ ensemble",
        "l’ensemble",
        [("detached-apostrophe", " ", "", 1), ("detached-apostrophe", " ", "", 3)],
    ),
    ("fr", "lorsqu 'il", "lorsqu'il", [("detached-apostrophe", " ", "", 6)]),
    ("fr", "aujourd ’hui", "aujourd’hui", [("detached-apostrophe", " ", "", 7)]),
    ("fr", "présentées ci -après", "présentées ci-après", [("detached-hyphen", " ", "", 13)]),
    ("fr", "présentées ci- après", "présentées ci-après", [("detached-hyphen", " ", "", 14)]),
    ("fr", "au -delà de", "au-delà de", [("detached-hyphen", " ", "", 2)]),
    ("fr", "le Royaume -Uni", "le Royaume-Uni", [("detached-hyphen", " ", "", 10)]),
    ("fr", "de non-\n\nsanction", "de non-sanction", [("detached-hyphen", "\n\n", "", 7)]),
    ("fr", "une organi-\nsation", "une organisation", [("hyphenation", "-\n", "", 10)]),
    ("fr", "de la  traite", "de la traite", [("whitespace", "  ", " ", 5)]),
    (
        "fr",
        "groupe de \n\ntravail",
        "groupe de travail",
        [("line-break", " \n\n", " ", 9)],
    ),
    ("fr", "mieux \n\n faire", "mieux faire", [("line-break", " \n\n ", " ", 5)]),
    ("en", "that vic tims of", "that victims of", [("split-word", " ", "", 8)]),
    ("en", "the State s obligations", "the States obligations", [("split-word", " ", "", 9)]),
    (
        "en",
        "Member States ' obligations",
        "Member States' obligations",
        [("detached-apostrophe", " ", "", 13)],
    ),
    ("en", "the State 's duty", "the State's duty", [("detached-apostrophe", " ", "", 9)]),
    (
        "en",
        "the non -punishment principle",
        "the non-punishment principle",
        [("detached-hyphen", " ", "", 7)],
    ),
    # Issue 12: two real words that are one word split; two words that stay two.
    (
        "fr",
        "Les États par ties devraient",
        "Les États parties devraient",
        [("split-word", " ", "", 13)],
    ),
    ("fr", "y com pris au niveau", "y compris au niveau", [("split-word", " ", "", 5)]),
    (
        "fr",
        "aider les vic-\n\ntimes de",
        "aider les victimes de",
        [("hyphenation", "-\n\n", "", 13)],
    ),
    (
        "fr",
        "les na tio-\nnaux",
        "les nationaux",
        [("split-word", " ", "", 6), ("hyphenation", "-\n", "", 10)],
    ),
    ("fr", "sous-\nrégional", "sous-régional", [("detached-hyphen", "\n", "", 5)]),
    ("fr", "en cas de besoin", "en cas de besoin", []),
    ("fr", "sur tout le territoire", "sur tout le territoire", []),
    ("fr", "le droit de la mer", "le droit de la mer", []),
    ("en", "primary health care system", "primary health care system", []),
    ("en", "20 per cent of", "20 per cent of", []),
    (
        "en",
        "in a trauma -informed way",
        "in a trauma-informed way",
        [("detached-hyphen", " ", "", 11)],
    ),
]


@pytest.mark.parametrize(("lang", "damaged", "expected", "repairs"), CASES)
def test_case(
    lang: str, damaged: str, expected: str, repairs: list[tuple[str, str, str, int]]
) -> None:
    source, result = _embedded(damaged, lang)
    assert result.text == expected
    got = [(r.kind, r.original, r.repaired, r.start - len(PREFIX)) for r in result.repairs]
    assert got == repairs
    _check_invariants(source, len(PREFIX), len(PREFIX) + len(damaged), result)


def test_reason_gives_the_lexicon_evidence() -> None:
    _, result = _embedded("les droi ts reconnus", "fr")
    (rep,) = result.repairs
    assert rep.reason == "«droits» is a French word (Zipf 5.18); «droi» is not (Zipf 1.84)"
    _, result = _embedded("des v ictimes", "fr")
    assert "«v» is not (a lone letter)" in result.repairs[0].reason


def test_repair_is_frozen_and_hashable() -> None:
    _, result = _embedded("le s victimes", "fr")
    rep = result.repairs[0]
    assert isinstance(rep, Repair)
    assert len({rep, rep}) == 1
    with pytest.raises(AttributeError):
        rep.start = 0  # type: ignore[misc]


# -- what is never joined ---------------------------------------------------------------------

UNTOUCHED = [
    ("fr", "à la"),
    ("fr", "de la"),
    ("fr", "le droit"),
    ("fr", "ne pas"),
    ("fr", "en sorte"),
    ("fr", "sont encouragés faire en sorte"),
    ("fr", "par tout moyen"),
    ("fr", "quel que soit"),
    ("fr", "en fin de compte"),
    ("fr", "chapitre I de la Convention"),  # "Ide" is in wordfreq; "de" is far more frequent
    ("fr", "à ce que l’identification"),  # an elided word is whole: no "quel’identification"
    ("fr", "de l’ONUDC"),
    ("fr", "tout en s’efforçant"),
    ("fr", "Mme Bowen et M. Nolan"),
    ("fr", "ci - après"),  # a spaced dash, not a detached hyphen
    ("fr", "pré- et post-natal"),  # a suspended hyphen
    ("fr", "les mots ’victimes’"),  # a quotation mark, not an elision
    ("fr", "l ’traite"),  # no elision before a consonant
    ("fr", "a b"),  # "ab" is wordfreq noise; two lone letters are no split word
    ("en", "a part"),
    ("en", "in to the"),
]


@pytest.mark.parametrize(("lang", "text"), UNTOUCHED)
def test_real_words_are_never_joined(lang: str, text: str) -> None:
    source, result = _embedded(text, lang)
    assert result.text == text
    assert result.repairs == ()
    _check_invariants(source, len(PREFIX), len(PREFIX) + len(text), result)


def test_real_words_keep_their_space_across_a_line_break() -> None:
    text = "à \n\nla traite, de\nla traite, le  droit, ne \n\n pas"
    source, result = _embedded(text, "fr")
    assert result.text == "à la traite, de la traite, le droit, ne pas"
    assert {r.kind for r in result.repairs} == {"line-break", "whitespace"}


def test_non_breaking_space_is_made_one_space_never_removed() -> None:
    source, result = _embedded("article\u00a018 et l\u00a0’ensemble", "fr")
    assert result.text == "article 18 et l ’ensemble"
    assert [r.kind for r in result.repairs] == ["whitespace", "whitespace"]


def test_span_edges_whitespace_is_ignored() -> None:
    source = "  \n le s victimes \n\n "
    result = repair(source, 0, len(source), "fr")
    assert result.text == "les victimes"
    assert apply(source, 0, len(source), result.repairs) == result.text
    assert repair(source, 0, 3, "fr") == RepairedText("", ())


def test_apply_rejects_repairs_that_do_not_fit() -> None:
    source = "le s victimes"
    result = repair(source, 0, len(source), "fr")
    moved = Repair(0, 1, " ", "", "split-word", "x")
    with pytest.raises(ValueError, match="does not match"):
        apply(source, 0, len(source), [moved])
    with pytest.raises(ValueError, match="outside"):
        apply(source, 5, len(source), result.repairs)
    with pytest.raises(ValueError, match="not inside"):
        repair(source, 0, len(source) + 1, "fr")


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        repair("x", 0, 1, "de")


# -- the lexicon ------------------------------------------------------------------------------


def test_lexicon_word_rules() -> None:
    fr = lexicon("fr")
    assert fr is lexicon("fr")  # cached
    assert fr.is_word("à") and fr.is_word("a") and fr.is_word("y") and fr.is_word("À")
    assert not fr.is_word("s") and not fr.is_word("v") and not fr.is_word("l")
    assert fr.is_word("droits") and not fr.is_word("droi") and not fr.is_word("équitab")
    assert fr.is_word("l’ensemble") and fr.is_word("L'ensemble") and fr.is_word("ci-après")
    assert fr.zipf("ÉTATS") == fr.zipf("états") > 5
    assert fr.zipf("ci-après") == 0.0  # wordfreq holds no hyphenated entries
    assert fr.clearly_not_word("droi") and fr.clearly_not_word("s")
    assert not fr.clearly_not_word("S") and not fr.clearly_not_word("ts")
    en = lexicon("en")
    assert en.is_word("I") and en.is_word("victims") and not en.is_word("tims")


# -- the real source --------------------------------------------------------------------------

REPAIRED_DAMAGE = ["droi ts", "v ictimes", "équitab le", "le s victimes", "l ’", "d ’", "ci -après"]
REPAIRED_FORMS = [
    "droits",
    "victimes de la traite",
    "équitable",
    "les victimes",
    "l’ensemble",
    "d’enquête",
    "l’application",
    "l’harmonisation",
    "ci-après",
]
# Every join the repair makes on the real file, as (fragments, joined): a regression guard.
EXPECTED_JOINS = {
    ("droi ts", "droits"),
    ("v ictimes", "victimes"),
    ("équitab le", "équitable"),
    ("le s", "les"),
    ("l ’ensemble", "l’ensemble"),
    ("l ’application", "l’application"),
    ("d ’enquête", "d’enquête"),
    ("l ’harmonisation", "l’harmonisation"),
    ("ci -après", "ci-après"),
}
# The document's own wording, slips included, stays as published.
KEPT = ["sont encouragés faire en sorte", "à la réunion", "le droit du travail", "de ne pas"]


def _blocks(source: str) -> list[tuple[int, int]]:
    """Spans of text between structural separators: lines of spaces only (not empty lines,
    which follow every wrapped line of this extraction)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    offset = 0
    for line in source.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if content and not content.strip():
            if start is not None:
                spans.append((start, offset))
            start = None
        elif content.strip() and start is None:
            start = offset
        offset += len(line)
    if start is not None:
        spans.append((start, len(source)))
    return spans


def _word_at(text: str, index: int) -> str:
    """The run of letters and apostrophes/hyphens around ``index`` in ``text``."""
    left = index
    while left > 0 and (text[left - 1].isalpha() or text[left - 1] in "’'-"):
        left -= 1
    right = index
    while right < len(text) and (text[right].isalpha() or text[right] in "’'-"):
        right += 1
    return text[left:right]


def _joins(source: str, start: int, result: RepairedText) -> set[tuple[str, str]]:
    """(damaged fragments, joined form) for every repair that removed a gap."""
    while source[start].isspace():  # repair ignores the span's leading whitespace
        start += 1
    joins: set[tuple[str, str]] = set()
    shift = 0
    for rep in result.repairs:
        out = rep.start - start - shift
        shift += len(rep.original) - len(rep.repaired)
        if rep.kind in ("line-break", "whitespace"):
            continue
        left = _word_at(source, rep.start).rstrip("-")
        right = _word_at(source, rep.end)
        joins.add((f"{left} {right}", _word_at(result.text, out)))
    return joins


def _assert_joins_are_justified(lex: Lexicon, joins: set[tuple[str, str]]) -> None:
    for fragments, joined in joins:
        assert lex.is_word(joined), f"{joined!r} (from {fragments!r}) is not a word"
        if "’" in fragments or "-" in fragments:
            continue  # apostrophe and hyphen joins are checked by their own cases
        left, right = fragments.split(" ")
        assert not (lex.is_word(left) and lex.is_word(right)), f"{fragments!r} are two words"


@pytest.mark.parametrize("how", ["whole file", "blocks"])
def test_real_source(how: str) -> None:
    spans = [(0, len(SOURCE))] if how == "whole file" else _blocks(SOURCE)
    assert len(spans) > 40 or how == "whole file"
    lex = lexicon("fr")
    texts: list[str] = []
    joins: set[tuple[str, str]] = set()
    for start, end in spans:
        result = repair(SOURCE, start, end, "fr")
        _check_invariants(SOURCE, start, end, result)
        texts.append(result.text)
        joins |= _joins(SOURCE, start, result)
    text = "\n".join(texts)
    for damage in REPAIRED_DAMAGE:
        assert damage not in text
    for form in REPAIRED_FORMS + KEPT:
        assert form in text
    assert joins == EXPECTED_JOINS
    _assert_joins_are_justified(lex, joins)


def test_real_source_timing(capsys: pytest.CaptureFixture[str]) -> None:
    """Reported, not asserted: the whole file, once the lexicon is loaded."""
    lexicon("fr")
    began = time.perf_counter()
    repair(SOURCE, 0, len(SOURCE), "fr")
    elapsed = time.perf_counter() - began
    with capsys.disabled():
        print(f"\nrepair of {SOURCE_PATH.name} ({len(SOURCE)} chars): {elapsed * 1000:.1f} ms")


_NON_SPACE = [i for i, char in enumerate(SOURCE) if not char.isspace()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_NON_SPACE) - 1), st.integers(0, len(_NON_SPACE) - 1))
def test_apply_reproduces_random_slices(a: int, b: int) -> None:
    start, last = sorted((_NON_SPACE[a], _NON_SPACE[b]))
    end = last + 1
    result = repair(SOURCE, start, end, "fr")
    _check_invariants(SOURCE, start, end, result)
    assert apply(SOURCE, start, end, result.repairs) == result.text


# -- real words joined by single spaces are left alone -----------------------------------------


def _real_words(lang: str, count: int) -> list[str]:
    lex = lexicon(lang)
    return [
        word
        for word in wordfreq.top_n_list(lang, count)
        if re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?", word) and lex.is_word(word)
    ]


FR_WORDS = _real_words("fr", 20000)
EN_WORDS = _real_words("en", 20000)


def _sentence(words: list[str]) -> st.SearchStrategy[str]:
    word = st.tuples(st.sampled_from(words), st.booleans(), st.booleans()).map(
        lambda t: (t[0].capitalize() if t[1] else t[0]).replace("'", "’" if t[2] else "'")
    )
    return st.lists(word, min_size=1, max_size=30).map(" ".join)


def _left_alone(text: str, lang: str) -> None:
    """Real words joined by single spaces are left as they are, but for the one thing the rule
    for split words is for: two "words" that are far likelier one word ("do nc", "flow ing":
    joined) or may be ("seul es", "re called": a doubt, nothing changed). Either names two
    neighbours whose join is a word of the language; nothing else is touched or doubted."""
    result = repair(text, 0, len(text), lang)

    def joined_at(at: int) -> str:
        return (text[:at].split()[-1] + text[at:].split()[0]).lower()

    for change in result.repairs:
        assert (change.kind, change.original, change.repaired) == ("split-word", " ", ""), change
        assert lexicon(lang).is_word(joined_at(change.start)), change
    for at, doubt in result.doubts:
        assert lexicon(lang).is_word(joined_at(at)), doubt
    assert apply(text, 0, len(text), result.repairs) == result.text
    if not result.repairs:
        assert result.text == text


@settings(max_examples=300, deadline=None)
@given(_sentence(FR_WORDS))
def test_real_french_words_are_left_alone(text: str) -> None:
    _left_alone(text, "fr")


@settings(max_examples=200, deadline=None)
@given(_sentence(EN_WORDS))
def test_real_english_words_are_left_alone(text: str) -> None:
    _left_alone(text, "en")


@pytest.mark.parametrize(
    ("text", "lang", "joined"), [("seul es", "fr", "seules"), ("re called", "en", "recalled")]
)
def test_real_words_that_may_be_a_split_word_are_doubted_not_joined(
    text: str, lang: str, joined: str
) -> None:
    result = repair(text, 0, len(text), lang)
    assert (result.text, result.repairs) == (text, ())
    assert [f"«{joined}»" in doubt for _, doubt in result.doubts] == [True]
