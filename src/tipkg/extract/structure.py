"""Find the structure of a report: parts, sections, numbered paragraphs, recommendations.

The text is read line by line, with offsets into the decoded source kept throughout. A heading is
recognised by its form (``II. Recommandations (suite)``, ``A. …``, ``Recommandation 7``, ``3. …``),
never by its position in a particular file. Everything between one heading and the next belongs to
the first: a section title or a recommendation may wrap over several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from tipkg.errors import InputError, line_of
from tipkg.extract.furniture import Paged, paged
from tipkg.extract.profile import Profile, load_profile
from tipkg.extract.records import Paragraph, Part, Recommendation, Reply, Section, Span
from tipkg.extract.repair import Repair, repair


@dataclass(frozen=True)
class Grammar:
    """The heading forms of one family in one language, made from its profile."""

    recommendation: re.Pattern[str]
    part: re.Pattern[str]
    section: re.Pattern[str]
    paragraph: re.Pattern[str]
    #: Inside a line: a recommendation heading followed by its text, or a heading's start.
    recommendation_in_line: re.Pattern[str]
    part_in_line: re.Pattern[str]
    section_in_line: re.Pattern[str]
    #: Where a heading may begin inside a line: after a sentence's end, or (for a
    #: recommendation heading) after a section's or part's title.
    sentence_end: re.Pattern[str]
    before_recommendation: re.Pattern[str]
    #: "heading" (a line "Recommendation N") or "item" ("121.1 Text", inside paragraph 121).
    numbering: str = "heading"
    #: A line that is only a reference to items ("122.14– 15"): a reply to them begins.
    reply: re.Pattern[str] = re.compile(r"(?!)")
    #: Headings without a number, and those after which nothing is read.
    unnumbered: re.Pattern[str] = re.compile(r"(?!)")
    end: re.Pattern[str] = re.compile(r"(?!)")


_CAPITAL = "A-ZÀ-ÖØ-Þ"
_NEVER = re.compile(r"(?!)")


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return _NEVER
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?:{alternatives})(?![\w-])")


def _grammar(word: str) -> Grammar:
    return Grammar(
        recommendation=re.compile(rf"{word}\s+(\d{{1,4}})"),
        # A part's or section's title after its numeral, or from the next line on (pdftotext's
        # default mode sets a numeral apart on a line of its own, as it does paragraph numbers).
        part=re.compile(r"([IVXLC]{1,6})\.(?:\s+(\S.*)|\s*$)"),
        section=re.compile(rf"([A-Z])\.(?:\s+([{_CAPITAL}].*)|\s*$)"),
        # The paragraph's text after its number, or from the next line on (a number on a line of
        # its own, as pdftotext's default mode writes it).
        paragraph=re.compile(r"(\d{1,4})\.(?:\s+(\S.*)|\s*$)"),
        recommendation_in_line=re.compile(
            rf"{word}[ \t]+(\d{{1,4}})(?=[ \t]+[{_CAPITAL}«“]|[ \t]*$)"
        ),
        part_in_line=re.compile(rf"([IVXLC]{{1,6}})\.[ \t]+(?=[{_CAPITAL}])"),
        section_in_line=re.compile(rf"([A-Z])\.[ \t]+(?=[{_CAPITAL}])"),
        sentence_end=re.compile(r"(?<=[.;:!?»”)])[ \t]+"),
        before_recommendation=re.compile(rf"[ \t]+(?={word}[ \t]+\d)"),
    )


@cache
def grammar_for(profile: Profile, lang: str) -> Grammar:
    """The heading grammar of a family's profile in one language."""
    if lang not in profile.languages:
        raise InputError(profile.path, None, f"the family {profile.family} has no language {lang}")
    if profile.numbering == "heading":
        grammar = _grammar(re.escape(profile.recommendation_word[lang]))
    else:
        grammar = replace(
            _grammar(r"(?!)"),
            # The item's text after its number, or on the next line (pdftotext's default mode
            # writes a number set apart from its text on a line of its own).
            recommendation=re.compile(r"(\d{1,4})\.(\d{1,3})(?:[ \t]+(?=\S)|[ \t]*$)"),
            # An item glued to the end of the item before it (a lost line break): its number,
            # then a capital.
            recommendation_in_line=re.compile(rf"(\d{{1,4}})\.(\d{{1,3}})[ \t]+(?=[{_CAPITAL}])"),
            before_recommendation=_NEVER,
            numbering="item",
            reply=re.compile(r"\d{1,4}\.\d{1,3}(?:[ \t]*[-–][ \t]*\d{1,3})?[ \t]*"),
        )
    return replace(
        grammar,
        unnumbered=_any_of(profile.unnumbered.get(lang, ())),
        end=_any_of(profile.end.get(lang, ())),
    )


@dataclass(frozen=True)
class Heading:
    kind: str  # part | section | paragraph | recommendation | heading | reply | end | typed
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
    #: What the repairs left as it was without being sure: (line, what).
    doubts: list[tuple[int, str]]
    #: Replies to items: a reference alone on its line ("122.14– 15"), then the text.
    replies: list[Reply] = field(default_factory=list)
    #: The source's page furniture and view, for the stages that read spans again.
    page: Paged | None = None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for raw in text.splitlines(keepends=True):
        yield offset, raw.rstrip("\r\n")
        offset += len(raw)


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


@dataclass
class _Scan:
    """Where the heading scan stands: the last part, section, paragraph and recommendation."""

    part: str | None = None
    section: str | None = None
    paragraph: int | None = None
    recommendation: int | None = None
    #: Whether the text since the last heading is a part's or section's title.
    in_title: bool = False
    #: An item-numbered family: the paragraph the last item belongs to.
    item_paragraph: int | None = None
    #: A heading after which nothing is read was met.
    ended: bool = False

    def next_item(self, paragraph: int, number: int) -> bool:
        """The item that follows: the first of the current paragraph, or the next one."""
        if paragraph != self.paragraph:
            return False
        if self.item_paragraph != paragraph:
            return number == 1
        return self.recommendation is not None and number == self.recommendation + 1

    def next_recommendation(self, number: int) -> bool:
        return self.recommendation is None or number == self.recommendation + 1

    def next_part(self, numeral: str) -> bool:
        """Strictly the part that follows the current one (a heading glued inside a line)."""
        value, current = roman_value(numeral), roman_value(self.part or "")
        if self.part is None:
            return value == 1  # the first part, glued to the introduction's last paragraph
        return value is not None and current is not None and current < value <= current + PART_GAP


#: Headings whose title may run on over the next line.
_TITLED = frozenset({"part", "section", "heading", "typed"})


def _headings(
    lines: list[tuple[int, str]], grammar: Grammar, typed: frozenset[int] = frozenset()
) -> tuple[list[Heading], list[Repair]]:
    """Every heading, and the repairs that split the headings glued inside a line.

    A heading is taken at the start of a line by its form. Inside a line, where a PDF's lost
    page or paragraph break glued it to the text before (after a sentence's end, or a
    recommendation heading after a section's title), only the heading that must come next is
    taken: the next recommendation number, the next section letter, the next part numeral,
    each followed by a capital; anything else there is the text's own words."""
    headings: list[Heading] = []
    repairs: list[Repair] = []
    scan = _Scan()
    heading_line = previous = -1
    for offset, line in lines:
        if not line.strip():
            continue
        if scan.ended:
            break
        first = len(line) - len(line.lstrip())
        at = first
        # A line in heading type right under a heading's line goes on with that heading.
        titled = bool(headings) and headings[-1].kind in _TITLED and heading_line == previous
        previous = offset
        while at < len(line):
            heading = _heading_at(line, at, at == first, offset, grammar, scan)
            if heading is None and at == first and offset in typed and not titled:
                # Set in heading type, not named by the profile: it ends the text before it (a
                # heading's own next line, its title going on, excepted).
                heading = Heading("typed", line.strip(), offset + at, offset + len(line))
            if heading is not None:
                if at != first:
                    gap = re.search(r"[ \t]+$", line[:at])
                    glue_start = offset + (gap.start() if gap else at)
                    repairs.append(
                        Repair(
                            start=glue_start,
                            end=offset + at,
                            original=line[glue_start - offset : at],
                            repaired="\n",
                            kind="glued-heading",
                            reason=f"a {heading.kind} heading followed the text before it on the "
                            "same line (a lost line break); split at the heading",
                        )
                    )
                headings.append(heading)
                heading_line = offset
                scan.in_title = heading.kind in ("part", "section")
                at = heading.body_start - offset
            at = _next_glue(line, at, scan.in_title, grammar)
    return headings, repairs


def _next_glue(line: str, at: int, in_title: bool, grammar: Grammar) -> int:
    """Where the next heading could begin inside ``line`` after ``at`` (its length if nowhere)."""
    places = [m.end() for m in [grammar.sentence_end.search(line, at + 1)] if m]
    if in_title:
        places += [m.end() for m in [grammar.before_recommendation.search(line, at)] if m]
    return min(places, default=len(line))


def _heading_at(
    line: str, at: int, line_start: bool, offset: int, grammar: Grammar, scan: _Scan
) -> Heading | None:
    """The heading that begins at ``line[at:]``, if the scan's state admits it there."""
    lead = offset + at
    rest = line[at:].rstrip()
    if grammar.numbering == "item":
        if line_start:
            heading = _item_heading(rest, lead, grammar, scan)
            if heading is not None:
                return heading
        elif (match := grammar.recommendation_in_line.match(line, at)) and scan.next_item(
            int(match[1]), int(match[2])
        ):
            # Only the item that must come next, inside the current paragraph's list.
            scan.item_paragraph, scan.recommendation = int(match[1]), int(match[2])
            return Heading("recommendation", f"{match[1]}.{match[2]}", lead, offset + match.end())
    elif line_start and (match := grammar.recommendation.fullmatch(rest)):
        scan.recommendation = int(match[1])
        return Heading("recommendation", match[1], lead, lead + match.end())
    if (
        grammar.numbering != "item"
        and (match := grammar.recommendation_in_line.match(line, at))
        and scan.next_recommendation(int(match[1]))
    ):
        scan.recommendation = int(match[1])
        return Heading("recommendation", match[1], lead, offset + match.end())
    if line_start:
        if (match := grammar.part.fullmatch(rest)) and _is_part(match[1], scan.part):
            scan.part, scan.section = match[1], None
            return Heading("part", match[1], lead, lead + _body(match))
        if (match := grammar.section.match(rest)) and _is_next_section(match[1], scan.section):
            scan.section = match[1]
            return Heading("section", match[1], lead, lead + _body(match))
        if (match := grammar.paragraph.match(rest)) and (
            scan.paragraph is None or int(match[1]) == scan.paragraph + 1
        ):
            scan.paragraph = int(match[1])
            return Heading("paragraph", match[1], lead, lead + _body(match))
        return None
    if (match := grammar.part_in_line.match(line, at)) and scan.next_part(match[1]):
        scan.part, scan.section = match[1], None
        return Heading("part", match[1], lead, offset + match.end())
    if (
        (match := grammar.section_in_line.match(line, at))
        and scan.part is not None
        and (
            _is_next_section(match[1], scan.section)
            if scan.section is not None
            # The first section of a part: A, or any letter right after the part's title (a
            # continued part may open at a later section).
            else match[1] == "A" or scan.in_title
        )
    ):
        scan.section = match[1]
        return Heading("section", match[1], lead, offset + match.end())
    return None


def _body(match: re.Match[str]) -> int:
    """Where a heading's text begins: after its number on the line, or (a number alone on its
    line) at the line's end, the text following on the next lines."""
    return match.start(2) if match[2] is not None else match.end()


def _item_heading(rest: str, lead: int, grammar: Grammar, scan: _Scan) -> Heading | None:
    """At a line's start in an item-numbered family: an item ("121.1 Text"), a reference alone
    ("122.14– 15", where a reply to those items begins), or a heading without a number."""
    if (match := grammar.recommendation.match(rest)) and scan.next_item(
        int(match[1]), int(match[2])
    ):
        scan.item_paragraph, scan.recommendation = int(match[1]), int(match[2])
        return Heading("recommendation", f"{match[1]}.{match[2]}", lead, lead + match.end())
    if grammar.reply.fullmatch(rest):
        return Heading("reply", " ".join(rest.split()), lead, lead + len(rest))
    if match := grammar.end.match(rest):
        scan.ended = True
        return Heading("end", match[0], lead, lead + len(rest))
    if match := grammar.unnumbered.match(rest):
        return Heading("heading", match[0], lead, lead + len(rest))
    return None


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
            continue  # first line, or glued on the same line (recorded by _headings)
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


def parse_structure(
    text: str,
    lang: str,
    path: str,
    known: frozenset[str] = frozenset(),
    profile: Profile | None = None,
    kind: str | None = None,
    typed: frozenset[int] = frozenset(),
) -> Structure:
    """Parts, sections, paragraphs and recommendations of one report, with their source spans,
    by the heading grammar of its family's profile (the Working Group on Trafficking in Persons'
    by default); `typed` are the offsets of lines a PDF sets in heading type, which end the text
    before them even where the profile names no such heading; `kind` is the document's kind,
    when known (an addendum of responses holds no
    recommendation of its own)."""
    profile = profile or load_profile()
    grammar = grammar_for(profile, lang)
    # Headings and spans are found in the view, where page furniture is blank: a running header
    # between a paragraph and the next heading is no text of either.
    page = paged(text, known)
    view = page.view
    headings, repairs = _headings(list(_lines(view)), grammar, typed)
    numbered = [h for h in headings if h.kind not in ("heading", "reply", "end", "typed")]
    repairs.extend(_glued_across_lines(view, numbered))
    repairs = [replace(r, original=text[r.start : r.end]) for r in repairs]
    parts: list[Part] = []
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    recommendations: list[Recommendation] = []
    replies: list[Reply] = []
    part: str | None = None
    section: str | None = None
    doubts: list[tuple[int, str]] = []

    for index, heading in enumerate(headings):
        if heading.kind == "typed" and any(
            h.kind in ("paragraph", "recommendation") for h in headings[:index]
        ):
            doubts.append(
                (
                    line_of(text, heading.start),
                    f"«{heading.key}» is set in heading type but is no heading of the profile: "
                    "read as a heading, it ends the text before it, and what follows it up to "
                    "the next numbered heading is no paragraph's",
                )
            )
        if heading.kind in ("heading", "end", "typed"):
            continue  # an unnumbered heading only ends what came before it
        limit = headings[index + 1].start if index + 1 < len(headings) else len(text)
        start, end = _trimmed(view, heading.body_start, limit)
        line = line_of(text, heading.start)
        if start >= end:
            if heading.kind in ("recommendation", "paragraph", "reply"):
                raise InputError(path, line, f"{heading.kind} {heading.key} has no text")
            raise InputError(path, line, f"{heading.kind} {heading.key} has no title")
        repaired = repair(text, start, end, lang, page)
        repairs.extend(repaired.repairs)
        doubts.extend(
            (line_of(text, at), f"{heading.kind} {heading.key}: {what}")
            for at, what in repaired.doubts
        )
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
            if part is None and not profile.paragraphs_before_parts:
                raise InputError(path, line, f"paragraph {heading.key} comes before any part")
            paragraphs.append(Paragraph(int(heading.key), part, section, repaired.text, span))
        elif heading.kind == "reply":
            replies.append(Reply(heading.key, repaired.text, span))
        else:
            if part is None or (section is None and profile.in_section):
                raise InputError(
                    path, line, f"recommendation {heading.key} is not inside a lettered section"
                )
            paragraph_number, _, item = heading.key.rpartition(".")
            recommendations.append(
                Recommendation(
                    int(item),
                    part,
                    section or "",
                    repaired.text,
                    span,
                    paragraph=int(paragraph_number) if paragraph_number else None,
                )
            )
            if grammar.numbering == "item":
                doubts.extend(_stray_items(view, start, end, heading.key))
    if kind is None or kind in profile.recommendation_kinds:
        _check_numbering(path, text, recommendations, "recommendation", grammar.numbering)
    return Structure(
        parts,
        sections,
        paragraphs,
        recommendations,
        sorted(set(repairs), key=_at),
        doubts,
        replies,
        page,
    )


_ITEM_AT_LINE_START = re.compile(r"\n[ \t]*(\d{1,4}\.\d{1,3})[ \t]")


def _stray_items(view: str, start: int, end: int, key: str) -> list[tuple[int, str]]:
    """An item number at a line's start inside an item's text, not taken as a heading: the
    numbering is broken (a number missing or repeated), so two items may have been read as one."""
    return [
        (
            line_of(view, match.start(1)),
            f"recommendation {key}: the item number {match[1]} inside its text was not the next "
            "item's number; the two may have been read as one",
        )
        for match in _ITEM_AT_LINE_START.finditer(view, start, end)
    ]


def _at(repair_: Repair) -> int:
    return repair_.start


def _check_numbering(
    path: str, text: str, recs: list[Recommendation], what: str, numbering: str = "heading"
) -> None:
    if not recs:
        form = (
            "no numbered item such as '12.1' at the start of a line, inside paragraph 12"
            if numbering == "item"
            else f"no line of the form '{what.title()} N'"
        )
        raise InputError(path, None, f"no {what}s found ({form})")
    groups: dict[int | None, list[Recommendation]] = {}
    for rec in recs:
        groups.setdefault(rec.paragraph, []).append(rec)
    for group in groups.values():
        _check_group(path, group, what)


def _check_group(path: str, recs: list[Recommendation], what: str) -> None:
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
