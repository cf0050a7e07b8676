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
    part: str | None
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
    #: An item-numbered family (upr): the paragraph the item belongs to (121 for "121.1").
    paragraph: int | None = None
    #: Whom it comes from, where the text says (upr): the recommending States' IRIs.
    recommended_by: list[str] = field(default_factory=list)

    @property
    def printed(self) -> str:
        """The number as printed: "7", or "121.1" for an item of paragraph 121."""
        return f"{self.paragraph}.{self.number}" if self.paragraph is not None else str(self.number)


@dataclass
class Reply:
    """A reply to items (upr addendum): the reference as printed ("122.14– 15") and the text."""

    reference: str
    text: str
    span: Span


@dataclass(frozen=True)
class ResponseRecord:
    """How the State under review responds to one recommendation, and where it says so."""

    paragraph: int  # the recommendation's paragraph (122 for "122.17")
    number: int  # its item number (17)
    response: str  # supported | noted
    given_in: int  # the paragraph of this document that gives the response
    line: int
    #: The UN symbol of the document that holds the recommendation; None: this document.
    of_document: str | None = None


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


@dataclass(frozen=True)
class Note:
    """A note set apart from the running text (a footnote, a title page's asterisked note), as
    published, and where its call stands."""

    ordinal: int  # its place among the document's notes, from 1
    call: str  # the mark as printed: "*", "1"
    text: str
    page: int
    #: What holds its call: ("paragraph", "5"), ("recommendation", "121.1"), or ("report", "")
    #: for a call outside the numbered text (the title); None: no call found for it.
    called_from: tuple[str, str] | None


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
    responses: list[ResponseRecord] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
