"""The typed records that extraction produces and the RDF stage consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from tipkg.extract.repair import Repair


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the decoded source text; `quote` is the text as repaired."""

    start: int
    end: int
    exact: str
    line: int


@dataclass
class Part:
    numeral: str
    title: str
    span: Span


@dataclass
class Section:
    part: str
    letter: str
    title: str
    span: Span


@dataclass
class Paragraph:
    number: int
    part: str
    section: str | None
    text: str
    span: Span


@dataclass(frozen=True)
class Mention:
    """A name found in a text: `target_key` says what it resolved to (kind, key)."""

    kind: str  # organization | database | provision | state | instrument
    key: str
    matched: str
    start: int
    end: int


@dataclass(frozen=True)
class ThemeEvidence:
    theme: str
    matched: str
    rule: str


@dataclass
class Recommendation:
    number: int
    part: str
    section: str
    text: str
    span: Span
    strength: str | None = None
    strength_clause: str = ""
    addressee: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    themes: list[ThemeEvidence] = field(default_factory=list)


@dataclass(frozen=True)
class PersonRecord:
    key: str
    honorific: str
    family_name: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class ParticipationRecord:
    participant_kind: str  # state | organization | person
    participant_key: str
    role: str
    agenda_item: int | None
    on_behalf_of: str | None
    paragraph: int


@dataclass
class Report:
    """Everything extracted from one source."""

    parts: list[Part]
    sections: list[Section]
    paragraphs: list[Paragraph]
    recommendations: list[Recommendation]
    repairs: list[Repair]
    persons: list[PersonRecord]
    participations: list[ParticipationRecord]
    agenda_items: list[int]
