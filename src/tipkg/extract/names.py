"""Finding the names of States, organisations, databases and treaty provisions in a text.

The gazetteer is built from the reference data's labels and alternative labels in French and
English. A name matches whole words only, whatever apostrophe the text uses (’ or '), across
line breaks, and after an elided article ("d’INTERPOL", "l’ONUDC"). Acronyms match in their own
case only, so the French article "un" is never the United Nations; other names accept a capital
or small first letter. Where two names start at the same place, the longer one wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tipkg.extract.records import Mention

APOSTROPHES = "['’]"


@dataclass(frozen=True)
class Entry:
    kind: str  # state | organization | database | instrument
    iri: str
    label: str


@dataclass(frozen=True)
class ProvisionEntry:
    instrument_iri: str
    number: int
    iri: str


def label_pattern(label: str) -> str:
    words = label.split()
    parts = [re.sub(APOSTROPHES, APOSTROPHES, re.escape(word)) for word in words]
    first = parts[0]
    if not label.isupper() and first[:1].isalpha():
        first = f"[{first[0].upper()}{first[0].lower()}]{first[1:]}"
    body = r"\s+".join([first, *parts[1:]])
    return rf"(?<![\w-]){body}(?![\w-])"


class Gazetteer:
    """All names of the reference entities of some kinds, compiled into one expression per
    pair of first characters.

    A name starts with one of a few characters ("R" or "r", then "é" for "République…"): the
    names are grouped by the first two characters they may start with, and the text is read
    only where a word starts, against the names of its group. The result is what one expression
    of every name would find: at each place, the names are tried in the same order (longest
    first), and a name that cannot start with the place's characters cannot match there.
    """

    def __init__(self, entries: Iterable[Entry], provisions: Iterable[ProvisionEntry] = ()):
        self.entries = sorted(set(entries), key=lambda e: (-len(e.label), e.label, e.iri))
        self.provision_entries = list(provisions)
        self.provisions = {(p.instrument_iri, p.number): p.iri for p in self.provision_entries}
        self._by_label: dict[str, Entry] = {}
        # The entries of each pair of first characters, and those that may follow any first
        # character (a one-letter first word: whitespace follows, of any kind).
        self._groups: dict[str, list[int]] = {}
        self._any_second: dict[str, list[int]] = {}
        firsts: set[str] = set()
        for index, entry in enumerate(self.entries):
            word = entry.label.split()[0]
            starts = _variants(word[0])
            if not entry.label.isupper() and word[0].isalpha():
                starts = frozenset(word[0].upper() + word[0].lower())
            firsts |= starts
            seconds = _variants(word[1]) if len(word) > 1 else None
            for first in starts:
                if seconds is None:
                    self._any_second.setdefault(first, []).append(index)
                else:
                    for second in seconds:
                        self._groups.setdefault(first + second, []).append(index)
        chars = "".join(re.escape(c) for c in sorted(firsts))
        self._starts = re.compile(rf"(?<![\w-])[{chars}]") if firsts else None
        self._compiled: dict[str, re.Pattern[str] | None] = {}

    def _pattern_at(self, key: str) -> re.Pattern[str] | None:
        """The expression of the names that may start with `key` (the text's next two
        characters), in the order of `entries`; None if none may."""
        try:
            return self._compiled[key]
        except KeyError:
            pass
        indexes = sorted({*self._groups.get(key, ()), *self._any_second.get(key[:1], ())})
        alternatives = [
            f"(?P<n{index}>{label_pattern(self.entries[index].label)})" for index in indexes
        ]
        pattern = re.compile("|".join(alternatives)) if alternatives else None
        self._compiled[key] = pattern
        return pattern

    def compile(self) -> None:
        """Compile every group's expression now (each is otherwise compiled when first
        needed): once in a parent process, not once in every worker it forks."""
        for key in self._groups:
            self._pattern_at(key)
        for first in self._any_second:
            self._pattern_at(first)

    def name_words(self) -> frozenset[str]:
        """The capitalised words of every name ("INTERPOL", "SHERLOC", "Palestine"), lower-cased:
        whole words that a PDF may split and the lexicon does not know."""
        return frozenset(
            word.lower()
            for entry in self.entries
            for word in re.findall(r"[^\W\d_]+", entry.label)
            if word[0].isupper() and len(word) > 2
        )

    def restricted(self, kinds: Sequence[str]) -> Gazetteer:
        """The names of some kinds only (the provisions are kept)."""
        return Gazetteer([e for e in self.entries if e.kind in kinds], self.provision_entries)

    def _match(self, text: str, position: int) -> re.Match[str] | None:
        pattern = self._pattern_at(text[position : position + 2])
        return pattern.match(text, position) if pattern is not None else None

    def find(self, text: str, offset: int = 0) -> list[Mention]:
        """Every name in `text`, leftmost-longest, with offsets shifted by `offset`."""
        if self._starts is None:
            return []
        found = []
        after = 0
        for start in self._starts.finditer(text):
            if start.start() < after:
                continue
            match = self._match(text, start.start())
            if match is None:
                continue
            group = match.lastgroup
            assert group is not None
            entry = self.entries[int(group[1:])]
            found.append(
                Mention(
                    entry.kind, entry.iri, match[0], offset + match.start(), offset + match.end()
                )
            )
            after = match.end()
        return found

    def find_at(self, text: str, position: int) -> Mention | None:
        position = max(position, 0)  # as re's match reads a negative position
        if self._starts is None or not self._starts.match(text, position):
            return None
        match = self._match(text, position)
        if not match or match.lastgroup is None:
            return None
        entry = self.entries[int(match.lastgroup[1:])]
        return Mention(entry.kind, entry.iri, match[0], match.start(), match.end())


def _variants(char: str) -> frozenset[str]:
    """The characters of the text that a name's character matches: itself, or either
    apostrophe for an apostrophe."""
    return frozenset("'’") if char in "'’" else frozenset(char)


_CITATION = {
    "fr": re.compile(
        rf"(?<![\w-])[Aa]rticles?\s+(\d+(?:\s*(?:,|et)\s*\d+)*)\s+(?:de\s+la|du|de\s+l{APOSTROPHES}|des)\s*"
    ),
    "en": re.compile(r"(?<![\w-])[Aa]rticles?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)\s+(?:of\s+the|of)\s+"),
}


def find_provisions(
    text: str, lang: str, instruments: Gazetteer, offset: int = 0
) -> tuple[list[Mention], list[str]]:
    """Citations such as "l’article 18 de la Convention contre la criminalité …".

    Returns the provisions found and, for each citation whose instrument or article is not in the
    reference data, a sentence saying what could not be resolved.
    """
    found: list[Mention] = []
    unresolved: list[str] = []
    for match in _CITATION[lang].finditer(text):
        instrument = instruments.find_at(text, match.end())
        numbers = [int(n) for n in re.findall(r"\d+", match[1])]
        if instrument is None:
            unresolved.append(f"article {match[1]}: the instrument after it is not known")
            continue
        for number in numbers:
            iri = instruments.provisions.get((instrument.key, number))
            if iri is None:
                unresolved.append(f"article {number} of {instrument.matched}: no such article")
                continue
            found.append(
                Mention(
                    "provision",
                    iri,
                    text[match.start() : instrument.end],
                    offset + match.start(),
                    offset + instrument.end,
                )
            )
    return found, unresolved
