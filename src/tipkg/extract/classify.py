"""Strength, addressee and themes of a recommendation, by explainable rules over the schemes.

The rules are not in this module: they are the labels of the SKOS schemes in ontology/ (a strength's
operative clause as skos:hiddenLabel; a theme's labels and the phrases of ontology/theme-rules.ttl).
A phrase matches whole words, case- and apostrophe-insensitively, across line breaks; a word ending
in ``*`` matches any ending ("puni*" matches punies, punis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from tipkg.extract.names import APOSTROPHES
from tipkg.extract.records import ThemeEvidence


@dataclass(frozen=True)
class Phrase:
    """One rule: `key` is the concept's notation, `text` the phrase, `source` where it is stated."""

    key: str
    text: str
    lang: str
    source: str


@cache  # a few hundred phrases, each compiled once, not once per recommendation
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = []
    for word in phrase.split():
        wild = word.endswith("*")
        escaped = re.escape(word.rstrip("*"))
        escaped = re.sub(APOSTROPHES, APOSTROPHES, escaped)
        words.append(escaped + (r"[\w-]*" if wild else ""))
    # Elided words end in an apostrophe and run into the next word without a space.
    joined = ""
    for index, word in enumerate(words):
        if index:
            joined += r"\s*" if words[index - 1].endswith(APOSTROPHES) else r"\s+"
        joined += word
    first = joined[:1]
    if first.isalnum():
        # The same expression with the first letter before the look-behind (which then looks
        # at the character before it, and the letter): an expression that starts with a letter
        # is searched for that letter first, three times as fast.
        return re.compile(rf"{first}(?<![\w-][\s\S]){joined[1:]}(?![\w-])", re.IGNORECASE)
    return re.compile(rf"(?<![\w-]){joined}(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Classifier:
    strength_phrases: list[Phrase]
    addressee_phrases: list[Phrase]
    theme_phrases: list[Phrase]
    #: The top theme's phrases, for a mechanism whose recommendations may be on any subject.
    top_theme_phrases: list[Phrase] = field(default_factory=list)

    def compile(self) -> None:
        """Compile every phrase's expression now, not on the first recommendation."""
        for phrase in (
            *self.strength_phrases,
            *self.addressee_phrases,
            *self.theme_phrases,
            *self.top_theme_phrases,
        ):
            phrase_pattern(phrase.text)
        self._theme_rules  # noqa: B018 - sorted once, here

    @cached_property
    def _theme_rules(self) -> dict[tuple[str, bool], list[tuple[Phrase, re.Pattern[str]]]]:
        """The theme phrases of each language, with and without the top theme's, in the order
        they are tried, and their expressions: sorted once, not for every recommendation."""
        rules: dict[tuple[str, bool], list[tuple[Phrase, re.Pattern[str]]]] = {}
        for top in (False, True):
            phrases = self.theme_phrases + (self.top_theme_phrases if top else [])
            for phrase in sorted(phrases, key=lambda p: (p.key, -len(p.text), p.text)):
                rules.setdefault((phrase.lang, top), []).append(
                    (phrase, phrase_pattern(phrase.text))
                )
        return rules

    def strength(self, text: str, lang: str) -> tuple[str | None, str]:
        """The strength of the first operative clause; the longest clause wins at one place."""
        best: tuple[int, int, str, str] | None = None
        for phrase in self.strength_phrases:
            if phrase.lang != lang:
                continue
            match = phrase_pattern(phrase.text).search(text)
            if match is None:
                continue
            candidate = (match.start(), -len(match[0]), phrase.key, match[0])
            if best is None or candidate < best:
                best = candidate
        return (best[2], best[3]) if best else (None, "")

    def addressee(self, text: str, lang: str) -> str | None:
        found = [
            (match.start(), phrase.key)
            for phrase in self.addressee_phrases
            if phrase.lang == lang and (match := phrase_pattern(phrase.text).search(text))
        ]
        return min(found)[1] if found else None

    def themes(self, text: str, lang: str, top: bool = False) -> list[ThemeEvidence]:
        """Every theme with at least one matching phrase; the evidence is its first match. The
        top theme (trafficking in persons) only with `top`: a body whose mandate it is implies
        it for every recommendation and gets it from no phrase."""
        evidence: dict[str, ThemeEvidence] = {}
        for phrase, pattern in self._theme_rules.get((lang, bool(top)), []):
            if phrase.key in evidence:
                continue
            match = pattern.search(text)
            if match:
                evidence[phrase.key] = ThemeEvidence(
                    phrase.key,
                    " ".join(match[0].split()),
                    f"{phrase.source} « {phrase.text} »@{phrase.lang}",
                )
        return [evidence[key] for key in sorted(evidence)]
