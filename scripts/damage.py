#!/usr/bin/env python3
"""Damage a clean report the way PDF extraction does, and write the truth beside it.

Usage:
    damage.py SOURCE.txt --seed N --level words|pdf --out DIR [--symbol SYMBOL]

Takes any clean report (SOURCE.txt and SOURCE.meta.toml beside it) and writes into DIR:

- ``<stem>-<level>-s<seed>.<lang>.txt``: the text, damaged;
- ``<stem>-<level>-s<seed>.<lang>.meta.toml``: the metadata, copied, marked ``synthetic = true``
  with a comment naming the source, the seed, the level and the damage applied;
- ``<stem>-<level>-s<seed>.<lang>.truth.json``: the ground truth, for each recommendation its
  number, its clean text (runs of whitespace made one space, as tipkg publishes it), its part
  numeral and section letter, the lines it spans in the damaged text, and the count of each kind
  of damage applied to it.

The truth is computed here from the clean source, never by tipkg's extractor: the headings are
read by the document's heading grammar (parts "IV. …", sections "B. …", "Recommandation N" /
"Recommendation N", numbered paragraphs "3. …"). A clean source may itself carry a little damage
("droi ts", "l ’ensemble", "ci -après"); it is normalised first, by conservative rules that are
listed in the truth (``source_normalised``), so the truth is the text as it should be published.

Damage classes (the names the truth uses), level "words":

- ``split-word``: a stray space inside a word, one fragment no word ("droi ts", "équitab le");
- ``split-word-words``: a word split into two real words ("par ties", "com pris", "vic times");
- ``detached-apostrophe``: "l ’ensemble", "l’ ensemble";
- ``detached-hyphen``: "ci -après", "non- sanction";
- ``rewrap``: the text wrapped anew at 50–100 characters, in the source's style (an empty line
  after every wrapped line when the source has one); counted per line break inside a text;
- ``glued-recommendation`` / ``glued-section`` / ``glued-part``: a heading glued to the end of the
  previous paragraph's last line, or put on the next line without the blank line (counted on the
  recommendation whose text it follows).

Level "pdf" adds:

- ``page-break``: a page break, with the running footer and header of real UN PDFs (the document
  symbol, a job number "V.20-04765" or "GE.19-21936(E)", a page number "4/6", "Page 4" or "4",
  sometimes a form feed, the bar-code line on the first page), at any line: inside a sentence,
  between a heading and its text, between the halves of a word hyphenated at the line end;
- ``hyphenation``: a long word hyphenated at a line end ("vic-" / "times");
- ``hyphenation-compound``: a compound broken at its own hyphen at a line end ("non-" /
  "sanction").

Everything is deterministic for a seed. Importable: :func:`damage` returns the texts and the truth.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import wordfreq

LEVELS = ("words", "pdf")
ONE_LETTER_WORDS = {"fr": frozenset({"à", "a", "y", "ô"}), "en": frozenset({"a", "i"})}
ELIDABLE = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"})
REC_WORD = {"fr": "Recommandation", "en": "Recommendation"}

# -- the heading grammar (the document's, read independently of tipkg's extractor) -------------

_PART = re.compile(r"([IVXLC]{1,6})\.\s+(\S.*)")
_SECTION = re.compile(r"([A-Z])\.\s+([A-ZÀ-ÖØ-Þ].*)")
_REC = re.compile(r"Recomm[ae]ndation\s+(\d{1,4})")
_PARAGRAPH = re.compile(r"(\d{1,4})\.\s+(\S.*)")
_GLUED_REC = re.compile(r"(.*[.;:!?»”)])\s+(Recomm[ae]ndation\s+\d{1,4})")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass
class Block:
    """One heading or one paragraph of text of the clean report."""

    kind: str  # raw | part | section | rec-heading | rec-text | paragraph
    text: str  # whitespace-normalised (and, for texts, normalised of the source's own damage)
    key: str = ""  # numeral, letter or number
    part: str = ""
    section: str = ""
    lines: tuple[int, int] = (0, 0)  # 1-based lines in the clean source
    indent: str = ""


@dataclass
class Clean:
    lang: str
    blocks: list[Block]
    double_spaced: bool  # an empty line after every wrapped line
    trailing_space: bool
    normalised: list[str] = field(default_factory=list)


def _classify(line: str, part: str, section: str, paragraph: int | None) -> tuple[str, str]:
    if m := _REC.fullmatch(line):
        return "rec-heading", m[1]
    if m := _PART.fullmatch(line):
        numeral = m[1]
        if all(c in _ROMAN for c in numeral):
            value = _roman(numeral)
            if len(numeral) > 1 or not part or 0 < value - _roman(part) <= 3:
                return "part", numeral
    if (m := _SECTION.match(line)) and (
        (not section and m[1] <= "H") or (section and 0 < ord(m[1]) - ord(section) <= 3)
    ):
        return "section", m[1]
    if (m := _PARAGRAPH.match(line)) and (paragraph is None or int(m[1]) == paragraph + 1):
        return "paragraph", m[1]
    return "", ""


def parse_clean(text: str, lang: str) -> Clean:
    """The blocks of a clean report, by the heading grammar."""
    raw_lines = text.split("\n")
    nonblank = [i for i, line in enumerate(raw_lines) if line.strip()]
    followed = sum(1 for i in nonblank if i + 1 < len(raw_lines) and not raw_lines[i + 1].strip())
    double = followed > 0.8 * len(nonblank)
    trailing = sum(1 for i in nonblank if raw_lines[i].endswith(" ")) > 0.5 * len(nonblank)
    logical: list[tuple[int, str, str]] = []  # line number, stripped text, indent
    for number, line in enumerate(raw_lines, 1):
        stripped = line.strip().replace("\f", "")
        if not stripped:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if (m := _GLUED_REC.fullmatch(stripped)) and m[1].strip():
            logical.append((number, m[1].strip(), indent))
            logical.append((number, m[2], "  "))
        else:
            logical.append((number, stripped, indent))
    blocks: list[Block] = []
    part = section = ""
    paragraph: int | None = None
    current: Block | None = None
    started = False
    for number, line, indent in logical:
        kind, key = _classify(line, part, section, paragraph)
        if kind == "part":
            part, section, started = key, "", True
        elif kind == "section":
            section = key
        elif kind == "paragraph":
            paragraph = int(key)
        if kind and (started or kind == "part"):
            current = Block(kind, line, key, part, section, (number, number), indent)
            blocks.append(current)
            if kind == "rec-heading":
                current = Block("rec-text", "", key, part, section, (number, number))
                blocks.append(current)
        elif current is None or not started:
            blocks.append(Block("raw", line, lines=(number, number), indent=indent))
        else:
            current.text = f"{current.text} {line}".strip()
            current.lines = (current.lines[0], number)
    clean = Clean(lang, blocks, double, trailing)
    for block in blocks:
        if block.kind in ("rec-text", "paragraph", "section", "part"):
            block.text = _normalise(block.text, lang, clean.normalised)
    return clean


# -- the lexicon -------------------------------------------------------------------------------


@cache
def zipf(word: str, lang: str) -> float:
    return float(wordfreq.zipf_frequency(word.replace("’", "'"), lang))


def _is_word(fragment: str, lang: str) -> bool:
    if len(fragment) == 1:
        return fragment.lower() in ONE_LETTER_WORDS[lang]
    return zipf(fragment, lang) >= 2.5


def _normalise(text: str, lang: str, log: list[str]) -> str:
    """Undo the little damage a clean source may carry, by conservative rules."""

    def apostrophe(m: re.Match[str]) -> str:
        if " " not in m[0]:
            return m[0]
        if m[1].lower() in ELIDABLE or (lang == "en" and m[2].startswith("s")):
            log.append(f"detached-apostrophe: {m[0]!r}")
            return f"{m[1]}’{m[2]}"
        return m[0]

    text = re.sub(r"\b(\w{1,6}) ?’ ?(\w+)", apostrophe, text)

    def hyphen(m: re.Match[str]) -> str:
        if " " not in m[0]:
            return m[0]
        log.append(f"detached-hyphen: {m[0]!r}")
        return f"{m[1]}-{m[2]}"

    text = re.sub(r"([^\W\d_]) ?- ?([^\W\d_])", hyphen, text)

    tokens = text.split(" ")
    out: list[str] = []
    for token in tokens:
        before = _LETTERS_END.fullmatch(out[-1]) if out else None
        after = _LETTERS_START.fullmatch(token)
        if before and after and _joins(before[2], after[1], lang):
            log.append(f"split-word: {out[-1]} {token}")
            out[-1] = out[-1] + token
        else:
            out.append(token)
    return " ".join(out)


_LETTERS_END = re.compile(r"([«(“]?)([^\W\d_]+)")
_LETTERS_START = re.compile(r"([^\W\d_]+)([,.;:)»”]*)")


def _joins(a: str, b: str, lang: str) -> bool:
    """Whether "a b" in a clean source is one word split by a stray space ("droi ts")."""
    joined = zipf(a + b, lang)
    if joined < 3.5:
        return False
    if (len(a) == 1 and not _is_word(a, lang)) or (len(b) == 1 and not _is_word(b, lang)):
        return True
    if min(zipf(a, lang), zipf(b, lang)) < 2.0:
        return True
    return joined > zipf(f"{a} {b}", lang) + 1.5


# -- damage ------------------------------------------------------------------------------------


@dataclass
class Rates:
    split: float
    split_words: float  # share of splits into two real words, where the word allows one
    apostrophe: float
    hyphen: float
    glue: float
    width: int
    hyphenation: float = 0.0
    page_lines: tuple[int, int] = (0, 0)


def _rates(rng: random.Random, level: str) -> Rates:
    rates = Rates(
        split=rng.uniform(0.004, 0.015),
        split_words=rng.uniform(0.3, 0.6),
        apostrophe=rng.uniform(0.05, 0.2),
        hyphen=rng.uniform(0.1, 0.4),
        glue=rng.uniform(0.1, 0.3),
        width=rng.randint(50, 100),
    )
    if level == "pdf":
        rates.hyphenation = rng.uniform(0.2, 0.6)
        low = rng.randint(18, 40)
        rates.page_lines = (low, low + rng.randint(2, 8))
    return rates


_TOKEN = re.compile(r"([«(“\"]?)([^\W\d_]+)([,.;:)»”\"]*)")
_ELIDED = re.compile(r"([«(“]?)([^\W\d_]+)’([^\W\d_].*)")
_CLITIC = re.compile(r"([^\W\d_]+)’(s\b.*)")
_COMPOUND = re.compile(r"([«(“]?)([^\W\d_]+)-([^\W\d_]+)(.*)")


def _split_points(word: str, lang: str, before: str, after: str) -> tuple[list[int], list[int]]:
    """Split points of `word`: (one fragment no word, both fragments words); none that makes a
    word with a neighbour ("personne s ont")."""
    plain: list[int] = []
    both: list[int] = []
    if len(word) < 4 or zipf(word, lang) < 3.0:
        return plain, both
    for i in range(1, len(word)):
        left, right = word[:i], word[i:]
        if before and zipf(before + left, lang) >= 2.5:
            continue
        if after and zipf(right + after, lang) >= 2.5:
            continue
        if zipf(f"{left} {right}", lang) > zipf(word, lang):
            continue  # the two-word reading would be the likelier: not recoverable
        if _is_word(left, lang) and _is_word(right, lang) and len(left) > 1 and len(right) > 1:
            both.append(i)
        else:
            plain.append(i)
    return plain, both


def damage_words(
    text: str, lang: str, rng: random.Random, rates: Rates, counter: Counter[str]
) -> str:
    """Split words, detach apostrophes and hyphens in one text."""
    tokens = text.split(" ")
    out: list[str] = []
    for index, token in enumerate(tokens):
        if (m := _ELIDED.fullmatch(token)) and m[2].lower() in ELIDABLE and lang == "fr":
            if rng.random() < rates.apostrophe:
                counter["detached-apostrophe"] += 1
                out.append(
                    f"{m[1]}{m[2]} ’{m[3]}" if rng.random() < 0.7 else f"{m[1]}{m[2]}’ {m[3]}"
                )
                continue
        elif (m := _CLITIC.fullmatch(token)) and lang == "en" and rng.random() < rates.apostrophe:
            counter["detached-apostrophe"] += 1
            out.append(f"{m[1]} ’{m[2]}")
            continue
        if (m := _COMPOUND.fullmatch(token)) and rng.random() < rates.hyphen:
            counter["detached-hyphen"] += 1
            glue = " -" if rng.random() < 0.7 else "- "
            out.append(f"{m[1]}{m[2]}{glue}{m[3]}{m[4]}")
            continue
        if (m := _TOKEN.fullmatch(token)) and rng.random() < rates.split:
            word = m[2]
            before = "" if m[1] or not out else _tail(out[-1])
            nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
            after = "" if m[3] else _head(nxt)
            plain, both = _split_points(word, lang, before, after)
            if both and (rng.random() < rates.split_words or not plain):
                i, kind = rng.choice(both), "split-word-words"
            elif plain:
                i, kind = rng.choice(plain), "split-word"
            else:
                out.append(token)
                continue
            counter[kind] += 1
            out.append(f"{m[1]}{word[:i]} {word[i:]}{m[3]}")
            continue
        out.append(token)
    return " ".join(out)


def _tail(token: str) -> str:
    m = re.search(r"[^\W\d_]+$", token)
    return m[0] if m else ""


def _head(token: str) -> str:
    m = re.match(r"[^\W\d_]+", token)
    return m[0] if m else ""


# A line must never open with what reads as a heading: the truth would not be recoverable.
_HEADING_TOKEN = re.compile(r"\d{1,4}\.|[A-ZÀ-Þ]\.|[IVXLC]{1,6}\.|Recomm[ae]ndations?")


_VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")
_INSEPARABLE = frozenset({"ch", "ph", "th", "gn", "qu", "gu"})


def _hyphen_point(word: str, rng: random.Random, room: int) -> int | None:
    """Where to hyphenate `word` at a line end, as typesetters do: before a consonant that opens
    a syllable (vo-ter) or between two consonants (vic-times, promet-teuses), never inside a
    digraph or a consonant-liquid cluster (pro-grammes); three letters at least on each side, the
    first part (with its hyphen) in `room` characters."""
    low = word.lower()

    def vowel(i: int) -> bool:
        return low[i] in _VOWELS

    points = []
    for i in range(3, len(word) - 2):
        if i + 1 > room or not vowel(i + 1) or vowel(i):
            continue
        if vowel(i - 1):  # V-CV
            points.append(i)
        elif (
            vowel(i - 2) and low[i - 1 : i + 1] not in _INSEPARABLE and low[i] not in "lrh"
        ):  # VC-CV
            points.append(i)
    return rng.choice(points) if points else None


@dataclass
class Line:
    text: str
    block: int  # index of the block, -1 for blank lines and page furniture
    hyphenated: bool = False  # ends with a hyphen that breaks a word (or a compound) in two


def wrap(
    text: str,
    block: int,
    width: int,
    rng: random.Random,
    hyphenation: float,
    counter: Counter[str],
) -> list[Line]:
    """Greedy wrapping at `width`; with `hyphenation`, long words are broken at the line end."""
    tokens = text.split(" ")
    lines: list[Line] = []
    line = tokens[0]
    for token in tokens[1:]:
        if len(line) + 1 + len(token) <= width or _HEADING_TOKEN.fullmatch(token):
            line += " " + token
            continue
        room = width - len(line) - 1
        compound = _COMPOUND.fullmatch(token)
        # A compound at a line end is mostly broken at its own hyphen.
        if (
            hyphenation
            and compound
            and len(compound[1]) + len(compound[2]) + 1 <= room
            and rng.random() < max(0.7, hyphenation)
        ):
            counter["hyphenation-compound"] += 1
            lines.append(Line(f"{line} {compound[1]}{compound[2]}-", block, hyphenated=True))
            line = f"{compound[3]}{compound[4]}"
            continue
        if (
            hyphenation
            and rng.random() < hyphenation
            and (m := _TOKEN.fullmatch(token))
            and len(m[2]) >= 7
            and not m[1]
            and (i := _hyphen_point(m[2], rng, room)) is not None
        ):
            counter["hyphenation"] += 1
            lines.append(Line(f"{line} {m[2][:i]}-", block, hyphenated=True))
            line = m[2][i:] + m[3]
            continue
        lines.append(Line(line, block))
        line = token
    lines.append(Line(line, block))
    return lines


# -- page furniture ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Furniture:
    symbol: str
    job: str
    barcode: str
    style: str  # unodc | ohchr | page
    form_feed: bool
    pua_barcode: bool
    two_line_footer: bool


def default_symbol(meta: dict[str, Any]) -> str:
    """A plausible UN symbol when the metadata has none."""
    year = meta.get("year", 2020)
    addendum = meta.get("addendum")
    symbol = f"CTOC/COP/WG.4/{year}/L.1"
    return f"{symbol}/Add.{addendum}" if addendum else symbol


def _furniture(rng: random.Random, symbol: str, year: int) -> Furniture:
    yy = year % 100
    digits = f"{rng.randint(0, 99999):05d}"
    style = rng.choice(("unodc", "ohchr", "page"))
    job = (
        f"V.{yy:02d}-{digits}" if style == "unodc" else f"GE.{yy:02d}-{digits}({rng.choice('EF')})"
    )
    return Furniture(
        symbol=symbol,
        job=job,
        barcode=f"*{yy:02d}{digits}*",
        style=style,
        form_feed=rng.random() < 0.6,
        pua_barcode=rng.random() < 0.5,
        two_line_footer=rng.random() < 0.5,
    )


def _page_break(furniture: Furniture, page: int, total: int, rng: random.Random) -> list[str]:
    """The lines between the last line of page `page` and the first of the next."""
    f = furniture
    pad = " " * rng.randint(40, 100)
    lines: list[str] = ["", ""]
    if page == 1:
        barcode = f.barcode
        if f.pua_barcode:
            barcode = "".join(chr(0xF000 + ord(c)) for c in barcode) + " "
        lines += [f.job, "", barcode]
    elif f.style == "unodc":
        number = f"{page}/{total}"
        parts = [number, f.job] if page % 2 == 0 else [f.job, number]
        lines += parts if f.two_line_footer else [" ".join(parts)]
    elif f.style == "ohchr":
        lines.append(str(page) if page % 2 == 0 else pad + str(page))
    header = f.symbol if page % 2 == 1 else pad + f.symbol
    if f.form_feed:
        header = "\f" + header
    lines.append(header)
    if f.style == "page":
        lines.append(("" if page % 2 == 1 else pad) + f"Page {page + 1}")
    lines += ["", ""]
    return lines


# -- one damaged report ------------------------------------------------------------------------


@dataclass
class Damaged:
    text: str
    meta: str
    truth: dict[str, Any]


def _heading_kind(block: Block) -> str:
    return {"rec-heading": "recommendation", "section": "section", "part": "part"}.get(
        block.kind, ""
    )


def damage(
    source_text: str,
    meta_text: str,
    meta: dict[str, Any],
    seed: int,
    level: str,
    source_name: str = "",
    symbol: str = "",
) -> Damaged:
    """The damaged text, its metadata and its truth, for one seed and level."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    lang = str(meta["language"])
    clean = parse_clean(source_text, lang)
    rng = random.Random(f"{seed}:{level}")
    rates = _rates(rng, level)
    counters: dict[int, Counter[str]] = {}  # by block index

    # Word damage, then wrapping, block by block.
    rendered: list[list[Line]] = []
    for index, block in enumerate(clean.blocks):
        counter = counters.setdefault(index, Counter())
        if block.kind == "raw":
            rendered.append([Line(block.text, index)])
            continue
        text = block.text
        if block.kind in ("rec-text", "paragraph"):
            text = damage_words(text, lang, rng, rates, counter)
        width = rng.randint(max(50, rates.width - 6), min(100, rates.width + 6))
        lines = wrap(text, index, width, rng, rates.hyphenation, counter)
        if block.kind in ("rec-text", "paragraph") and len(lines) > 1:
            counter["rewrap"] += len(lines) - 1
        rendered.append(lines)

    # Lay the blocks out, gluing some headings to the previous text.
    within = [""] if clean.double_spaced else []
    between = ["", " ", ""] if clean.double_spaced else [""]
    out: list[Line] = []
    previous_text: int | None = None
    for index, (block, lines) in enumerate(zip(clean.blocks, rendered, strict=True)):
        kind = _heading_kind(block)
        indent = block.indent if block.kind != "rec-text" else ""
        if kind == "recommendation" and not indent:
            indent = "  "
        body = [Line(indent + lines[0].text, index, lines[0].hyphenated)] + lines[1:]
        if out and kind and previous_text == index - 1 and rng.random() < rates.glue:
            target = clean.blocks[previous_text]
            counter = counters[previous_text]
            if target.kind == "rec-text":
                counter[f"glued-{kind}"] += 1
            else:
                counters[index][f"glued-{kind}"] += 1
            if rng.random() < 0.5:
                last = out[-1]
                out[-1] = Line(f"{last.text} {lines[0].text}", index)
                rest = lines[1:]
            else:
                rest = [Line(lines[0].text, index, lines[0].hyphenated)] + lines[1:]
                out.append(rest[0])
                rest = rest[1:]
            for line in rest:
                out += [Line(t, -1) for t in within] + [line]
        else:
            if out:
                out += [Line(t, -1) for t in between]
            for i, line in enumerate(body):
                if i:
                    out += [Line(t, -1) for t in within]
                out.append(line)
        previous_text = index if block.kind in ("rec-text", "paragraph") else None

    # Page breaks with their furniture.
    if level == "pdf":
        meta_symbol = str(meta.get("symbol") or "")
        furniture = _furniture(rng, meta_symbol or symbol or default_symbol(meta), meta["year"])
        breaks: list[int] = []  # indices into `out` after which a page ends
        count = 0
        limit = rng.randint(*rates.page_lines)
        for i, line in enumerate(out):
            if line.block < 0 or not line.text.strip():
                continue
            count += 1
            forced = line.hyphenated and rng.random() < 0.3
            if (count >= limit or forced) and i < len(out) - 1:
                breaks.append(i)
                count, limit = 0, rng.randint(*rates.page_lines)
        total = len(breaks) + 1
        paged: list[Line] = []
        page = 1
        for i, line in enumerate(out):
            paged.append(line)
            if breaks and i == breaks[0]:
                breaks.pop(0)
                paged += [Line(t, -1) for t in _page_break(furniture, page, total, rng)]
                following = next((x for x in out[i + 1 :] if x.block >= 0), None)
                if following and following.block == line.block:
                    counters[line.block]["page-break"] += 1
                page += 1
        out = paged

    trailing = " " if clean.trailing_space else ""
    text = "\n".join(line.text + (trailing if line.text.strip() else "") for line in out) + "\n"

    # The truth: each recommendation, its clean text and where it lies in the damaged text.
    first_line: dict[int, int] = {}
    last_line: dict[int, int] = {}
    for number, line in enumerate(out, 1):
        if line.block >= 0:
            first_line.setdefault(line.block, number)
            last_line[line.block] = number
    recs: list[dict[str, Any]] = []
    totals: Counter[str] = Counter()
    for index, block in enumerate(clean.blocks):
        totals.update(counters.get(index, Counter()))
        if block.kind != "rec-text":
            continue
        heading = index - 1
        recs.append(
            {
                "number": int(block.key),
                "part": block.part,
                "section": block.section,
                "text": block.text,
                "lines": [first_line.get(heading, 0), last_line.get(index, 0)],
                "clean_lines": [clean.blocks[heading].lines[0], block.lines[1]],
                "damage": dict(sorted(counters.get(index, Counter()).items())),
            }
        )
    truth = {
        "source": source_name,
        "seed": seed,
        "level": level,
        "language": lang,
        "rates": {k: v for k, v in vars(rates).items()},
        "damage": dict(sorted(totals.items())),
        "source_normalised": clean.normalised,
        "recommendations": recs,
    }
    return Damaged(text, _meta(meta_text, source_name, seed, level, totals), truth)


def truth_of_clean(source_text: str, lang: str) -> list[dict[str, Any]]:
    """The recommendations of a clean source as it is (no damage), with their source lines."""
    clean = parse_clean(source_text, lang)
    return [
        {
            "number": int(block.key),
            "part": block.part,
            "section": block.section,
            "text": block.text,
            "lines": [clean.blocks[i - 1].lines[0], block.lines[1]],
        }
        for i, block in enumerate(clean.blocks)
        if block.kind == "rec-text"
    ]


def _meta(meta_text: str, source: str, seed: int, level: str, totals: Counter[str]) -> str:
    summary = ", ".join(f"{k} {v}" for k, v in sorted(totals.items())) or "none"
    head = (
        f"# SYNTHETIC: {source} damaged by scripts/damage.py (seed {seed}, level {level}).\n"
        f"# Damage applied: {summary}.\n"
    )
    lines = [line for line in meta_text.splitlines() if not line.startswith("synthetic")]
    table = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
    lines.insert(table, "synthetic = true")
    return head + "\n".join(lines) + "\n"


# -- files ---------------------------------------------------------------------------------------


def meta_path(source: Path) -> Path:
    return source.with_name(source.name.removesuffix(".txt") + ".meta.toml")


def output_stem(source: Path, seed: int, level: str) -> str:
    """<stem>-<level>-s<seed>.<lang> for <stem>.<lang>.txt."""
    name = source.name.removesuffix(".txt")
    stem, dot, lang = name.rpartition(".")
    if not dot:
        stem, lang = name, ""
    return f"{stem}-{level}-s{seed}" + (f".{lang}" if lang else "")


def read_meta(source: Path) -> dict[str, Any]:
    return tomllib.loads(meta_path(source).read_text(encoding="utf-8"))


def damage_file(source: Path, seed: int, level: str, out: Path, symbol: str = "") -> Path:
    """Write the damaged text, its metadata and its truth into `out`; return the text's path."""
    meta_text = meta_path(source).read_text(encoding="utf-8")
    result = damage(
        source.read_text(encoding="utf-8"),
        meta_text,
        tomllib.loads(meta_text),
        seed,
        level,
        source.name,
        symbol,
    )
    out.mkdir(parents=True, exist_ok=True)
    stem = output_stem(source, seed, level)
    text_path = out / f"{stem}.txt"
    text_path.write_text(result.text, encoding="utf-8", newline="\n")
    (out / f"{stem}.meta.toml").write_text(result.meta, encoding="utf-8", newline="\n")
    (out / f"{stem}.truth.json").write_text(
        json.dumps(result.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return text_path


def truth_path(text_path: Path) -> Path:
    return text_path.with_name(text_path.name.removesuffix(".txt") + ".truth.json")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a clean report (.txt, with .meta.toml beside)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--level", choices=LEVELS, default="pdf")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--symbol", default="", help="document symbol for page headers, when the meta has none"
    )
    args = parser.parse_args(argv)
    path = damage_file(args.source, args.seed, args.level, args.out, args.symbol)
    truth = json.loads(truth_path(path).read_text(encoding="utf-8"))
    damage_ = ", ".join(f"{k} {v}" for k, v in truth["damage"].items())
    print(f"{path}: {len(truth['recommendations'])} recommendations; {damage_}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
