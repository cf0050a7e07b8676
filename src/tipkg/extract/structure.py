"""Find the structure of a report: parts, sections, numbered paragraphs, recommendations.

The text is read line by line, with offsets into the decoded source kept throughout. A heading is
recognised by its form (``II. Recommandations (suite)``, ``A. …``, ``Recommandation 7``, ``3. …``),
never by its position in a particular file. Everything between one heading and the next belongs to
the first: a section title or a recommendation may wrap over several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tipkg.errors import InputError, line_of
from tipkg.extract.records import Paragraph, Part, Recommendation, Section, Span
from tipkg.extract.repair import Repair, repair


@dataclass(frozen=True)
class Grammar:
    """The heading forms of one language."""

    recommendation: re.Pattern[str]
    part: re.Pattern[str]
    section: re.Pattern[str]
    paragraph: re.Pattern[str]
    glued_recommendation: re.Pattern[str]


def _grammar(word: str) -> Grammar:
    return Grammar(
        recommendation=re.compile(rf"{word}\s+(\d{{1,4}})"),
        part=re.compile(r"([IVXLC]{1,6})\.\s+(\S.*)"),
        section=re.compile(r"([A-Z])\.\s+([A-ZÀ-ÖØ-Þ].*)"),
        paragraph=re.compile(r"(\d{1,4})\.\s+(\S.*)"),
        glued_recommendation=re.compile(rf"(?<=[.;:!?»”)])([ \t]+)(?={word}\s+\d{{1,4}}\s*$)"),
    )


GRAMMARS = {"fr": _grammar("Recommandation"), "en": _grammar("Recommendation")}


@dataclass(frozen=True)
class Heading:
    kind: str  # part | section | paragraph | recommendation
    key: str  # numeral, letter or number
    start: int  # where the heading begins
    body_start: int  # where what follows the heading word/number begins


@dataclass(frozen=True)
class Structure:
    parts: list[Part]
    sections: list[Section]
    paragraphs: list[Paragraph]
    recommendations: list[Recommendation]
    repairs: list[Repair]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for raw in text.splitlines(keepends=True):
        yield offset, raw.rstrip("\r\n")
        offset += len(raw)


def _logical_lines(text: str, grammar: Grammar) -> tuple[list[tuple[int, str]], list[Repair]]:
    """Lines, with a recommendation heading glued to the end of a paragraph split off its own."""
    lines: list[tuple[int, str]] = []
    repairs: list[Repair] = []
    for offset, line in _lines(text):
        glued = grammar.glued_recommendation.search(line)
        if glued and line[: glued.start()].strip():
            start, end = offset + glued.start(1), offset + glued.end(1)
            repairs.append(
                Repair(
                    start=start,
                    end=end,
                    original=text[start:end],
                    repaired="\n",
                    kind="glued-heading",
                    reason="a heading followed a sentence on the same line; split at the heading",
                )
            )
            lines.append((offset, line[: glued.start(1)]))
            lines.append((offset + glued.end(1), line[glued.end(1) :]))
        else:
            lines.append((offset, line))
    return lines, repairs


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral, else None."""
    values = [_ROMAN[c] for c in numeral if c in _ROMAN]
    if len(values) != len(numeral) or not values:
        return None
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out


PART_GAP = 3


def _is_part(numeral: str, current_part: str | None) -> bool:
    """ "C." may be section C or part 100: a single letter is a part only where it is the part
    that follows the current one (or the first part of the text)."""
    value = roman_value(numeral)
    if value is None:
        return False
    if len(numeral) > 1 or current_part is None:
        return True
    current = roman_value(current_part)
    # A report's addendum may skip parts (II, then IV), never by many.
    return current is not None and current < value <= current + PART_GAP


SECTION_GAP = 3


def _is_next_section(letter: str, current: str | None) -> bool:
    """Sections run A, B, C…; a continued part may skip a few ("B. …" then "D. …"), but a line
    that starts "M. Nolan" after section B is a name, not section M."""
    if current is None:
        return letter <= "H"  # a continued part may open at a later section
    return 0 < ord(letter) - ord(current) <= SECTION_GAP


def _headings(lines: list[tuple[int, str]], grammar: Grammar) -> list[Heading]:
    headings: list[Heading] = []
    last_paragraph: int | None = None
    part: str | None = None
    section: str | None = None
    for offset, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        lead = offset + len(line) - len(line.lstrip())
        if match := grammar.recommendation.fullmatch(stripped):
            headings.append(Heading("recommendation", match[1], lead, lead + match.end()))
        elif (match := grammar.part.fullmatch(stripped)) and _is_part(match[1], part):
            part, section = match[1], None
            headings.append(Heading("part", match[1], lead, lead + match.start(2)))
        elif (match := grammar.section.match(stripped)) and _is_next_section(match[1], section):
            section = match[1]
            headings.append(Heading("section", match[1], lead, lead + match.start(2)))
        elif (match := grammar.paragraph.match(stripped)) and (
            last_paragraph is None or int(match[1]) == last_paragraph + 1
        ):
            last_paragraph = int(match[1])
            headings.append(Heading("paragraph", match[1], lead, lead + match.start(2)))
    return headings


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _glued_across_lines(text: str, headings: list[Heading]) -> list[Repair]:
    """Headings that follow a line of text with no blank line between, in a document whose
    headings otherwise stand apart: the trace of a page break that glued a heading to the end of
    the previous paragraph. The whitespace between them is recorded as a repaired break."""
    glued: list[tuple[int, int]] = []
    apart = 0
    for heading in headings:
        line_start = text.rfind("\n", 0, heading.start) + 1
        if line_start == 0 or text[line_start : heading.start].strip():
            continue  # first line, or glued on the same line (recorded by _logical_lines)
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        previous = text[previous_start : line_start - 1]
        if previous.strip():
            end_of_text = previous_start + len(previous.rstrip())
            glued.append((end_of_text, heading.start))
        else:
            apart += 1
    if apart <= len(glued):
        return []  # headings here are not set apart by blank lines: nothing is glued
    return [
        Repair(
            start=start,
            end=end,
            original=text[start:end],
            repaired="\n\n",
            kind="glued-heading",
            reason="a heading follows the previous paragraph without the blank line that sets "
            "every other heading apart (a page break); a paragraph break is restored",
        )
        for start, end in glued
    ]


def parse_structure(text: str, lang: str, path: str) -> Structure:
    """Parts, sections, paragraphs and recommendations of one report, with their source spans."""
    grammar = GRAMMARS[lang]
    lines, repairs = _logical_lines(text, grammar)
    headings = _headings(lines, grammar)
    repairs.extend(_glued_across_lines(text, headings))
    parts: list[Part] = []
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    recommendations: list[Recommendation] = []
    part: str | None = None
    section: str | None = None

    for index, heading in enumerate(headings):
        limit = headings[index + 1].start if index + 1 < len(headings) else len(text)
        start, end = _trimmed(text, heading.body_start, limit)
        line = line_of(text, heading.start)
        if start >= end:
            if heading.kind in ("recommendation", "paragraph"):
                raise InputError(path, line, f"{heading.kind} {heading.key} has no text")
            raise InputError(path, line, f"{heading.kind} {heading.key} has no title")
        repaired = repair(text, start, end, lang)
        repairs.extend(repaired.repairs)
        span = Span(start, end, repaired.text, line)
        if heading.kind == "part":
            part, section = heading.key, None
            parts.append(Part(heading.key, repaired.text, span))
        elif heading.kind == "section":
            if part is None:
                raise InputError(path, line, f"section {heading.key} comes before any part")
            section = heading.key
            sections.append(Section(part, heading.key, repaired.text, span))
        elif heading.kind == "paragraph":
            if part is None:
                raise InputError(path, line, f"paragraph {heading.key} comes before any part")
            paragraphs.append(Paragraph(int(heading.key), part, section, repaired.text, span))
        else:
            if part is None or section is None:
                raise InputError(
                    path, line, f"recommendation {heading.key} is not inside a lettered section"
                )
            recommendations.append(
                Recommendation(int(heading.key), part, section, repaired.text, span)
            )
    _check_numbering(path, text, recommendations, "recommendation")
    return Structure(parts, sections, paragraphs, recommendations, sorted(set(repairs), key=_at))


def _at(repair_: Repair) -> int:
    return repair_.start


def _check_numbering(path: str, text: str, recs: list[Recommendation], what: str) -> None:
    if not recs:
        raise InputError(path, None, f"no {what}s found (no line of the form '{what.title()} N')")
    seen: dict[int, int] = {}
    for rec in recs:
        if rec.number in seen:
            raise InputError(
                path,
                rec.span.line,
                f"{what} {rec.number} is numbered twice (first at line {seen[rec.number]})",
            )
        seen[rec.number] = rec.span.line
    numbers = sorted(seen)
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
    if missing:
        raise InputError(
            path, None, f"{what} numbers are not contiguous: missing {', '.join(map(str, missing))}"
        )
    for previous, current in zip(recs, recs[1:], strict=False):
        if current.number < previous.number:
            raise InputError(
                path,
                current.span.line,
                f"{what} {current.number} comes after {what} {previous.number}",
            )
