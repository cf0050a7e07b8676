"""Reading an official UN PDF directly: its text in reading order, without the page furniture,
with the page and box of every line.

A PDF says where each character sits, in which font and size. That removes most of the guessing
text out of another tool leaves:

* lines are rebuilt from the characters' baselines, and words from the gaps between characters
  (a justified line's wide spaces are one space), in reading order: top to bottom, left to right;
* page furniture is dropped by position and by repetition: a line in the top or bottom band of
  the page (:data:`MARGIN_SHARE` of its height) whose text, digits aside, recurs on other pages is
  a running header or footer; a number alone there is a page number; lines of furniture's form
  (:mod:`tipkg.extract.furniture`: symbol, job number, bar code, distribution line) in those bands
  are furniture on any page, as is a line set in a bar-code font, and so are the first page's
  masthead lines of that form (distribution, date, original language);
* footnotes and the asterisked notes of the title page — a block of smaller type in the bottom
  part of the page that opens with a call ("*", "1") — are kept apart from the body
  (:attr:`PdfText.notes`), each with its page and call;
* paragraphs are told by the vertical gap between lines: a gap wider than a line is a blank line
  in the text, as headings and paragraphs stand apart in the text form the extractor reads.

End-of-line hyphenation is left in the text, as the PDF prints it: the repairs decide it
(:mod:`tipkg.extract.repair`), with the document's own usage and the lexicon, and record it.

Bad files are refused with a clear message (exit 2): not a PDF, encrypted, damaged or truncated,
or without a text layer (a scan: OCR is needed; tipkg does not pretend to read it).

pdfminer.six is the library: it gives every character's position, font and size (pdfplumber is
built on it), is pure Python under the MIT licence, and is maintained.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tipkg.errors import InputError, Warning
from tipkg.extract.furniture import find_furniture
from tipkg.extract.records import Note

if TYPE_CHECKING:
    from pdfminer.layout import LTChar

#: The top and bottom bands of a page where running headers, footers and page numbers sit.
MARGIN_SHARE = 0.09
#: Characters whose baselines differ by less than this share of their size are on one line.
BASELINE_SHARE = 0.4
#: A gap between two characters wider than this share of the font size is a space.
SPACE_SHARE = 0.18
#: A vertical gap between lines wider than this share of the line height opens a paragraph.
PARAGRAPH_SHARE = 1.45
#: Notes are set at least this much smaller than the body (points).
NOTE_SMALLER = 0.5
#: A gap this many times the type size inside a line, after its first words, is a gutter
#: between columns (a table's, or two columns of text): no line of running text has one.
COLUMN_GAP_SHARE = 2.5
#: So many baselines of a page cut by a gutter make it a page in columns.
COLUMN_LINES = 3
#: Left edges within this many points of each other are one column's.
COLUMN_EDGE = 6.0
#: Columns that each run down this share of a stretch or more are columns of text (a
#: table's sparsest column, positions set on each row's first line, runs down less).
FLOW_COVERAGE = 0.9
#: A heading is set at least this much larger than the body type (points).
HEADING_LARGER = 1.5
#: A note call is set at most this share of its line's type size...
CALL_SHARE = 0.8
#: ... and a numbered call raised by at least this share of it above the line's baseline.
RAISE_SHARE = 0.2
CALL_MARKS = frozenset("*†‡0123456789")
_NOTE_CALL = re.compile(r"\s*(\*{1,3}|\d{1,3})\s+\S")
_DIGITS = re.compile(r"\d+")
#: What the build reports against a place in a source: a warning, or an error that stops it.
F = TypeVar("F", InputError, Warning)


@dataclass(frozen=True)
class PdfLine:
    """One line of a page: its text and box (PDF points, origin bottom left), font size."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    font: str
    #: The note calls set in the line (smaller, raised marks: "*", "1"), taken out of its text:
    #: (where in ``text`` each stood, the mark).
    calls: tuple[tuple[int, str], ...] = ()
    #: Its baseline's place on the page (from the top).
    row: int = 0
    #: The gutters that cut it (two cells of a table, two columns of text): where in ``text``
    #: the next cell begins, that cell's left edge, the right edge of the one before.
    cuts: tuple[tuple[int, float, float], ...] = ()
    #: The first line of a table's row: it opens a paragraph whatever the spacing.
    opens_row: bool = False

    def cells(self) -> list[PdfLine]:
        """The line cut at its gutters, one line per cell, each with its own box and calls."""
        if not self.cuts:
            return [self]
        bounds = [(0, self.x0), *((at, x0) for at, x0, _ in self.cuts)]
        rights = [x1 for _, _, x1 in self.cuts] + [self.x1]
        cells: list[PdfLine] = []
        for index, (start, left) in enumerate(bounds):
            end = bounds[index + 1][0] if index + 1 < len(bounds) else len(self.text)
            raw = self.text[start:end]
            text = raw.strip()
            lead = start + len(raw) - len(raw.lstrip())
            calls = tuple((at - lead, mark) for at, mark in self.calls if start <= at <= end)
            cells.append(replace(self, x0=left, x1=rights[index], text=text, calls=calls, cuts=()))
        return cells


@dataclass(frozen=True)
class PdfNote:
    page: int
    call: str
    text: str


@dataclass(frozen=True)
class PdfCall:
    """A note call of the body: its page, where it stood in the derived text, its mark."""

    page: int
    offset: int
    mark: str


@dataclass
class PdfText:
    """The text tipkg derives from a PDF, with where each of its lines comes from."""

    text: str
    #: (offset of the line in ``text``, the line), in order.
    lines: list[tuple[int, PdfLine]]
    notes: list[PdfNote]
    furniture: list[PdfLine]
    pages: int
    page_heights: dict[int, float]
    metadata: dict[str, str] = field(default_factory=dict)
    #: The top of every line of each page, furniture and notes included, from the top down: a
    #: line's rank among them is the line number a reader counts on the page.
    tops: dict[int, list[float]] = field(default_factory=dict)
    #: The note calls of the body, in the order of the text.
    calls: list[PdfCall] = field(default_factory=list)
    #: The pages set in columns: "table" or "columns" (of text).
    layouts: dict[int, str] = field(default_factory=dict)

    def in_columns(self) -> list[tuple[int, str]]:
        """The pages set in columns, read in their order rather than line by line across the
        page: (offset of the page's first line, what to say). Which is which — a table read
        row by row and cell by cell, or columns of text read one after the other — is judged
        from the gutters, and worth a reader's check."""
        said: list[tuple[int, str]] = []
        for page, layout in sorted(self.layouts.items()):
            first = next(offset for offset, line in self.lines if line.page == page)
            how = (
                "a table: read row by row, each row's cells in turn"
                if layout == "table"
                else "columns of text: read one column after the other"
            )
            said.append((first, f"page {page} is set in columns, {how}; check what was read"))
        return said

    @cached_property
    def _offsets(self) -> list[int]:
        """Where each line begins in ``text``, computed once: every span's boxes look it up."""
        return [offset for offset, _ in self.lines]

    @cached_property
    def _line_starts(self) -> list[int]:
        """Where each line of ``text`` begins (blank ones too), for numbering them."""
        return [0] + [i + 1 for i, char in enumerate(self.text) if char == "\n"]

    def place(self, line: int) -> tuple[int, int] | None:
        """(page, line on the page) of the line numbered ``line`` (1-based) in ``text``."""
        starts = self._line_starts
        if not self.lines or not 1 <= line <= len(starts):
            return None
        offset = starts[line - 1]
        at = max(0, bisect_right(self._offsets, offset) - 1)
        found = self.lines[at][1]
        tops = self.tops.get(found.page, [])
        return found.page, 1 + sum(1 for top in tops if top > found.y1 + 0.5)

    def locate(self, found: F) -> F:
        """A warning or error of the derived text, made to name the PDF's page and line."""
        where = self.place(found.line) if found.line else None
        if where is None:
            return found
        return replace(found, page=where[0], line=where[1])

    def boxes(self, start: int, end: int) -> Iterator[tuple[int, float, float, float, float]]:
        """(page, left, top, width, height) of the lines that characters [start, end) lie on,
        one box per page, in the coordinates of RFC 8118's ``viewrect`` (points from the top
        left corner of the page)."""
        first = max(0, bisect_right(self._offsets, start) - 1)
        by_page: dict[int, list[PdfLine]] = {}
        for offset, line in self.lines[first:]:
            if offset >= end:
                break
            if offset + len(line.text) > start:
                by_page.setdefault(line.page, []).append(line)
        for page, lines in by_page.items():
            height = self.page_heights[page]
            left, right = min(x.x0 for x in lines), max(x.x1 for x in lines)
            top, bottom = max(x.y1 for x in lines), min(x.y0 for x in lines)
            yield (
                page,
                round(left, 1),
                round(height - top, 1),
                round(right - left, 1),
                round(top - bottom, 1),
            )


def link_notes(
    pdf: PdfText, holders: Sequence[tuple[str, str, int, int]]
) -> tuple[list[Note], list[tuple[int, str]]]:
    """Each note with the text that calls it: the call of the same mark on the note's page;
    ``holders`` are (kind, key, start, end) of the numbered texts, innermost first, and a call
    outside them is the report's own (its title). A note without a call, and a call without a
    note, are said: (offset, what)."""
    notes: list[Note] = []
    doubts: list[tuple[int, str]] = []
    unused = list(pdf.calls)
    for ordinal, note in enumerate(pdf.notes, start=1):
        call = next((c for c in unused if c.page == note.page and c.mark == note.call), None)
        holder: tuple[str, str] | None = None
        if call is None:
            first = next((o for o, line in pdf.lines if line.page == note.page), 0)
            doubts.append(
                (first, f"note {note.call} of page {note.page}: no call in the text; kept apart")
            )
        else:
            unused.remove(call)
            holder = next(
                ((kind, key) for kind, key, start, end in holders if start <= call.offset <= end),
                ("report", ""),
            )
        notes.append(Note(ordinal, note.call, note.text, note.page, holder))
    for call in unused:
        doubts.append(
            (call.offset, f"a note call «{call.mark}» on page {call.page} whose note was not found")
        )
    return notes, doubts


def heading_lines(pdf: PdfText) -> frozenset[int]:
    """Where the lines set in heading type (larger than the body's) begin in the text."""
    body = _body_size(pdf)
    return frozenset(o for o, line in pdf.lines if round(line.size) >= body + HEADING_LARGER)


def _body_size(pdf: PdfText) -> int:
    sizes = Counter(round(line.size) for _, line in pdf.lines)
    return sizes.most_common(1)[0][0] if sizes else 0


def headings_inside(
    pdf: PdfText, holders: Sequence[tuple[str, str, int, int]]
) -> list[tuple[int, str]]:
    """Lines set larger than the body type inside a numbered text: a heading the reading of
    words did not recognise (its numbering unlike the profile's, say), so read as text. The
    PDF's type tells what a text out of it cannot: (offset, what) for each."""
    body = _body_size(pdf)
    doubts: list[tuple[int, str]] = []
    for offset, line in pdf.lines:
        if round(line.size) < body + HEADING_LARGER:
            continue
        for kind, key, start, end in holders:
            if start <= offset < end:
                doubts.append(
                    (
                        offset,
                        f"{kind} {key}: «{line.text}» is set in heading type ({line.size:g} pt, "
                        f"the text {body} pt) inside its text: a heading not recognised?",
                    )
                )
                break
    return doubts


def read_pdf(path: Path) -> PdfText:
    """The text of the PDF at ``path``; anything unreadable raises :class:`InputError`."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from err
    if not raw.lstrip()[:5] == b"%PDF-":
        raise InputError(path, None, "not a PDF (no %PDF- header)")
    metadata: dict[str, str] = {}
    pages = list(_pages(path, metadata))
    lines = [line for page in pages for line in page[1]]
    if not any(line.text.strip() for line in lines):
        raise InputError(
            path,
            None,
            "the PDF has no text layer (a scanned image): it needs OCR first, which tipkg does "
            "not do",
        )
    heights = {number: height for number, _, height in pages}
    furniture = _furniture(lines, heights)
    dropped = set(map(id, furniture))
    body_size = Counter(round(line.size) for line in lines if id(line) not in dropped)
    body = body_size.most_common(1)[0][0] if body_size else 10.0
    notes, note_lines = _notes(
        [line for line in lines if id(line) not in dropped], heights, float(body)
    )
    dropped |= set(map(id, note_lines))
    body_lines, layouts = _reading_order([line for line in lines if id(line) not in dropped])
    text, placed = _compose(body_lines)
    tops: dict[int, list[float]] = {}
    for line in lines:
        tops.setdefault(line.page, []).append(line.y1)
    calls = [
        PdfCall(line.page, offset + at, mark) for offset, line in placed for at, mark in line.calls
    ]
    return PdfText(
        text, placed, notes, furniture, len(pages), heights, metadata, tops, calls, layouts
    )


def _pages(path: Path, metadata: dict[str, str]) -> Iterator[tuple[int, list[PdfLine], float]]:
    """Each page's number, lines and height; ``metadata`` is filled from the same parse."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTPage
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psexceptions import PSEOF, PSException

    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            if document.encryption is not None:
                raise InputError(path, None, "the PDF is encrypted: give tipkg an open copy")
            metadata.update(_metadata(document))
            manager = PDFResourceManager()
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                interpreter.process_page(page)
                layout = device.get_result()
                assert isinstance(layout, LTPage)
                chars: list[LTChar] = []
                stack: list[object] = [layout]
                while stack:
                    item = stack.pop()
                    if isinstance(item, LTChar):
                        chars.append(item)
                    elif hasattr(item, "__iter__"):
                        stack.extend(item)
                yield number, _lines_of(number, chars), float(layout.height)
    except InputError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect) as err:
        raise InputError(path, None, f"the PDF is encrypted: {err}") from err
    except (PDFSyntaxError, PSEOF, PSException, ValueError, KeyError, TypeError) as err:
        raise InputError(
            path, None, f"the PDF is damaged or truncated: {err or type(err).__name__}"
        ) from err


def _lines_of(page: int, chars: Sequence[object]) -> list[PdfLine]:
    """The lines of one page from its characters: clustered by baseline, ordered by x."""
    from pdfminer.layout import LTChar

    glyphs = sorted((c for c in chars if isinstance(c, LTChar)), key=lambda c: (-c.y0, c.x0))
    rows: list[list[LTChar]] = []
    for char in glyphs:
        if rows and abs(rows[-1][0].y0 - char.y0) <= BASELINE_SHARE * max(char.size, 1.0):
            rows[-1].append(char)
        else:
            rows.append([char])
    lines: list[PdfLine] = []
    for number, row in enumerate(rows):
        row.sort(key=lambda c: c.x0)
        line = _line(page, number, row)
        if line is not None:
            lines.append(line)
    return lines


def _line(page: int, row: int, chars: list[LTChar]) -> PdfLine | None:
    """One line (a segment of a baseline) from its characters, note calls taken out."""
    marks = _call_marks(chars)
    pieces: list[str] = []
    calls: list[tuple[int, str]] = []
    cuts: list[tuple[int, float, float]] = []
    previous: LTChar | None = None
    for index, char in enumerate(chars):
        glyph = char.get_text()
        if index in marks:
            # A note call: out of the text, its place kept (a run of marks is one call).
            at = len("".join(pieces))
            if calls and index - 1 in marks:
                calls[-1] = (calls[-1][0], calls[-1][1] + glyph)
            else:
                calls.append((at, glyph))
            previous = char  # what follows a call is glued to it unless a gap says not
            continue
        if glyph.isspace():
            previous = char if previous is None else previous
            if pieces and pieces[-1] != " ":
                pieces.append(" ")
            continue
        if (
            previous is not None
            and pieces
            and pieces[-1] != " "
            and char.x0 - previous.x1 > SPACE_SHARE * char.size
        ):
            pieces.append(" ")
        if previous is not None and char.x0 - previous.x1 > COLUMN_GAP_SHARE * char.size:
            # A gutter: two cells of a table, or two columns of text, side by side.
            cuts.append((len("".join(pieces)), char.x0, previous.x1))
        pieces.append(glyph)
        previous = char
    joined = "".join(pieces)
    text = joined.strip()
    if not text:
        return None
    lead = len(joined) - len(joined.lstrip())
    visible = [c for i, c in enumerate(chars) if not c.get_text().isspace() and i not in marks]
    sizes = Counter(round(c.size, 1) for c in visible)
    fonts = Counter(c.fontname for c in visible)
    return PdfLine(
        page,
        min(c.x0 for c in visible),
        min(c.y0 for c in visible),
        max(c.x1 for c in visible),
        max(c.y1 for c in visible),
        text,
        sizes.most_common(1)[0][0],
        fonts.most_common(1)[0][0],
        tuple((min(max(at - lead, 0), len(text)), mark) for at, mark in calls),
        row,
        tuple((at - lead, x0, x1) for at, x0, x1 in cuts if 0 < at - lead < len(text)),
    )


def _call_marks(row: Sequence[object]) -> set[int]:
    """Which characters of a row (ordered by x) are note calls: a mark ("*", "†", a number)
    glued to the word before it, set smaller than the row's type, raised (a number must be:
    a small digit on the baseline is text, as in a table)."""
    from pdfminer.layout import LTChar

    glyphs = [c for c in row if isinstance(c, LTChar)]
    visible = [c for c in glyphs if not c.get_text().isspace()]
    if len(visible) < 2:
        return set()
    size = Counter(round(c.size, 1) for c in visible).most_common(1)[0][0]
    baseline = sorted(c.y0 for c in visible if round(c.size, 1) == size)[0]
    marks: set[int] = set()
    for index, char in enumerate(glyphs):
        glyph = char.get_text()
        if glyph not in CALL_MARKS or char.size > CALL_SHARE * size or index == 0:
            continue
        raised = char.y0 - baseline
        before = glyphs[index - 1]
        glued = index - 1 in marks or not before.get_text().isspace()
        if glued and raised >= -0.5 and (not glyph.isdigit() or raised >= RAISE_SHARE * size):
            marks.add(index)
    return marks


def _furniture(lines: list[PdfLine], heights: dict[int, float]) -> list[PdfLine]:
    """Lines that are page furniture: by position and repetition, by form, by bar-code font."""

    def in_band(line: PdfLine) -> bool:
        height = heights[line.page]
        return line.y0 >= height * (1 - MARGIN_SHARE) or line.y1 <= height * MARGIN_SHARE

    recurring = Counter((_DIGITS.sub("#", line.text), line.page) for line in lines if in_band(line))
    pages_of: Counter[str] = Counter(key for key, _ in recurring)
    # The first page's masthead (distribution, date and language lines) stands above the body,
    # out of the bands: read as furniture by its form, block by block, as in a text.
    first = [line for line in lines if line.page == 1]
    masthead_text = "\n".join(line.text for line in first)
    offsets = [0]
    for line in first:
        offsets.append(offsets[-1] + len(line.text) + 1)
    covered = [(f.start, f.end) for f in find_furniture(masthead_text)]
    masthead = {
        id(line)
        for line, start in zip(first, offsets, strict=False)
        if any(a <= start and start + len(line.text) <= b for a, b in covered)
    }
    furniture: list[PdfLine] = []
    for line in lines:
        if id(line) in masthead:
            furniture.append(line)
            continue
        shape = _DIGITS.sub("#", line.text)
        barcode = "C39" in line.font or "barcode" in line.font.lower()
        repeated = pages_of[shape] >= 2 or line.text.isdigit() or _is_furniture_form(line.text)
        if barcode or (in_band(line) and repeated):
            furniture.append(line)
    return furniture


def _is_furniture_form(text: str) -> bool:
    found = find_furniture(text)
    return bool(found) and sum(f.end - f.start for f in found) >= len(text.strip()) - 1


def _notes(
    lines: list[PdfLine], heights: dict[int, float], body: float
) -> tuple[list[PdfNote], list[PdfLine]]:
    """Footnotes: on each page, the block of smaller type at the bottom that opens with a call."""
    notes: list[PdfNote] = []
    taken: list[PdfLine] = []
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    for page, page_lines in by_page.items():
        lower = [
            line
            for line in page_lines
            if line.y1 < heights[page] * 0.35 and line.size <= body - NOTE_SMALLER
        ]
        lower.sort(key=lambda line: (-line.y0, line.x0))
        current: PdfNote | None = None
        for line in lower:
            call = _NOTE_CALL.match(line.text)
            if call:
                current = PdfNote(page, call[1], line.text[call.end(1) :].strip())
                notes.append(current)
                taken.append(line)
            elif current is not None:
                notes[-1] = PdfNote(page, current.call, f"{notes[-1].text} {line.text}")
                current = notes[-1]
                taken.append(line)
    return notes, taken


def _reading_order(lines: list[PdfLine]) -> tuple[list[PdfLine], dict[int, str]]:
    """The body's lines in reading order, and the pages set in columns. On a page where
    COLUMN_LINES baselines or more are cut by gutters, the stretch from the first such baseline
    to the last is read by columns: if every column runs down most of it, as columns of text
    (one column after the other); else as a table whose sparsest column (a position, set on
    each row's first line) starts its rows, each row's cells in turn."""
    ordered: list[PdfLine] = []
    layouts: dict[int, str] = {}
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    for page, page_lines in by_page.items():
        cut = [line.row for line in page_lines if line.cuts]
        if len(cut) < COLUMN_LINES:
            ordered.extend(page_lines)
            continue
        first, last = min(cut), _stretch_end(page_lines, max(cut))
        inside = [cell for line in page_lines if first <= line.row <= last for cell in line.cells()]
        columns = _columns(inside)
        column_of = {id(line): _column(columns, line) for line in inside}
        region_rows = sorted({line.row for line in inside})
        coverage = [
            len({line.row for line in inside if column_of[id(line)] == c}) / len(region_rows)
            for c in range(len(columns))
        ]
        before = [line for line in page_lines if line.row < first]
        after = [line for line in page_lines if line.row > last]
        if min(coverage) >= FLOW_COVERAGE:
            layouts[page] = "columns"
            body = sorted(inside, key=lambda line: (column_of[id(line)], line.row))
        else:
            layouts[page] = "table"
            sparse = coverage.index(min(coverage))
            starts = sorted({line.row for line in inside if column_of[id(line)] == sparse})
            body = sorted(
                inside,
                key=lambda line: (
                    bisect_right(starts, line.row),
                    column_of[id(line)],
                    line.row,
                ),
            )
            seen: set[int] = set()
            for index, line in enumerate(body):
                row_of = bisect_right(starts, line.row)
                if row_of not in seen:
                    seen.add(row_of)
                    body[index] = replace(line, opens_row=True)
        ordered.extend(before + body + after)
    return ordered, layouts


def _stretch_end(lines: list[PdfLine], row: int) -> int:
    """The last baseline of a stretch in columns whose last cut baseline is ``row``: the lines
    that follow at the same leading are its cells' last lines (a text wrapping in its cell)."""
    last = row
    previous = min((line for line in lines if line.row == row), key=lambda line: line.y0)
    for line in sorted((line for line in lines if line.row > row), key=lambda line: line.row):
        height = max(previous.y1 - previous.y0, 1.0)
        if previous.y0 - line.y1 > (PARAGRAPH_SHARE - 1) * height:
            break
        last, previous = line.row, line
    return last


def _columns(lines: list[PdfLine]) -> list[float]:
    """Where the columns of a stretch begin: the left edges that its lines share."""
    edges = sorted(line.x0 for line in lines)
    clusters: list[list[float]] = []
    for x in edges:
        if clusters and x - clusters[-1][-1] <= COLUMN_EDGE:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [cluster[0] for cluster in clusters if len(cluster) >= 2] or [edges[0]]


def _column(columns: list[float], line: PdfLine) -> int:
    """The column a line lies in: the last whose edge is at its left (or under it)."""
    return max(0, bisect_right(columns, line.x0 + COLUMN_EDGE) - 1)


def _compose(lines: list[PdfLine]) -> tuple[str, list[tuple[int, PdfLine]]]:
    """The text, one line per line, a blank line where a paragraph opens."""
    parts: list[str] = []
    placed: list[tuple[int, PdfLine]] = []
    offset = 0
    previous: PdfLine | None = None
    for line in lines:
        if previous is not None:
            # A page break is no paragraph break: most pages break inside a paragraph.
            gap = previous.y0 - line.y1
            height = max(previous.y1 - previous.y0, 1.0)
            opens = line.opens_row or (
                line.page == previous.page and gap > (PARAGRAPH_SHARE - 1) * height
            )
            separator = "\n\n" if opens else "\n"
            parts.append(separator)
            offset += len(separator)
        placed.append((offset, line))
        parts.append(line.text)
        offset += len(line.text)
        previous = line
    parts.append("\n")
    return "".join(parts), placed


def _metadata(document: object) -> dict[str, str]:
    """The PDF's own document information: title, author, creation date, producer."""
    from pdfminer.pdftypes import resolve1

    wanted = {
        "Title": "title",
        "Author": "author",
        "CreationDate": "created",
        "Producer": "producer",
    }
    found: dict[str, str] = {}
    for info in getattr(document, "info", []):
        for key, name in wanted.items():
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = _decode(value)
            if isinstance(value, str) and value.strip():
                found[name] = value.strip()
    return found


def _decode(value: bytes) -> str:
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", errors="replace")
    return value.decode("latin-1")
