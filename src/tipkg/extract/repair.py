"""Repairing the damage PDF extraction leaves in running text, recording every change.

``repair(source, start, end, lang, page)`` returns the text of ``source[start:end]`` with

* every whitespace run inside it made one space: a run holding a line break is a
  ``"line-break"`` repair (a wrapped line), any other run that is not exactly one space is a
  ``"whitespace"`` repair;
* page furniture inside it removed (``"page-furniture"``: running headers, job and page
  numbers, bar codes, form feeds; found by :mod:`tipkg.extract.furniture` and read here as the
  whitespace it stands in, so that a word hyphenated across a page break is still one word);
* words that a stray space split joined again (``"split-word"``): "droi ts" → "droits",
  "par ties" → "parties";
* hyphens set by the typesetter at a line end removed (``"hyphenation"``): "vic-|times" →
  "victimes";
* apostrophes re-attached to the elided word and the word it elides before
  (``"detached-apostrophe"``): "l ’ensemble" → "l’ensemble";
* hyphens re-attached inside compounds (``"detached-hyphen"``): "ci -après" → "ci-après",
  "non-|sanction" → "non-sanction".

Each change is a :class:`Repair` with absolute offsets into ``source``, so
``apply(source, start, end, result.repairs) == result.text`` always holds, and a reviewer can
see what was changed and why. Nothing else is touched: the document's own wording, slips
included, stays as published. What the rules leave as it was without being sure (two words
that may be one, a line-end hyphen that may be the typesetter's) is returned as a *doubt*, which
the extraction turns into a warning naming the file and line.

Every decision is taken on one *gap*, a whitespace run between two tokens, from three kinds of
evidence, never from a list of one document's errors: the lexicon
(:mod:`tipkg.extract.lexicon`: wordfreq's frequency list, looked up exactly), the document's own
usage (:class:`~tipkg.extract.lexicon.Vocabulary`: how often it writes a word whole, hyphenated,
or a pair of words apart) and the names of the reference data. The rules, in order of
precedence (a gap claimed by one rule is not looked at by the next):

1. Hyphens. A hyphen glued to one side only of a gap between letters ("ci -après",
   "trauma -informed") is re-attached: a one-sided hyphen is never typeset so, except a
   suspended one ("pré- et post-", told by the conjunction after it). A hyphen ending a line
   is the typesetter's (a ``"hyphenation"`` repair of "-" and the break) when the document
   writes the word whole more often than hyphenated, when the word is a name of the reference
   data, when a part is clearly no word, or when the joined form is a word and a part is not,
   or the compound is of no productive kind (``HYPHEN_FIRST_ELEMENTS``: ci-, non-, sous-…;
   ``HYPHEN_LAST_ELEMENTS``: -même, -là…; two capitalised parts, "Royaume-Uni"). Otherwise the
   hyphen is the compound's and stays; a doubt is raised where the joined form is a word too.
   A word split by a space and a line-end hyphen ("na tio-|naux") is joined whole.
2. Detached apostrophe. A space between an elidable French word (l, d, j, m, n, s, t, c, qu,
   jusqu, lorsqu, puisqu, quoiqu, presqu, quelqu) and an apostrophe (’ or '), or between such
   an apostrophe and the next word, is removed, provided that the next word begins with a
   vowel or h (elision happens only there). Likewise when the lexicon holds the whole
   apostrophe word ("aujourd'hui", "don't", "State's"). In English, a clitic after an
   apostrophe ('s, 't, 're, 've, 'll, 'd, 'm) is re-attached to the word before it, and a
   lone apostrophe after a word ending in s followed by a word is a plural possessive
   ("States ' obligations" → "States' obligations").
3. Split word. A group of two (or three) adjacent fragments is joined when no punctuation
   separates them, no capital follows a lower-case fragment (a name begins), and the joined
   form is a word (Zipf ≥ ``JOIN_MIN_ZIPF``, or a name of the reference data) of at least
   ``JOIN_MIN_LENGTH`` letters; then
   - where a fragment is *clearly* not a word (a lone lower-case letter that is not a
     one-letter word, or Zipf below 2.0: "droi", "v"), the join is made (a group of three needs
     such a fragment);
   - otherwise the two readings are weighed (:meth:`_Repairer._weigh`): the joined word's
     probability against the two fragments' (Zipf − 9 each, a margin of ``TWO_WORDS_MARGIN``
     orders of magnitude, ``TWO_WORDS_MARGIN_SEEN`` where the document writes the word whole
     elsewhere, ``TWO_WORDS_MARGIN_BREAK`` across a line break without that evidence); two
     very frequent words whose joined form is no more frequent stay apart ("sur tout", "en
     cas", "health care"), and so does a collocation whose joined form is hardly more frequent
     than its rarer word ("per cent"), or a pair the document writes apart elsewhere as often
     as whole. A pair left apart whose joined form is far likelier is a doubt.
   Fragments are the letters at the token's edge, so an elided or hyphenated token contributes
   the part after its apostrophe or hyphen ("l’ensem ble" → "ensem" + "ble"). But an elided
   word or a lone letter before an apostrophe at the start of a token ("l’", "qu’", "O’Neal")
   is whole and takes no join ("que l’effet" stays), and so is what follows an apostrophe
   that elides no word (English "season's lump" stays).
   Groups are taken left to right, three fragments before two; a fragment that could join
   either of its neighbours goes to the one giving the more frequent word. The original case
   is kept.

Only gaps of ordinary spaces, tabs and line breaks are ever removed: a non-breaking space was
typeset on purpose. All decisions are deterministic; the lexicon is loaded once per language
and cached.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from tipkg.extract.furniture import Paged, paged
from tipkg.extract.lexicon import (
    CLEARLY_NOT_WORD_ZIPF,
    CLITICS,
    CONJUNCTIONS,
    HYPHEN_FIRST_ELEMENTS,
    HYPHEN_LAST_ELEMENTS,
    Lexicon,
    lexicon,
    normalise,
)

#: A joined form must be at least this frequent to be accepted as a word (Zipf scale).
JOIN_MIN_ZIPF = 3.0

#: Two fragments both at least this frequent are grammar words or everyday words ("en cas",
#: "sur tout", "en droit", "may be", "health care"): they stay apart.
GRAMMAR_WORD_ZIPF = 5.0

#: Words at least this frequent are grammar words ("in", "to", "sur", "tout", "par"): a pair of
#: them stays apart whatever the document's usage says of the joined form ("in to", "sur tout").
GRAMMAR_WORD_MAX = 6.0

#: How much likelier (orders of magnitude, log10) the joined word must be than the two words
#: taken apart, without and with the document writing the joined word elsewhere.
TWO_WORDS_MARGIN = 2.0
TWO_WORDS_MARGIN_SEEN = 0.5
#: Two words whose joined form is not this much more frequent than the rarer of them stay apart.
COLLOCATION_MARGIN = 0.5
#: A line-end hyphen kept between two words although their joined form is at least this
#: frequent: a doubt, warned ("multi-|disciplinaires").
HYPHEN_DOUBT_ZIPF = 2.2
#: A line-end hyphen dropped between two parts both at least this frequent ("health-|care"):
#: the joined word is taken, and a doubt warned (the compound may be the document's).
COMPOUND_PART_ZIPF = 4.5
#: ... unless the joined form is this much likelier than the two apart ("con séquence").
DECISIVE_MARGIN = 4.0
#: Two fragments left apart although their joined form is this much likelier: a doubt, warned
#: (from ``DOUBT_MARGIN_SEEN`` up where the document does not write the pair apart elsewhere).
DOUBT_MARGIN = 3.0
DOUBT_MARGIN_SEEN = 2.0
#: A pair the document writes apart this many times, and never whole, is its usage: no doubt.
USAGE_COUNT = 3
#: Across a line break, without the document's evidence.
TWO_WORDS_MARGIN_BREAK = 3.0

#: Without the document's evidence, the joined form of two words must be a common word.
TWO_WORDS_MIN_ZIPF = 3.5

KINDS = (
    "split-word",
    "detached-apostrophe",
    "detached-hyphen",
    "line-break",
    "whitespace",
    "glued-heading",
    "hyphenation",
    "page-furniture",
)

#: A hyphen between two letters with a space on one side only is never typeset so (a suspended
#: hyphen, "pré- et post-", is told apart by the conjunction after it).
_ONE_SIDED = "{}: a hyphen between two letters with a space on one side only"

_LANGUAGE_NAMES = {"fr": "French", "en": "English"}
_APOSTROPHE_CHARS = frozenset("’'ʼ")
_VOWELS = frozenset("aeiouyhœæ")
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: Whitespace that PDF extraction produces by accident. A gap holding anything else (a
#: non-breaking space: "M.\u00a0Nolan", "article\u00a018") was typeset on purpose and is
#: never removed, only made one space.
_STRAY_SPACE = frozenset(" \t") | _LINE_BREAKS
#: A joined form must have at least this many letters: wordfreq's two-letter entries are
#: mostly abbreviations ("ab" 3.8), and two lone letters are no PDF split.
JOIN_MIN_LENGTH = 3


@dataclass(frozen=True)
class Repair:
    """One change: ``source[start:end]`` (== ``original``) became ``repaired``."""

    start: int
    end: int
    original: str
    repaired: str
    kind: str
    reason: str


@dataclass(frozen=True)
class RepairedText:
    """The repaired text of a span and the repairs, sorted by start and non-overlapping."""

    text: str
    repairs: tuple[Repair, ...]
    #: What the rules left as it was without being sure: (offset in the source, what).
    doubts: tuple[tuple[int, str], ...] = ()


def repair(source: str, start: int, end: int, lang: str, page: Paged | None = None) -> RepairedText:
    """Repair ``source[start:end]`` in language ``lang`` ("fr" or "en").

    ``page`` is the source's page furniture (:func:`tipkg.extract.furniture.paged`, computed
    once per source); without it, the furniture is found here. Furniture inside the span is
    read as the whitespace it stands in and removed by ``page-furniture`` repairs.

    Callers pass spans that begin and end on non-space characters; whitespace (and furniture) at
    either end of the span is nevertheless ignored (not part of the text, no repair recorded).
    """
    page = page if page is not None else paged(source)
    start, end = _trimmed(page.view, start, end)
    return _Repairer(source, start, end, lexicon(lang), page).run()


def apply(source: str, start: int, end: int, repairs: Sequence[Repair]) -> str:
    """Re-apply recorded ``repairs`` to ``source[start:end]`` (trimmed as :func:`repair` does).

    Raises ``ValueError`` if a repair lies outside the span, overlaps another, or does not
    match the source.
    """
    start, end = _trimmed(source, start, end)
    pieces: list[str] = []
    at = start
    for rep in sorted(repairs, key=lambda r: (r.start, r.end)):
        if rep.start < at or rep.end > end or rep.start > rep.end:
            raise ValueError(f"repair {rep!r} is outside [{start}, {end}) or overlaps another")
        if source[rep.start : rep.end] != rep.original:
            raise ValueError(f"repair {rep!r} does not match the source")
        pieces.append(source[at : rep.start])
        pieces.append(rep.repaired)
        at = rep.end
    pieces.append(source[at:end])
    return "".join(pieces)


def _trimmed(source: str, start: int, end: int) -> tuple[int, int]:
    if not 0 <= start <= end <= len(source):
        raise ValueError(f"span [{start}, {end}) is not inside a text of {len(source)} characters")
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=1 << 16)  # the tokens of a document recur: each is read once
def _tail(token: str) -> str:
    """The letters at the end of ``token`` ("" if it ends otherwise)."""
    index = len(token)
    while index > 0 and token[index - 1].isalpha():
        index -= 1
    return token[index:]


@lru_cache(maxsize=1 << 16)
def _head(token: str) -> str:
    """The letters at the start of ``token`` ("" if it starts otherwise)."""
    index = 0
    while index < len(token) and token[index].isalpha():
        index += 1
    return token[:index]


def _starts_with_vowel(word: str) -> bool:
    """Whether ``word`` begins with a vowel or h, before which French elides."""
    if not word:
        return False
    base = unicodedata.normalize("NFD", word[0].lower())[0]
    return base in _VOWELS


def _quote(word: str) -> str:
    return f"«{word}»"


@dataclass(frozen=True)
class _Join:
    first: int  # index of the first token of the group
    size: int  # number of tokens joined
    joined: str
    zipf: float
    reason: str


class _Repairer:
    """The state of one :func:`repair` call: the span's tokens and gaps, and the decisions."""

    def __init__(self, source: str, start: int, end: int, lex: Lexicon, page: Paged) -> None:
        self.source = source
        # Decisions read the view, where page furniture is whitespace; the repairs recorded
        # quote the source (see _materialise).
        self.view = page.view
        self.vocabulary = page.vocabulary
        self.known = page.known
        self.furniture = [f for f in page.furniture if start <= f.start and f.end <= end]
        self.lex = lex
        self.language = _LANGUAGE_NAMES[lex.lang]
        self.a_word = f"{'an' if self.language[0] in 'AEIOU' else 'a'} {self.language} word"
        self.gaps: list[tuple[int, int]] = [
            (m.start(), m.end()) for m in _WHITESPACE.finditer(self.view, start, end)
        ]
        bounds = [start, *(edge for gap in self.gaps for edge in gap), end]
        self.tokens: list[str] = [
            self.view[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)
        ]
        # What each gap is made of, read once: stray space only (joinable), a line break.
        texts = [self.view[a:b] for a, b in self.gaps]
        self.stray = [set(text) <= _STRAY_SPACE for text in texts]
        self.breaks = [any(char in _LINE_BREAKS for char in text) for text in texts]
        self.decided: dict[int, Repair] = {}
        self.doubts: list[tuple[int, str]] = []
        self.start, self.end = start, end

    # -- helpers ---------------------------------------------------------------------------

    def _gap_text(self, gap: int) -> str:
        gap_start, gap_end = self.gaps[gap]
        return self.view[gap_start:gap_end]

    def _has_break(self, gap: int) -> bool:
        return self.breaks[gap]

    def _joinable(self, gap: int) -> bool:
        return self.stray[gap] and gap not in self.decided

    def _join_gap(self, gap: int, kind: str, reason: str) -> None:
        gap_start, gap_end = self.gaps[gap]
        self.decided[gap] = Repair(
            gap_start, gap_end, self.view[gap_start:gap_end], "", kind, reason
        )

    def _elided(self, index: int, prefix: str) -> str:
        """The letters before the apostrophe that ends ``prefix``, the start of token ``index``.

        If the token begins with the apostrophe and the gap before it was removed ("l ’ensem"),
        they are the end of the token before.
        """
        letters = _tail(prefix[:-1])
        if not prefix[:-1] and index > 0:
            before = self.decided.get(index - 1)
            if before is not None and before.repaired == "":
                letters = _tail(self.tokens[index - 1])
        return letters

    def _joined_before(self, index: int, tail: str) -> str:
        """``tail`` (the letters ending token ``index``), with the letters the token was already
        joined to on its left ("judi-|ciair e": the fragment before "e" is "judiciair")."""
        decided = self.decided.get(index - 1)
        if tail != self.tokens[index] or decided is None or decided.repaired != "":
            return tail
        before = self.tokens[index - 1]
        return _tail(before[:-1] if decided.kind == "hyphenation" else before) + tail

    def _describe(self, word: str) -> str:
        if len(word) == 1:
            return f"{_quote(word)} is not (a lone letter)"
        return f"{_quote(word)} is not (Zipf {self.lex.zipf(word):.2f})"

    # -- the passes ------------------------------------------------------------------------

    def run(self) -> RepairedText:
        for gap in range(len(self.gaps)):
            if self._joinable(gap):
                self._hyphen(gap)
        for gap in range(len(self.gaps)):
            if self._joinable(gap):
                self._apostrophe(gap)
        self._split_words()
        for gap in range(len(self.gaps)):
            if gap not in self.decided:
                self._whitespace(gap)
        repairs = tuple(
            piece
            for decision in sorted(self.decided.values(), key=lambda r: r.start)
            for piece in self._materialise(decision)
        )
        text = apply(self.source, self.start, self.end, repairs)
        return RepairedText(text, repairs, tuple(self.doubts))

    def _materialise(self, decision: Repair) -> list[Repair]:
        """The repairs of the source that carry out a decision taken on the view: page furniture
        inside the decided range becomes a ``page-furniture`` repair of its own (with the
        whitespace after it), the rest keeps the decision's kind."""
        inside = [f for f in self.furniture if decision.start <= f.start < decision.end]
        start, end = decision.start, decision.end
        if not inside:
            return [replace(decision, original=self.source[start:end])]
        pieces: list[Repair] = []
        lead = decision.repaired
        if inside[0].start > start:
            original = self.source[start : inside[0].start]
            if original != decision.repaired:
                pieces.append(replace(decision, end=inside[0].start, original=original))
            lead = ""
        for index, item in enumerate(inside):
            stop = inside[index + 1].start if index + 1 < len(inside) else end
            pieces.append(
                Repair(
                    item.start,
                    stop,
                    self.source[item.start : stop],
                    lead if index == 0 else "",
                    "page-furniture",
                    f"page furniture at a page break ({item.what}): {item.text!r} is not the "
                    "document's text",
                )
            )
        return pieces

    def _whitespace(self, gap: int) -> None:
        text = self._gap_text(gap)
        gap_start, gap_end = self.gaps[gap]
        if self._has_break(gap):
            self.decided[gap] = Repair(
                gap_start,
                gap_end,
                text,
                " ",
                "line-break",
                "a line break inside the text (a wrapped line) becomes one space",
            )
        elif text != " ":
            what = f"a run of {len(text)} spaces" if set(text) == {" "} else f"whitespace {text!r}"
            self.decided[gap] = Repair(
                gap_start, gap_end, text, " ", "whitespace", f"{what} becomes one space"
            )

    def _compound(self, first: str, last: str) -> str | None:
        """Why ``first-last`` is a compound, or None if the lexicon does not support it."""
        lang = self.lex.lang
        if not (self.lex.is_word(first) and self.lex.is_word(last)):
            return None
        compound = _quote(f"{first}-{last}")
        if normalise(first) in HYPHEN_FIRST_ELEMENTS[lang]:
            return (
                f"{compound}: {_quote(first + '-')} is a productive first element and "
                f"{_quote(last)} is {self.a_word} (Zipf {self.lex.zipf(last):.2f})"
            )
        if normalise(last) in HYPHEN_LAST_ELEMENTS[lang]:
            return (
                f"{compound}: {_quote('-' + last)} is a productive last element and "
                f"{_quote(first)} is {self.a_word} (Zipf {self.lex.zipf(first):.2f})"
            )
        if first[0].isupper() and last[0].isupper():
            return f"{compound}: a proper name of two capitalised {self.language} words"
        return None

    def _hyphen(self, gap: int) -> None:
        left, right = self.tokens[gap], self.tokens[gap + 1]
        if right.startswith("-") and _tail(left) and _head(right[1:]):
            first, last = _tail(left), _head(right[1:])
            if normalise(last) in CONJUNCTIONS[self.lex.lang]:
                return
            why = self._compound(first, last) or _ONE_SIDED.format(_quote(f"{first}-{last}"))
            self._join_gap(gap, "detached-hyphen", f"{why}; the space before «-» is stray")
            return
        if not (left.endswith("-") and _tail(left[:-1]) and _head(right)):
            return
        first, last = _tail(left[:-1]), _head(right)
        if normalise(last) in CONJUNCTIONS[self.lex.lang]:
            return  # a suspended hyphen: "pré- et post-natal"
        if self._has_break(gap):
            if self._hyphenation_of_three(gap, first, last):
                return
            hyphenation = self._hyphenation(first, last, self.gaps[gap][0])
            if hyphenation is not None:
                gap_start, gap_end = self.gaps[gap]
                self.decided[gap] = Repair(
                    gap_start - 1,
                    gap_end,
                    self.view[gap_start - 1 : gap_end],
                    "",
                    "hyphenation",
                    f"line-end hyphenation: {hyphenation}",
                )
                return
            why = (
                self._compound(first, last)
                or f"{_quote(first + '-' + last)}: a hyphen ends the line"
            )
            self._join_gap(
                gap, "detached-hyphen", f"{why}; the line break after «-» is inside the compound"
            )
            return
        why = self._compound(first, last) or _ONE_SIDED.format(_quote(f"{first}-{last}"))
        self._join_gap(gap, "detached-hyphen", f"{why}; the space after «-» is stray")

    def _hyphenation(self, first: str, last: str, at: int) -> str | None:
        """Why a hyphen at a line end between ``first`` and ``last`` was the typesetter's (the
        word is ``first + last``), or None if it is the compound's own and stays.

        The document's own usage decides first: the word written whole elsewhere and never
        hyphenated ("victimes") is one word; written with its hyphen elsewhere ("non-sanction")
        it is a compound. A name of the reference data is whole ("SHE-|RLOC"). Otherwise the
        lexicon: the joined form must be attested (Zipf ≥ ``CLEARLY_NOT_WORD_ZIPF``), and
        then a part that is no word ("pro-|metteuses") or a compound of no productive kind
        (not ci-, non-, sous-, -même…) says the hyphen was the typesetter's."""
        if last[0].isupper() and not last.isupper():
            return None  # a capital after the hyphen: a name ("Royaume-Uni") or a new sentence
        joined = first + last
        zipf = self.lex.zipf(joined)
        if normalise(joined) in self.known:
            return f"{_quote(joined)} is a name of the reference data"
        usage = self.vocabulary.words
        whole, hyphenated = usage[normalise(joined)], usage[normalise(f"{first}-{last}")]
        if whole > hyphenated:
            return (
                f"{_quote(joined)} is written whole {whole} time(s) elsewhere in the document"
                + (f", hyphenated {hyphenated}" if hyphenated else ", never hyphenated")
            )
        if hyphenated > whole:
            return None
        if (
            normalise(first) in HYPHEN_FIRST_ELEMENTS[self.lex.lang]
            and zipf < CLEARLY_NOT_WORD_ZIPF
            and not first[0].isupper()
        ):
            return None  # a productive first element before a rare word: "non-|refoulement"
        if any(self.lex.clearly_not_word(part) for part in (first, last)):
            return f"{_quote(first + '-' + last)} is no compound: " + "; ".join(
                self._describe(p) for p in (first, last) if not self.lex.is_word(p)
            )
        if zipf < CLEARLY_NOT_WORD_ZIPF:
            return None
        lone = [w for w in (first, last) if not self.lex.is_word(w)]
        if lone:
            return f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}); {self._describe(lone[0])}"
        if self._compound(first, last) is None and zipf >= JOIN_MIN_ZIPF:
            if all(self.lex.zipf(part) >= COMPOUND_PART_ZIPF for part in (first, last)):
                # Two everyday words: the hyphen may be the compound's own ("health-|care"),
                # though the joined word is taken.
                self.doubts.append(
                    (
                        at,
                        f"line-end hyphen dropped in {_quote(first + '-' + last)}: "
                        f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}), but both parts "
                        "are words and the compound may be the document's: which one?",
                    )
                )
            return (
                f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}) and "
                f"{_quote(first + '-' + last)} is no compound of a productive kind"
            )
        if zipf >= HYPHEN_DOUBT_ZIPF:
            self.doubts.append(
                (
                    at,
                    f"line-end hyphen kept in {_quote(first + '-' + last)}, but "
                    f"{_quote(joined)} is {self.a_word} too (Zipf {zipf:.2f}): which one?",
                )
            )
        return None

    def _hyphenation_of_three(self, gap: int, first: str, last: str) -> bool:
        """A word split twice, by a stray space and a line-end hyphen ("na tio-|naux"): join
        both when the three pieces make a word and the last two make none."""
        before = gap - 1
        if before < 0 or not self._joinable(before) or self.tokens[gap] != first + "-":
            return False
        head = _tail(self.tokens[before])
        joined = head + first + last
        if not head:
            return False
        zipf = self.lex.zipf(joined)
        if zipf < JOIN_MIN_ZIPF and normalise(joined) not in self.known:
            return False
        if self.lex.zipf(first + last) >= CLEARLY_NOT_WORD_ZIPF:
            # The last two make a word too ("re com-|mended"): the two readings weighed, as
            # for a word split by a space ("recommended" against "re" and "commended").
            if head[0].isupper() or (first + last)[0].isupper():
                return False
            why = self._weigh(head, first + last, joined, zipf, False)
            if why is None:
                return False
            reason = f"{why}; split by a space and a line-end hyphen"
        else:
            reason = (
                f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}), split by a space and a "
                f"line-end hyphen; {_quote(first + last)} is no word"
            )
        self._join_gap(before, "split-word", reason)
        gap_start, gap_end = self.gaps[gap]
        self.decided[gap] = Repair(
            gap_start - 1, gap_end, self.view[gap_start - 1 : gap_end], "", "hyphenation", reason
        )
        return True

    def _apostrophe(self, gap: int) -> None:
        left, right = self.tokens[gap], self.tokens[gap + 1]
        lang = self.lex.lang
        if right[:1] in _APOSTROPHE_CHARS and _tail(left):
            word = _tail(left)
            lone = len(right) == 1  # the apostrophe stands between two spaces
            if not lone:
                after = _head(right[1:])
            elif gap + 1 < len(self.gaps) and self._joinable(gap + 1):
                after = _head(self.tokens[gap + 2])
            else:
                after = ""
            if self.lex.is_elidable(word) and _starts_with_vowel(after):
                reason = (
                    f"{_quote(word)} elides before {_quote(after)}: "
                    f"no space around the apostrophe in {_quote(word + right[0] + after)}"
                )
                self._join_gap(gap, "detached-apostrophe", reason)
                if lone:
                    self._join_gap(gap + 1, "detached-apostrophe", reason)
                return
            if not lone and after:
                attested = word + "'" + after
                if self.lex.zipf(attested) >= JOIN_MIN_ZIPF:
                    self._join_gap(
                        gap,
                        "detached-apostrophe",
                        f"{_quote(word + right[0] + after)} is {self.a_word} "
                        f"(Zipf {self.lex.zipf(attested):.2f})",
                    )
                    return
                if after == right[1:].rstrip(".,;:!?)»”") and normalise(after) in CLITICS[lang]:
                    self._join_gap(
                        gap,
                        "detached-apostrophe",
                        f"{_quote(right[0] + after)} is a clitic of {_quote(word)}",
                    )
                    return
            if (
                lang == "en"
                and lone
                and normalise(word).endswith("s")
                and gap + 2 < len(self.tokens)
                and _head(self.tokens[gap + 2])
            ):
                self._join_gap(
                    gap,
                    "detached-apostrophe",
                    f"{_quote(word + right[0])}: the possessive apostrophe of a plural in -s",
                )
            return
        if left[-1:] in _APOSTROPHE_CHARS and _tail(left[:-1]) and _head(right):
            word, after = _tail(left[:-1]), _head(right)
            if self.lex.is_elidable(word) and _starts_with_vowel(after):
                self._join_gap(
                    gap,
                    "detached-apostrophe",
                    f"{_quote(word)} elides before {_quote(after)}: "
                    f"no space after the apostrophe in {_quote(word + left[-1] + after)}",
                )
                return
            attested = word + "'" + after
            if self.lex.zipf(attested) >= JOIN_MIN_ZIPF:
                self._join_gap(
                    gap,
                    "detached-apostrophe",
                    f"{_quote(word + left[-1] + after)} is {self.a_word} "
                    f"(Zipf {self.lex.zipf(attested):.2f})",
                )

    def _group(self, first: int, size: int) -> _Join | None:
        """The join of tokens ``first .. first+size-1`` if the split-word rule accepts it."""
        tokens, lex = self.tokens, self.lex
        last = first + size - 1
        if last >= len(tokens):
            return None
        gaps = range(first, last)
        stray, decided = self.stray, self.decided
        for gap in gaps:
            if not stray[gap] or gap in decided:
                return None
        token = tokens[first]
        tail = _tail(token)
        prefix = token[: len(token) - len(tail)]
        if prefix[-1:] in _APOSTROPHE_CHARS and not lex.is_elidable(self._elided(first, prefix)):
            return None  # after an apostrophe not eliding a word: a clitic ("State's"), a quote
        fragments = [self._joined_before(first, tail)]
        for middle in range(first + 1, last):
            token = tokens[middle]
            if not token.isalpha():
                return None
            fragments.append(token)
        token = tokens[last]
        head = _head(token)
        after_head = token[len(head) : len(head) + 1]
        following = tokens[last + 1][:1] if last + 1 < len(tokens) else ""
        elided = after_head in _APOSTROPHE_CHARS or (
            head == token and following in _APOSTROPHE_CHARS
        )
        if elided and (lex.is_elidable(head) or len(head) == 1):
            return None  # an elided word ("l’", "qu’", "O’Neal") is whole: nothing joins to it
        fragments.append(head)
        if not all(fragments):
            return None
        for before, after in zip(fragments, fragments[1:], strict=False):
            if after[0].isupper() and not before.isupper():
                return None  # a capital after a lower-case fragment: a name begins
        joined = "".join(fragments)
        zipf = lex.zipf(joined)
        known = normalise(joined) in self.known
        if (zipf < JOIN_MIN_ZIPF and not known) or len(joined) < JOIN_MIN_LENGTH:
            return None
        clear = [lex.clearly_not_word(fragment) for fragment in fragments]
        if size == 2 and (known or not any(clear)):
            why = self._weigh(fragments[0], fragments[1], joined, zipf, self._has_break(first))
            if why is None:
                self._doubt_split(first, fragments[0], fragments[1], joined, zipf)
                return None
            return _Join(first, size, joined, zipf, why)
        words = [lex.is_word(fragment) for fragment in fragments]
        if all(words):
            return None
        if not any(clear):
            return None  # three fragments, none clearly no word: too weak a case
        for index, gap in enumerate(gaps):
            if self._has_break(gap) and not (clear[index] or clear[index + 1]):
                return None
        lone = [f for f, is_word in zip(fragments, words, strict=True) if not is_word]
        reason = f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}); " + "; ".join(
            self._describe(fragment) for fragment in lone
        )
        if any(self._has_break(gap) for gap in gaps):
            reason += "; split across a line break"
        return _Join(first, size, joined, zipf, reason)

    def _weigh(
        self, left: str, right: str, joined: str, zipf: float, across_break: bool
    ) -> str | None:
        """Why two fragments, none of them clearly no word, are one word split by a stray
        space ("par ties" → "parties", "com pris" → "compris", "trai te" → "traite"), or None
        if they stay two ("de la", "en cas", "sur tout le territoire", "per cent").

        Both readings are weighed: the joined word's probability against the two fragments',
        as unigram log-frequencies (Zipf − 9 each); the document's own usage (the word written
        whole elsewhere, the pair written apart elsewhere) and the names of the reference data;
        and the grammar words of the language: when both fragments are very frequent words
        (Zipf ≥ ``GRAMMAR_WORD_ZIPF``: "en", "sur", "tout", "cas", "droit"), the pair is a
        phrase far more often than a split word, whatever the lexicon says of the joined
        form. A line break between the fragments asks for stronger evidence."""
        lex, usage = self.lex, self.vocabulary
        left_zipf, right_zipf = lex.zipf(left), lex.zipf(right)
        both_words = lex.is_word(left) and lex.is_word(right)
        key = normalise(joined)
        known = key in self.known
        whole = usage.words[key]
        margin = zipf - (left_zipf + right_zipf - 9.0)
        apart = usage.pairs[normalise(left), normalise(right)] - 1  # this occurrence aside
        # The document's own usage outweighs the lexicon for words that are no grammar words
        # ("again st", "Co de", "Re view"): the joined word written whole again and again, the
        # pair never apart.
        usual = (
            whole >= USAGE_COUNT and apart <= 0 and max(left_zipf, right_zipf) < GRAMMAR_WORD_MAX
        )
        # A phrase of everyday words ("sur tout", "en cas", "in to", "health care"), or a pair
        # whose joined form is hardly more frequent than its rarer word ("per cent").
        if (
            both_words
            and min(left_zipf, right_zipf) >= GRAMMAR_WORD_ZIPF
            and zipf < max(left_zipf, right_zipf)
            and not usual
        ):
            return None
        if (
            both_words
            and not whole
            and margin < DECISIVE_MARGIN
            and zipf < min(left_zipf, right_zipf) + COLLOCATION_MARGIN
        ):
            return None
        if not known and any(part.isupper() and len(part) > 1 for part in (left, right)):
            return None  # an acronym is no fragment
        if both_words and apart > 0 and apart >= whole:
            return None  # the document writes the pair apart elsewhere, as often as whole
        evidence = [f"written whole {whole} time(s) elsewhere in the document"] if whole else []
        if known:
            evidence.append("a name of the reference data")
            zipf = max(zipf, JOIN_MIN_ZIPF)
        if known:
            margin = zipf - (left_zipf + right_zipf - 9.0)
        if evidence:
            needed, least = TWO_WORDS_MARGIN_SEEN, JOIN_MIN_ZIPF
        elif across_break:
            needed, least = TWO_WORDS_MARGIN_BREAK, TWO_WORDS_MIN_ZIPF
        else:
            needed, least = TWO_WORDS_MARGIN, TWO_WORDS_MIN_ZIPF if both_words else JOIN_MIN_ZIPF
        if margin < needed or zipf < least:
            return None
        return (
            f"{_quote(joined)} is {self.a_word} (Zipf {zipf:.2f}), {margin:.1f} orders of "
            f"magnitude likelier than {_quote(left)} and {_quote(right)} apart (Zipf "
            f"{left_zipf:.2f}, {right_zipf:.2f})"
            + "".join(f"; {e}" for e in evidence)
            + ("; split across a line break" if across_break else "")
        )

    def _doubt_split(self, first: int, left: str, right: str, joined: str, zipf: float) -> None:
        """Two fragments left apart although the joined word is far likelier: say so."""
        if normalise(left) == normalise(right):
            return  # a word said twice ("to to"), no halves of one word
        margin = zipf - (self.lex.zipf(left) + self.lex.zipf(right) - 9.0)
        apart = self.vocabulary.pairs[normalise(left), normalise(right)]
        if apart >= USAGE_COUNT and not self.vocabulary.words[normalise(joined)]:
            return  # the document's own usage, written apart again and again ("per cent")
        needed = DOUBT_MARGIN if apart > 1 else DOUBT_MARGIN_SEEN
        if margin >= needed and zipf >= JOIN_MIN_ZIPF:
            self.doubts.append(
                (
                    self.gaps[first][0],
                    f"{_quote(left + ' ' + right)} left as two words, but {_quote(joined)} is "
                    f"{self.a_word} {margin:.1f} orders of magnitude likelier: a split word?",
                )
            )

    def _split_words(self) -> None:
        index = 0
        while index < len(self.tokens) - 1:
            if not self._joinable(index):
                # Every group from here starts at this gap and would be refused: most gaps are
                # plain spaces between words, and asking _group for each was most of the work.
                index += 1
                continue
            join = self._group(index, 3)
            if join is not None:
                # "par l es": the two last fragments may make a far likelier word alone;
                # "healt h care": so may the two first, the third a word of its own.
                rival = self._group(index + 1, 2)
                first_two = self._group(index, 2)
                third = _head(self.tokens[index + 2])
                first_word = normalise(_tail(self.tokens[index]))
                if (
                    (rival is not None and rival.zipf > join.zipf)
                    or (
                        first_two is not None
                        and first_two.zipf > join.zipf
                        and self.lex.is_word(third)
                        and not self.lex.clearly_not_word(third)
                    )
                    # "per c ent": the document writes "per cent" apart elsewhere, more often
                    # than "percent" whole.
                    or (
                        rival is not None
                        and self.vocabulary.pairs[first_word, normalise(rival.joined)]
                        > self.vocabulary.words[normalise(join.joined)]
                    )
                ):
                    join = None
            if join is None:
                join = self._group(index, 2)
            if join is not None and join.size == 2:
                rival = self._group(index + 1, 2)
                if rival is not None and rival.zipf > join.zipf:
                    join = None
            if join is None:
                index += 1
                continue
            for gap in range(join.first, join.first + join.size - 1):
                self._join_gap(gap, "split-word", join.reason)
            index += join.size
