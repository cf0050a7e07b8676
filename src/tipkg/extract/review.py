"""What a review's documents say beyond their structure (family "upr", by its profile's cue words).

- **Recommending States**: the States named in brackets at the end of each clause of a
  recommendation ("… (Fiji);", "… (Argentina) (Chile);", "… (Ukraine); Increase … (Slovakia);").
  Brackets are read from the end backwards and taken while their whole content is the name of a
  State of the reference data; "(No. 29) (United Kingdom of Great Britain and Northern Ireland)"
  gives the United Kingdom and keeps "(No. 29)" in the text. The final brackets are cut from the
  published text (its span ends before them); brackets that name no known State are kept in the
  text and warned, never guessed.
- **Responses**: a numbered paragraph whose words say one response (supported, noted, or pending)
  answers its own items ("121. … enjoy the support of …: 121.1 …") or the recommendations it cites
  ("accepts the following recommendations 122.1, 122.17-18, 122.62-\\n66"), ranges expanded. A
  recommendation answered twice, a range that runs backwards, a list without one response word are
  warned.
- **The interactive dialogue**: each paragraph of the section the profile names that opens with a
  State's name (after an article) is that delegation's statement; the State under review's own
  paragraphs are its replies. The count is checked against the document's own figure.
- **The troika**: the States named after the profile's cue word, the State under review aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tipkg.errors import line_of
from tipkg.extract.classify import phrase_pattern
from tipkg.extract.furniture import Paged
from tipkg.extract.names import APOSTROPHES, Gazetteer
from tipkg.extract.profile import Profile
from tipkg.extract.records import (
    Paragraph,
    ParticipationRecord,
    Recommendation,
    ResponseRecord,
    Section,
    Span,
)
from tipkg.extract.repair import Repair, repair


@dataclass
class ReviewReading:
    responses: list[ResponseRecord] = field(default_factory=list)
    participations: list[ParticipationRecord] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    #: (line, what) — each becomes a warning naming the file and the line.
    doubts: list[tuple[int, str]] = field(default_factory=list)


def _normal(name: str) -> str:
    return re.sub(APOSTROPHES, "'", " ".join(name.split())).casefold()


def state_names(states: Gazetteer) -> dict[str, str]:
    """Every name of a State in the reference data (normalised) → the State's IRI."""
    return {_normal(e.label): e.iri for e in states.entries if e.kind == "state"}


def _trailing_brackets(view: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The bracket groups that end ``view[start:end]`` (a list separator after them aside), last
    first: (offset of "(", offset after ")", content with whitespace made single spaces)."""
    groups: list[tuple[int, int, str]] = []
    at = end
    while at > start and view[at - 1].isspace():
        at -= 1
    if at > start and view[at - 1] in ";.":
        at -= 1
    while True:
        while at > start and view[at - 1].isspace():
            at -= 1
        if at <= start or view[at - 1] != ")":
            return groups
        opening = view.rfind("(", start, at - 1)
        if opening < 0 or ")" in view[opening + 1 : at - 1]:
            return groups  # nested or unbalanced: no State's name
        groups.append((opening, at, " ".join(view[opening + 1 : at - 1].split())))
        at = opening


_CLAUSE_END = re.compile(r"\)[ \t\r\n]*;[ \t\r\n]+(?=[A-Z])")


def recommending_states(
    source: str,
    rec: Recommendation,
    page: Paged,
    names: dict[str, str],
    lang: str,
) -> tuple[Recommendation, list[Repair], list[tuple[int, str]]]:
    """The recommendation with its recommending States read and its text and span ending
    before the final brackets; the repairs of the new span; doubts (line, what)."""
    view, start, end = page.view, rec.span.start, rec.span.end
    doubts: list[tuple[int, str]] = []
    states: list[str] = []

    def resolved(groups: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
        taken = []
        for opening, _, content in groups:
            iri = names.get(_normal(content))
            if iri is None:
                break
            taken.append((opening, iri))
        return taken

    final = _trailing_brackets(view, start, end)
    taken = resolved(final)
    if not taken:
        what = f"'({final[0][2]})'" if final else "none"
        doubts.append(
            (
                rec.span.line,
                f"recommendation {rec.printed}: no recommending State in brackets at its end "
                f"(last brackets: {what}); its text is kept whole",
            )
        )
        return rec, [], doubts
    text_end = min(opening for opening, _ in taken)
    # Clauses inside the recommendation, each with its own States: "… (Ukraine); Increase …".
    for match in _CLAUSE_END.finditer(view, start, text_end):
        states.extend(
            iri for _, iri in reversed(resolved(_trailing_brackets(view, start, match.start() + 1)))
        )
    states.extend(iri for _, iri in reversed(taken))
    repaired = repair(source, start, text_end, lang, page)
    new_start, new_end = start, text_end
    while new_end > new_start and view[new_end - 1].isspace():
        new_end -= 1
    span = Span(new_start, new_end, repaired.text, rec.span.line)
    rec.text, rec.span = repaired.text, span
    rec.recommended_by = list(dict.fromkeys(states))
    doubts.extend(
        (line_of(source, at), f"recommendation {rec.printed}: {what}")
        for at, what in repaired.doubts
    )
    return rec, list(repaired.repairs), doubts


_REFERENCE = re.compile(
    r"(?<![\d.])(\d{1,4})\.(\d{1,3})(?:[ \t\r\n]*[-–][ \t\r\n]*(?:(\d{1,4})\.)?(\d{1,3}))?(?![\d])"
)


#: An item number too long to be one: a range whose dash an extraction dropped with the line
#: break it stood at ("122.62-" / "66" written "122.6266" by pdftotext's default mode).
_RUN_TOGETHER = re.compile(r"(?<![\d.])(\d{1,4})\.(\d{4,6})(?![\d])")


def references(text: str) -> list[tuple[int, int, int, str | None]]:
    """Every recommendation a text cites: (position, paragraph, item, problem or None); ranges
    ("122.17-18", "122.62-\\n66", "122.34- 35", "122.5–122.9") expanded."""
    found: list[tuple[int, int, int, str | None]] = [
        (match.start(), int(match[1]), 0, _run_together(match[0], match[2]))
        for match in _RUN_TOGETHER.finditer(text)
    ]
    for match in _REFERENCE.finditer(text):
        paragraph, first = int(match[1]), int(match[2])
        if match[4] is None:
            found.append((match.start(), paragraph, first, None))
            continue
        last = int(match[4])
        if match[3] is not None and int(match[3]) != paragraph:
            found.append(
                (match.start(), paragraph, first, f"the range {match[0]!r} spans paragraphs")
            )
            continue
        if last <= first:
            found.append(
                (match.start(), paragraph, first, f"the range {match[0]!r} runs backwards")
            )
            continue
        found.extend((match.start(), paragraph, n, None) for n in range(first, last + 1))
    return sorted(found)


def _run_together(printed: str, digits: str) -> str:
    """What to say of an item number of four digits or more: never read as one item, nor split
    into the range it may have been; the ranges it could be are named for the reader to check."""
    ranges = [
        f"{digits[:cut]}–{digits[cut:]}"
        for cut in range(len(digits) - 3, 4)
        if not digits[cut:].startswith("0") and int(digits[:cut]) < int(digits[cut:])
    ]
    could = f" (the range {' or '.join(ranges)} with its dash lost?)" if ranges else ""
    return (
        f"{printed!r} is no recommendation number: items have at most three digits{could}; "
        "not read: check the text against the document"
    )


def read_responses(
    source: str,
    paragraphs: list[Paragraph],
    recommendations: list[Recommendation],
    profile: Profile,
    lang: str,
    addendum_to: str | None,
) -> tuple[list[ResponseRecord], list[tuple[int, str]]]:
    """The response to each recommendation a paragraph answers, by the profile's cue words."""
    cues = {
        key: [phrase_pattern(phrase) for phrase in phrases]
        for key, phrases in profile.responses.get(lang, {}).items()
    }
    responses: list[ResponseRecord] = []
    doubts: list[tuple[int, str]] = []
    if not cues:
        return responses, doubts  # a family whose documents record no responses
    seen: dict[tuple[str | None, int, int], int] = {}
    for paragraph in paragraphs:
        items = [r for r in recommendations if r.paragraph == paragraph.number]
        cited = references(paragraph.text)
        if not items and not cited:
            continue
        said = sorted(
            key for key, patterns in cues.items() if any(p.search(paragraph.text) for p in patterns)
        )
        line = paragraph.span.line
        if len(said) != 1:
            doubts.append(
                (
                    line,
                    f"paragraph {paragraph.number} lists recommendations but says "
                    + (f"several responses ({', '.join(said)})" if said else "no response")
                    + " in the words of the profile; none is recorded",
                )
            )
            continue
        response = said[0]
        if response == "pending":
            continue
        targets: list[tuple[str | None, int, int, int]] = [
            (None, r.paragraph or 0, r.number, r.span.line) for r in items
        ]
        for _, number, item, problem in cited:
            if problem:
                doubts.append((line, f"paragraph {paragraph.number}: {problem}"))
                continue
            targets.append((addendum_to, number, item, line))
        for document, number, item, at in targets:
            key = (document, number, item)
            if key in seen:
                doubts.append(
                    (
                        at,
                        f"recommendation {number}.{item} is answered twice (paragraphs "
                        f"{seen[key]} and {paragraph.number}); the first is kept",
                    )
                )
                continue
            seen[key] = paragraph.number
            responses.append(ResponseRecord(number, item, response, paragraph.number, at, document))
    return responses, doubts


def _section_paragraphs(
    paragraphs: list[Paragraph], sections: list[Section], phrases: tuple[str, ...]
) -> list[Paragraph]:
    patterns = [phrase_pattern(p) for p in phrases]
    chosen = {(s.part, s.letter) for s in sections if any(p.search(s.title) for p in patterns)}
    return [p for p in paragraphs if (p.part, p.section) in chosen]


def _opening_state(text: str, states: Gazetteer, articles: tuple[str, ...]) -> str | None:
    position = 0
    for article in articles:
        if re.match(rf"{re.escape(article)}\s", text):
            position = len(article)
            while position < len(text) and text[position].isspace():
                position += 1
            break
    mention = states.find_at(text, position)
    if mention is None and position:
        mention = states.find_at(text, 0)
    return mention.key if mention else None


def read_participation(
    paragraphs: list[Paragraph],
    sections: list[Section],
    states: Gazetteer,
    profile: Profile,
    lang: str,
    under_review: str | None,
) -> tuple[list[ParticipationRecord], list[tuple[int, str]]]:
    """The delegations that made statements in the interactive dialogue, and the troika."""
    records: list[ParticipationRecord] = []
    doubts: list[tuple[int, str]] = []
    articles = profile.articles.get(lang, ())
    dialogue = _section_paragraphs(paragraphs, sections, profile.statements.get(lang, ()))
    expected: tuple[int, int] | None = None
    count = profile.statement_count.get(lang)
    for paragraph in dialogue:
        if count is not None and expected is None and (match := count.search(paragraph.text)):
            expected = (int(match[1]), paragraph.span.line)
        state = _opening_state(paragraph.text, states, articles)
        if state is None or state == under_review:
            continue
        records.append(
            ParticipationRecord("state", state, "statement", None, None, paragraph.number)
        )
    if expected is not None and expected[0] != len(records):
        doubts.append(
            (
                expected[1],
                f"the document counts {expected[0]} delegations that made statements; "
                f"{len(records)} paragraphs of the dialogue open with a State's name",
            )
        )
    troika = [phrase_pattern(p) for p in profile.troika.get(lang, ())]
    cued: list[int] = []
    for paragraph in paragraphs:
        cue = next((m for p in troika if (m := p.search(paragraph.text))), None)
        if cue is None:
            continue
        cued.append(paragraph.span.line)
        # The troika's States follow the cue word ("(troika) to facilitate the review of X:
        # A, B and C"); a paragraph that names none after it only mentions the troika.
        named = [m.key for m in states.find(paragraph.text[cue.end() :]) if m.key != under_review]
        records.extend(
            ParticipationRecord("state", key, "troika", None, None, paragraph.number)
            for key in dict.fromkeys(named)
        )
    if cued and not any(r.role == "troika" for r in records):
        doubts.append((cued[0], "the troika is mentioned but no paragraph names its States"))
    return records, doubts
