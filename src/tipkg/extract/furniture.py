"""Page furniture: what a PDF prints on every page around the text, found by its form.

A UN document turned into text keeps, at every page break, what the page carried besides the
body: a running header or footer with the document symbol (``A/HRC/43/15``,
``CTOC/COP/WG.4/2020/L.1/Add.1``), the job number (``V.20-04765``, ``GE.19-21936(E)``), the page
number (``4/6``, ``Page 4``, a bare ``4``), on the first page the distribution and date lines and
the bar code (a line of asterisks around digits, or glyphs of a bar-code font), and often a form
feed. None of it is the document's wording. Page breaks fall anywhere, also inside a sentence
or between the two halves of a hyphenated word, so furniture must be found by its form wherever it
stands, never by one document's strings.

The rules, all of them forms:

* a *line* is furniture when each of its tokens is a furniture token (:data:`_TOKEN`) and, taken
  with the furniture lines around it (blank lines between them only), it belongs to a *block*
  that holds at least one strong token — a document symbol, a job number, a page number of the
  form ``4/6`` or ``Page 4``, a bar code, a distribution line — or a form feed. A bare number or a
  date alone on a line is furniture only inside such a block: alone it may be the text's;
* inside a line of text, a run of two or more furniture tokens that holds a job number, or a
  symbol beside a page number, is furniture too (a header that a re-wrapping tool put into the
  line); a symbol alone inside a sentence is a citation and stays;
* a form feed is always furniture;
* a footnote at a page's foot (a line that opens with its call's asterisks, "** The conclusions
  and recommendations have not been edited.", and a continuation line or two) is furniture
  where only blank lines stand between it and a page's furniture: pdftotext writes it where the
  page ends, inside the text when a sentence runs over the page.

:func:`find_furniture` returns the spans; :func:`mask` blanks them (every character but a line
break becomes a space), so that offsets and line numbers stay those of the source while the
structure and the repairs read the text as if the furniture were not there. Every span removed
from a published text is recorded as a ``page-furniture`` repair by :mod:`tipkg.extract.repair`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from tipkg.extract.lexicon import Vocabulary

#: A UN document symbol: an organ's letters and at least two further segments
#: (A/HRC/43/15, A/HRC/43/15/Add.1, CTOC/COP/WG.4/2020/L.1/Add.1, E/CN.15/2020/L.1).
_SYMBOL = r"[A-Z]{1,6}(?:/[A-Za-z0-9][A-Za-z0-9.\-]*){2,}"
#: A job number: the duty station's letters and the year-serial (V.20-04765, GE.19-21936(E),
#: 20-04765 (F)), with the language letter in brackets.
_JOB = r"(?:[A-Z]{1,3}\.\d{2}-\d{5}(?:\s?\([A-Z]\))?|\d{2}-\d{5}\s?\([A-Z]\))"
#: Page numbers: "4/6" (page of pages), "Page 4", "- 4 -".
_PAGE_OF = r"\d{1,3}/\d{1,3}"
_PAGE_WORD = r"(?:Page|page|p\.)\s?\d{1,3}(?:\s?(?:of|sur|de)\s?\d{1,3})?|-\s?\d{1,3}\s?-"
#: A bar code: digits between asterisks, or glyphs of a bar-code font (Private Use Area).
_BARCODE = r"\*+\d*\*+|[\ue000-\uf8ff]+"
#: The first page's distribution line ("Distr.: General", "Distr. : Générale", "Distr. limitée").
_DISTRIBUTION = r"Distr\.\s?:?\s?\w+"
_ORIGINAL = r"Original\s?:\s?\w+"
_STRONG = re.compile(
    rf"(?:{_SYMBOL}|{_JOB}|{_PAGE_OF}|{_PAGE_WORD}|{_BARCODE}|{_DISTRIBUTION}|{_ORIGINAL})"
)
#: Weak tokens: furniture only beside a strong one (a bare page number, a date).
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
_WEAK = re.compile(rf"(?:\d{{1,2}}(?:er)?\s(?:{_MONTHS})\s\d{{4}}|\d{{1,3}})")
_TOKEN = re.compile(rf"(?:{_STRONG.pattern}|{_WEAK.pattern})")
#: A furniture token as it stands inside a line of text: delimited by spaces or the line's ends.
_INLINE_RUN = re.compile(
    rf"(?<!\S)(?:{_STRONG.pattern}|\d{{1,3}})(?:[ \t]+(?:{_STRONG.pattern}|\d{{1,3}}))+(?!\S)"
)
_JOB_RE = re.compile(_JOB)
_SYMBOL_RE = re.compile(_SYMBOL)
_PAGE_RE = re.compile(rf"(?:{_PAGE_OF}|{_PAGE_WORD})")
FORM_FEED = "\f"


@dataclass(frozen=True)
class Furniture:
    """Characters [start, end) of the source that are page furniture, and what they are."""

    start: int
    end: int
    text: str
    what: str


def _split_tokens(line: str) -> list[str] | None:
    """The line as a sequence of furniture tokens separated by spaces, else None."""
    stripped = line.strip(" \t\f")
    if not stripped:
        return []
    tokens: list[str] = []
    at = 0
    while at < len(stripped):
        match = _TOKEN.match(stripped, at)
        if match is None or match.end() == at:
            return None
        end = match.end()
        if end < len(stripped) and not stripped[end].isspace():
            # A token must end at a space: "4" in "4a" is no page number. Try the strong forms
            # alone (the weak ones may have taken a prefix of a longer strong one).
            strong = _STRONG.match(stripped, at)
            if strong is None or (
                strong.end() < len(stripped) and not stripped[strong.end()].isspace()
            ):
                return None
            end = strong.end()
        tokens.append(stripped[at:end])
        at = end
        while at < len(stripped) and stripped[at] in " \t\f":
            at += 1
    return tokens


def _describe(tokens: list[str]) -> str:
    kinds: list[str] = []
    for token in tokens:
        if _JOB_RE.fullmatch(token):
            kinds.append("job number")
        elif _SYMBOL_RE.fullmatch(token):
            kinds.append("document symbol")
        elif _PAGE_RE.fullmatch(token) or token.isdigit():
            kinds.append("page number")
        elif re.fullmatch(_BARCODE, token):
            kinds.append("bar code")
        else:
            kinds.append("masthead line")
    return ", ".join(dict.fromkeys(kinds))


def find_furniture(text: str, footnotes: bool = False) -> list[Furniture]:
    """Every span of page furniture in ``text``, in order, non-overlapping; with
    ``footnotes``, the footnotes at a page's foot too (a text out of a PDF, where nothing else
    sets them apart; the PDF reader reads them as notes by their type and place instead)."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        lines.append((offset, raw.rstrip("\r\n")))
        offset += len(raw)

    # Lines made only of furniture tokens, grouped into blocks separated by lines of text.
    found: list[Furniture] = []
    block: list[tuple[int, str, list[str]]] = []
    block_strong = False

    def close() -> None:
        nonlocal block, block_strong
        if block and block_strong:
            for start, line, tokens in block:
                if tokens:
                    lead = len(line) - len(line.lstrip(" \t\f"))
                    body = line.strip(" \t\f")
                    found.append(
                        Furniture(start + lead, start + lead + len(body), body, _describe(tokens))
                    )
        block, block_strong = [], False

    for start, line in lines:
        tokens = _split_tokens(line)
        if tokens is None:
            close()
            continue
        if not tokens:
            if FORM_FEED in line:
                block_strong = True
            continue  # a blank line neither opens nor closes a block
        block.append((start, line, tokens))
        if FORM_FEED in line or any(_STRONG.fullmatch(token) for token in tokens):
            block_strong = True
    close()
    if footnotes:
        found.extend(_footnotes(lines, found))

    # Runs of furniture tokens inside lines of text, and form feeds anywhere else.
    taken = [(f.start, f.end) for f in found]
    for start, end in _inline_runs(text):
        if any(a <= start < b for a, b in taken):
            continue
        found.append(Furniture(start, end, text[start:end], _describe(text[start:end].split())))
    taken = [(f.start, f.end) for f in found]
    for index, char in enumerate(text):
        if char == FORM_FEED and not any(a <= index < b for a, b in taken):
            found.append(Furniture(index, index + 1, char, "form feed"))
    return sorted(found, key=lambda f: f.start)


#: A footnote at a page's foot: its call's asterisks, then its text ("** The conclusions and
#: recommendations have not been edited.").
_FOOTNOTE = re.compile(r"[ \t]*\*{1,3}[ \t]+\S.*")
#: A footnote's lines at most (its first and its continuations).
FOOTNOTE_LINES = 3


def _footnotes(lines: list[tuple[int, str]], found: list[Furniture]) -> list[Furniture]:
    """Footnotes at a page's foot: a line that opens with a footnote's asterisks, its
    continuation lines (a few), then only blank lines before a page's furniture. pdftotext
    writes them where the page ends, so inside the text when a sentence runs over the page."""
    offsets = [start for start, _ in lines]
    furniture_lines = {offsets[bisect_right(offsets, f.start) - 1] for f in found}
    notes: list[Furniture] = []
    for index, (_, line) in enumerate(lines):
        if not _FOOTNOTE.fullmatch(line):
            continue
        end = index + 1
        while (
            end < len(lines)
            and end - index < FOOTNOTE_LINES
            and lines[end][1].strip(" \t")
            and lines[end][0] not in furniture_lines
        ):
            end += 1
        after = end
        while after < len(lines) and not lines[after][1].strip(" \t"):
            after += 1
        if after >= len(lines) or lines[after][0] not in furniture_lines:
            continue  # no page's furniture after it: the text's own asterisks
        for start, text in lines[index:end]:
            lead = len(text) - len(text.lstrip(" \t"))
            body = text.strip(" \t")
            notes.append(Furniture(start + lead, start + lead + len(body), body, "footnote"))
    return notes


@dataclass(frozen=True)
class Paged:
    """A source's page furniture, and its view: the source with the furniture blanked."""

    view: str
    furniture: tuple[Furniture, ...]
    #: Names of the reference data, as normalised words: evidence of a whole word
    #: ("SHE-|RLOC" at a line end is SHERLOC).
    known: frozenset[str] = frozenset()

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The document's own words, the evidence the repairs weigh beside the lexicon."""
        return Vocabulary.of(self.view)


def paged(text: str, known: frozenset[str] = frozenset()) -> Paged:
    furniture = find_furniture(text, footnotes=True)
    return Paged(mask(text, furniture), tuple(furniture), known)


def _text_number(tokens: list[str], index: int) -> bool:
    """Whether token ``index`` of a run is a bare number that is the text's own: the run has a
    page number of its own form, or another bare number."""
    bare = sum(token.isdigit() for token in tokens)
    paged = any(_PAGE_RE.fullmatch(token) for token in tokens)
    return tokens[index].isdigit() and (paged or bare > 1)


def _inline_runs(text: str) -> Iterator[tuple[int, int]]:
    """Runs of furniture tokens inside lines: with a job number, or a symbol beside a page
    number. A bare number at a run's edge is the text's own ("article 18 4/6 V.20-04765…")
    where the run has its page number already, or another bare number."""
    for match in _INLINE_RUN.finditer(text):
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", match[0])]
        tokens = [match[0][a:b] for a, b in pieces]

        while len(tokens) > 1 and _text_number(tokens, 0):
            tokens, pieces = tokens[1:], pieces[1:]
        while len(tokens) > 1 and _text_number(tokens, len(tokens) - 1):
            tokens, pieces = tokens[:-1], pieces[:-1]
        has_job = any(_JOB_RE.fullmatch(t) for t in tokens)
        symbol_and_page = any(_SYMBOL_RE.fullmatch(t) for t in tokens) and any(
            _PAGE_RE.fullmatch(t) or t.isdigit() for t in tokens
        )
        if len(tokens) >= 2 and (has_job or symbol_and_page):
            yield match.start() + pieces[0][0], match.start() + pieces[-1][1]


def mask(text: str, furniture: list[Furniture]) -> str:
    """``text`` with every furniture character but a line break made a space."""
    if not furniture:
        return text
    chars = list(text)
    for item in furniture:
        for index in range(item.start, item.end):
            if chars[index] not in "\r\n":
                chars[index] = " "
    return "".join(chars)


def furniture_in(text: str) -> list[str]:
    """Furniture-shaped runs left in a published ``text``: a document symbol beside a job number
    or a page number, a job number, a form feed. Used by the self-checks: none may remain."""
    left = [text[start:end] for start, end in _inline_runs(text)]
    left.extend(m[0] for m in _JOB_RE.finditer(text) if not any(m[0] in s for s in left))
    if FORM_FEED in text:
        left.append("\\f")
    return left
