"""Regression tests of issue 18: extraction made faster finds exactly what it found before.

The gazetteer reads the text only where a word starts, against the names of the place's first
two characters; the classifier's phrases put their first letter before the look-behind; the
lexicon remembers its look-ups; `Rules.warm` makes the caches beforehand. Each is compared here
with the plain form it replaces: one expression of every name, searched everywhere.
"""

from __future__ import annotations

import math
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipkg import iris
from tipkg.extract import lexicon as lexicon_module
from tipkg.extract.classify import phrase_pattern
from tipkg.extract.lexicon import Lexicon, lexicon, normalise
from tipkg.extract.names import APOSTROPHES, Entry, Gazetteer, label_pattern
from tipkg.extract.records import Mention
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

REAL = SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt"

#: Names of every shape the grouping reads: acronyms, a small first letter, an apostrophe first,
#: a one-letter first word, a letter whose capital is two letters, names that share a start.
TRICKY = [
    Entry("organization", "o:unodc", "ONUDC"),
    Entry("organization", "o:un", "UN"),
    Entry("organization", "o:un-women", "UN Women"),
    Entry("state", "s:re", "République de Corée"),
    Entry("state", "s:rep", "République"),
    Entry("database", "d:sherloc", "SHERLOC"),
    Entry("organization", "o:apos", "’Apostrophe First"),
    Entry("organization", "o:letter", "A Letter Name"),
    Entry("organization", "o:ss", "ßtraße Office"),
    Entry("organization", "o:lower", "interpol Office"),
    Entry("state", "s:ci", "Côte d'Ivoire"),
]


def _one_expression(gazetteer: Gazetteer) -> re.Pattern[str]:
    """One expression of every name (the gazetteer before issue 18)."""
    return re.compile(
        "|".join(f"(?P<n{i}>{label_pattern(e.label)})" for i, e in enumerate(gazetteer.entries))
    )


def _mention(gazetteer: Gazetteer, match: re.Match[str], offset: int = 0) -> Mention:
    assert match.lastgroup is not None
    entry = gazetteer.entries[int(match.lastgroup[1:])]
    return Mention(entry.kind, entry.iri, match[0], offset + match.start(), offset + match.end())


def _plain_find(gazetteer: Gazetteer, text: str, offset: int = 0) -> list[Mention]:
    pattern = _one_expression(gazetteer)
    return [_mention(gazetteer, match, offset) for match in pattern.finditer(text)]


def _plain_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase's expression before issue 18: the look-behind first."""
    words = []
    for word in phrase.split():
        escaped = re.sub(APOSTROPHES, APOSTROPHES, re.escape(word.rstrip("*")))
        words.append(escaped + (r"[\w-]*" if word.endswith("*") else ""))
    joined = ""
    for index, word in enumerate(words):
        if index:
            joined += r"\s*" if words[index - 1].endswith(APOSTROPHES) else r"\s+"
        joined += word
    return re.compile(rf"(?<![\w-]){joined}(?![\w-])", re.IGNORECASE)


@cache
def _rules() -> Rules:
    bodies = frozenset(
        str(iris.organization(key)) for key in ("wg-tip", "cop-untoc", "united-nations")
    )
    return rules_from(load_ontology() + load_reference(), bodies)


def _texts() -> list[str]:
    labels = [e.label for e in [*TRICKY, *_rules().names.entries]]
    return [
        REAL.read_text(encoding="utf-8"),
        " ".join(labels),
        " ".join(label.lower() for label in labels),
        "-".join(labels),
        "d’".join(label.replace("'", "’") for label in labels),
        "\n".join(label.replace(" ", "\n  ") for label in labels),
    ]


def test_issue18_gazetteer_finds_what_one_expression_finds() -> None:
    rules = _rules()
    gazetteers = [
        Gazetteer(TRICKY),
        rules.names,
        rules.named_in_recommendations,
        rules.instruments,
        rules.states,
        rules.actors,
    ]
    for gazetteer in gazetteers:
        for text in _texts():
            assert gazetteer.find(text, 7) == _plain_find(gazetteer, text, 7)


def test_issue18_gazetteer_find_at_every_place() -> None:
    gazetteer = Gazetteer(TRICKY)
    pattern = _one_expression(gazetteer)
    text = " ".join(e.label for e in TRICKY) + " xUN (UN) l’ONUDC -UN un"
    for position in [-1, *range(len(text) + 2)]:
        match = pattern.match(text, position)
        expected = _mention(gazetteer, match) if match else None
        assert gazetteer.find_at(text, position) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [e.label for e in TRICKY]
            + ["Un", "un", "l’", "d'", " ", "\n", "-", "x", "République", "ré", "ß", "SS", "A"]
        ),
        max_size=12,
    )
)
def test_issue18_gazetteer_on_random_texts(pieces: list[str]) -> None:
    gazetteer = Gazetteer(TRICKY)
    text = "".join(pieces)
    assert gazetteer.find(text) == _plain_find(gazetteer, text)


def test_issue18_phrase_patterns_match_as_before() -> None:
    classifier = _rules().classifier
    phrases = {
        p.text
        for p in (
            *classifier.strength_phrases,
            *classifier.addressee_phrases,
            *classifier.theme_phrases,
            *classifier.top_theme_phrases,
        )
    }
    texts = _texts()[:1] + [" ".join(sorted(phrases)), "-".join(sorted(phrases)).upper()]
    for phrase in phrases:
        fast, plain = phrase_pattern(phrase), _plain_pattern(phrase)
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ]


def test_issue18_lexicon_remembers_what_it_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "ZIPF_CACHE", 3)
    fresh = Lexicon("fr", lexicon("fr").frequencies)
    words = ["droits", "Droits", "l’homme", "victimes", "xqzt", "droits", "de"] * 3
    expected = []
    for word in words:
        frequency = fresh.frequencies.get(normalise(word), 0.0)
        expected.append(round(math.log10(frequency) + 9.0, 2) if frequency > 0 else 0.0)
    assert [fresh.zipf(word) for word in words] == expected
    assert len(fresh._zipfs) <= 3


def test_issue18_warm_rules_extract_the_same() -> None:
    bodies = frozenset({str(iris.organization("wg-tip"))})
    cold = rules_from(load_ontology() + load_reference(), bodies)
    warm = rules_from(load_ontology() + load_reference(), bodies).warm()
    source = read_source(REAL)
    assert repr(extract(source, warm)) == repr(extract(source, cold))
