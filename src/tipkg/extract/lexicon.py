"""The lexicon that decides whether a string is a word of French or English.

It is wordfreq's frequency list for the language (``wordfreq.get_frequency_dict``), looked up
*exactly*: one dictionary entry per string, no tokenisation. (``wordfreq.zipf_frequency``
tokenises its argument: for "ci-après" it returns an estimate combined from "ci" and "après",
and for "l'ensemble" the frequency of "ensemble", which would make every hyphenated or elided
string look attested.) Frequencies are reported on the Zipf scale, log10 of the frequency per
billion words: 7 is "de", 5 is "droits", 3 is "harmonisation", below 2 is mostly noise.

wordfreq's lists are built from web text and hold much that is not a word: every single letter
("s" 6.5, "v" 5.0 in French), abbreviations and fragments ("ts" 3.5, "ab" 3.8, "vic" 3.6),
misspellings ("dela" 3.3). Hence the two rules of :meth:`Lexicon.is_word`:

* a one-letter token is a word only if it is one of the language's real one-letter words
  (French: à, a, y, ô; English: a, I), whatever its frequency;
* a longer token is a word if its Zipf frequency is at least :data:`WORD_MIN_ZIPF`.

Lookup normalises case (``str.lower``), Unicode (NFC) and apostrophes (’ and ʼ become ', the
form wordfreq stores). wordfreq holds no hyphenated entries (it splits on hyphens), so a
hyphenated token is a word when each of its parts is; an elided token ("l’ensemble",
"qu’il") that is not itself an entry is a word when its elided prefix is one of the language's
elidable words and the rest is a word.

The language knowledge that the repair rules need beside frequencies (which words elide,
which first or last elements make hyphenated compounds, which conjunctions follow a
suspended hyphen) lives here too, as small closed lists per language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import wordfreq


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: A token of two letters or more is a word from this Zipf frequency up. 3.0 is about once per
#: 1M words: "harmonisation" 3.4, "équitable" 3.9 pass; "droi" 1.8, "organi" 1.9 do not.
WORD_MIN_ZIPF = 3.0

#: Below this Zipf frequency a token of two letters or more is *clearly* not a word (noise in
#: wordfreq, or absent): "droi" 1.8, "équitab" and "ictimes" absent. Between this and
#: :data:`WORD_MIN_ZIPF` lie rare words and frequent fragments alike ("tims" 2.5 in English).
CLEARLY_NOT_WORD_ZIPF = 2.0

#: The real one-letter words of each language: any other single letter is not a word.
ONE_LETTER_WORDS: Mapping[str, frozenset[str]] = {
    "fr": _words("à a y ô"),
    "en": _words("a i"),
}

#: French words that elide before a vowel or mute h and are then written with an apostrophe.
ELIDABLE: Mapping[str, frozenset[str]] = {
    "fr": _words("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu"),
    "en": frozenset(),
}

#: English clitics written after an apostrophe ("State's", "don't", "we're").
CLITICS: Mapping[str, frozenset[str]] = {
    "fr": frozenset(),
    "en": _words("s t re ve ll d m"),
}

#: First elements that productively form hyphenated compounds (ci-après, au-delà, non-sanction,
#: vis-à-vis, là-bas, peut-être, quasi-totalité, demi-heure, ex-président, sous-région...).
#: wordfreq splits hyphenated words, so a compound cannot be looked up whole: a detached
#: hyphen is re-attached when both parts are words and the compound has one of these first
#: elements or one of :data:`HYPHEN_LAST_ELEMENTS`, or both parts are capitalised (a proper
#: name: Royaume-Uni, Nouvelle-Zélande, États-Unis).
HYPHEN_FIRST_ELEMENTS: Mapping[str, frozenset[str]] = {
    "fr": _words(
        "ci là au non vis peut quasi demi semi mi ex anti contre sous sur arrière avant "
        "après pré post extra ultra néo pseudo auto porte garde grand grande belle beau "
        "bien mal haut bas soi chef libre entre"
    ),
    "en": _words(
        "non self cross well co ex anti multi post pre semi quasi counter inter intra sub "
        "vice long short so follow high low full part half under over"
    ),
}

#: Last elements that productively end hyphenated compounds (celui-ci, ce jour-là,
#: eux-mêmes, au-delà, peut-être, inverted subject pronouns: pourrait-on, doit-il...).
HYPHEN_LAST_ELEMENTS: Mapping[str, frozenset[str]] = {
    "fr": _words(
        "ci là même mêmes delà dessus dessous dedans dehors être il elle on ils elles je "
        "tu nous vous"
    ),
    "en": _words("based related led wide up like free"),
}

#: Learned prefixes that make words written solid ("interinstitutions", "multidisciplinaires",
#: "transfrontalières"): a rare word made of one of them and a word of the lexicon is a word.
SOLID_PREFIXES: Mapping[str, frozenset[str]] = {
    "fr": _words(
        "inter intra multi pluri trans extra infra supra super hyper micro macro para semi "
        "mono auto anti contre sous sur pré post co ré re dé dés in im mal non bi tri"
    ),
    "en": _words(
        "inter intra multi trans extra infra supra super hyper micro macro para semi mono "
        "auto anti counter sub over under pre post co re de dis in im un non mis bi tri"
    ),
}

#: Words that may follow a suspended hyphen ("pré- et post-natal"), so a space after a hyphen
#: before them is real.
CONJUNCTIONS: Mapping[str, frozenset[str]] = {
    "fr": _words("et ou ni"),
    "en": _words("and or nor to"),
}

LANGUAGES = frozenset(ONE_LETTER_WORDS)

#: How many tokens a lexicon remembers the frequency of.
ZIPF_CACHE = 1 << 17

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@lru_cache(maxsize=1 << 17)  # the words of the documents, each normalised once
def normalise(token: str) -> str:
    """The lookup form of ``token``: NFC, lower case, apostrophes as ``'``."""
    return unicodedata.normalize("NFC", token).translate(_APOSTROPHES).lower()


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Word-hood and frequency of strings in one language, from wordfreq's list."""

    lang: str
    frequencies: Mapping[str, float]
    #: The tokens looked up so far and their Zipf frequency (emptied when it grows large).
    _zipfs: dict[str, float] = field(default_factory=dict, repr=False)

    def zipf(self, token: str) -> float:
        """Zipf frequency of ``token`` as one exact entry (0.0 if absent), to 2 decimals."""
        try:
            return self._zipfs[token]
        except KeyError:
            pass
        freq = self.frequencies.get(normalise(token), 0.0)
        zipf = round(math.log10(freq) + 9.0, 2) if freq > 0.0 else 0.0
        if len(self._zipfs) >= ZIPF_CACHE:
            self._zipfs.clear()
        self._zipfs[token] = zipf
        return zipf

    def is_word(self, token: str) -> bool:
        """Whether ``token`` is a word of the language (see the module's rules)."""
        key = normalise(token)
        if not key:
            return False
        if "-" in key.strip("-"):
            return all(self.is_word(part) for part in key.split("-"))
        if len(key) == 1:
            return key in ONE_LETTER_WORDS[self.lang]
        if self.zipf(key) >= WORD_MIN_ZIPF:
            return True
        head, apostrophe, rest = key.partition("'")
        return bool(apostrophe) and head in ELIDABLE[self.lang] and self.is_word(rest)

    def clearly_not_word(self, token: str) -> bool:
        """Whether ``token`` is certainly no word: stronger evidence than ``not is_word``.

        A lower-case single letter that is not a one-letter word ("s", "v": a capital may be an
        initial or a Roman numeral), or a longer token under :data:`CLEARLY_NOT_WORD_ZIPF`.
        """
        key = normalise(token)
        if len(token) == 1:
            return token.islower() and key not in ONE_LETTER_WORDS[self.lang]
        return self.zipf(key) < CLEARLY_NOT_WORD_ZIPF

    def is_elidable(self, token: str) -> bool:
        """Whether ``token`` is a word that elides before a vowel (French l, d, qu, jusqu...)."""
        return normalise(token) in ELIDABLE[self.lang]


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_GAP = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Vocabulary:
    """How often each word, and each pair of adjacent words, occurs in one document.

    The document's own evidence beside the lexicon: "victimes" written whole twenty times
    elsewhere says that "vic-|times" at a line end is one word, and "non-sanction" written with
    its hyphen elsewhere says that "non-|sanction" keeps it. Keys are :func:`normalise`d.
    """

    words: Counter[str]
    pairs: Counter[tuple[str, str]]

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        words: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        previous: re.Match[str] | None = None
        for match in _WORD.finditer(text):
            word = normalise(match[0])
            words[word] += 1
            if previous is not None and _GAP.fullmatch(text, previous.end(), match.start()):
                pairs[normalise(previous[0]), word] += 1
            previous = match
        return cls(words, pairs)


@cache
def lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("fr" or "en"), loaded once (about 0.1 s) and cached."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {sorted(LANGUAGES)}")
    frequencies: dict[str, float] = wordfreq.get_frequency_dict(lang)
    return Lexicon(lang, frequencies)
