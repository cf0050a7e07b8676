"""Who took part in the meeting, in which role, under which agenda item.

Each numbered paragraph outside the recommendations is read for cue words (statements made,
observers, panellists, the Chair, States represented) and for the names it lists. Names are found
with the gazetteer, never by splitting on commas, so "Venezuela (République bolivarienne du)" and
"… en particulier les femmes et les enfants" stay whole. What is left of a list after the names
are taken out must be separators only; anything else is reported as unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tipkg.extract.names import Gazetteer
from tipkg.extract.records import Mention, Paragraph, ParticipationRecord, PersonRecord
from tipkg.iris import slug


@dataclass(frozen=True)
class Cues:
    chair: re.Pattern[str]
    panelist: re.Pattern[str]
    statement: re.Pattern[str]
    observer: re.Pattern[str]
    represented: re.Pattern[str]
    items: re.Pattern[str]
    person: re.Pattern[str]
    separators: re.Pattern[str]
    chair_label: str


_NAME = r"(?P<name>[A-ZÀ-Ý][\w’'-]+(?:\s+[A-ZÀ-Ý][\w’'-]+)*)"
_PAREN = r"\((?P<state>[^()]*(?:\([^()]*\)[^()]*)?)\)"

CUES = {
    "fr": Cues(
        chair=re.compile(r"\b(?:la|le|du)\s+(Présidente|Président)\b"),
        panelist=re.compile(r"animé\s+par|intervenant|modérat(?:eur|rice)|panéliste", re.I),
        statement=re.compile(
            r"déclarations?\s+ont\s+été\s+faites|fait\s+une\s+déclaration|entendu\s+des\s+déclarations",
            re.I,
        ),
        observer=re.compile(r"\bobservat(?:eur|rice)s?\b", re.I),
        represented=re.compile(r"(?:étaient|était|ont\s+été)\s+représenté(?:e|s|es)?", re.I),
        items=re.compile(r"\bpoints?\s+(\d+(?:\s*(?:,|et)\s*\d+)*)"),
        person=re.compile(rf"(?P<hon>Mmes?|MM\.|M\.)\s+{_NAME}\s*{_PAREN}"),
        separators=re.compile(
            r"(?:[\s,;.:]|\bet\b|\bde\b|\bdu\b|\bdes\b|\bla\b|\ble\b|\bles\b|d[’']|l[’'])*"
        ),
        chair_label="{word} de la réunion",
    ),
    "en": Cues(
        chair=re.compile(r"\bthe\s+(Chair(?:person)?)\b"),
        panelist=re.compile(r"panell?ists?|facilitated\s+by|moderated\s+by", re.I),
        statement=re.compile(
            r"statements?\s+(?:was|were)\s+made|made\s+a\s+statement|heard\s+statements", re.I
        ),
        observer=re.compile(r"\bobservers?\b", re.I),
        represented=re.compile(r"(?:were|was)\s+represented|attended\s+the\s+meeting", re.I),
        items=re.compile(r"\bitems?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)"),
        person=re.compile(rf"(?P<hon>Ms\.|Mrs\.|Mr\.|Dr\.|Ms|Mr|Mrs)\s+{_NAME}\s*{_PAREN}"),
        separators=re.compile(r"(?:[\s,;.:]|\band\b|\bof\b|\bthe\b)*"),
        chair_label="{word}",
    ),
}

HONORIFICS_EN = {"Mme": "Ms.", "Mmes": "Ms.", "M.": "Mr.", "MM.": "Mr."}


@dataclass
class Participants:
    persons: list[PersonRecord]
    participations: list[ParticipationRecord]
    agenda_items: list[int]
    unresolved: list[tuple[int, str]]  # (line, name)


def extract_participants(
    paragraphs: list[Paragraph],
    lang: str,
    actors: Gazetteer,
    excluded: set[str],
) -> Participants:
    """`actors` knows States and organisations; `excluded` are IRIs never counted as taking part
    (the body whose meeting it is, which the text names as the one hearing statements)."""
    cues = CUES[lang]
    out = Participants([], [], [], [])
    persons: dict[str, PersonRecord] = {}
    rows: set[ParticipationRecord] = set()
    for paragraph in paragraphs:
        text, line = paragraph.text, paragraph.span.line
        items = sorted(
            {int(n) for m in cues.items.finditer(text) for n in re.findall(r"\d+", m[1])}
        )
        where: list[int | None] = list(items) or [None]
        taken: list[tuple[int, int]] = []

        chair = cues.chair.search(text)
        if chair:
            record = PersonRecord(
                "chair", "", "", cues.chair_label.format(word=chair[1]), "Chair of the meeting"
            )
            persons.setdefault(record.key, record)
            rows.update(_rows("person", record.key, "chair", where, None, paragraph.number))

        if cues.panelist.search(text):
            for match in cues.person.finditer(text):
                taken.append((match.start(), match.end()))
                state = actors.find_at(match["state"], 0)
                if state is None or state.end != len(match["state"]):
                    out.unresolved.append((line, match["state"]))
                    continue
                name = " ".join(match["name"].split())
                honorific = match["hon"]
                record = PersonRecord(
                    slug(name),
                    honorific,
                    name,
                    f"{honorific} {name}",
                    f"{HONORIFICS_EN.get(honorific, honorific)} {name}",
                )
                persons.setdefault(record.key, record)
                rows.update(
                    _rows("person", record.key, "panelist", where, state.key, paragraph.number)
                )

        roles: list[str] = []
        if cues.observer.search(text):
            roles.append("observer")
        if cues.statement.search(text):
            roles.append("statement")
        elif cues.represented.search(text):
            roles.append("represented")
        if not roles:
            continue
        found = [
            m
            for m in actors.find(text)
            if m.key not in excluded and not any(a <= m.start < b for a, b in taken)
        ]
        out.unresolved.extend((line, name) for name in _leftovers(text, found, taken, cues))
        for mention in found:
            kind = "state" if mention.kind == "state" else "organization"
            for role in roles:
                rows.update(_rows(kind, mention.key, role, where, None, paragraph.number))
    for paragraph in paragraphs:
        out.agenda_items.extend(
            int(n) for m in cues.items.finditer(paragraph.text) for n in re.findall(r"\d+", m[1])
        )
    out.agenda_items = sorted(set(out.agenda_items))
    out.persons = sorted(persons.values(), key=lambda p: p.key)
    out.participations = sorted(rows, key=_order)
    return out


def _order(row: ParticipationRecord) -> tuple[int, str, str, int]:
    return (row.paragraph, row.participant_key, row.role, row.agenda_item or 0)


def _rows(
    kind: str, key: str, role: str, where: list[int | None], behalf: str | None, paragraph: int
) -> list[ParticipationRecord]:
    return [ParticipationRecord(kind, key, role, item, behalf, paragraph) for item in where]


def _leftovers(
    text: str, found: list[Mention], taken: list[tuple[int, int]], cues: Cues
) -> list[str]:
    """Text of a list (what follows the last colon) that no name accounts for."""
    colon = text.rfind(":")
    if colon < 0:
        return []
    spans = sorted([(m.start, m.end) for m in found] + taken)
    gaps: list[tuple[int, int]] = []
    cursor = colon + 1
    for start, end in spans:
        if end <= cursor:
            continue
        gaps.append((cursor, max(cursor, start)))
        cursor = max(cursor, end)
    gaps.append((cursor, len(text)))
    return [
        " ".join(text[start:end].split()).strip(" ,.;")
        for start, end in gaps
        if not cues.separators.fullmatch(text[start:end])
    ]
