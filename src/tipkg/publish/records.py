"""Plain records read from the graph for the index pages, the pictures and the search index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast, overload

import pyoxigraph as ox

from tipkg.publish import vocab
from tipkg.publish.model import BuildData, Read

TIP = vocab.TIP
T = TypeVar("T")


class Field(Generic[T]):
    """A field of a record read from the build. Its value is kept with the reads that gave it
    and those reads are noted on every use, so that a page depends on the fields it shows,
    not on the whole record (a State's page filters every recommendation by its addressee and
    shows a few fields of some: their texts can change without changing it)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, rec: None, owner: type) -> Field[T]: ...
    @overload
    def __get__(self, rec: Rec, owner: type) -> T: ...
    def __get__(self, rec: Rec | None, owner: type) -> Field[T] | T:
        if rec is None:
            return self
        value, reads = rec.fields[self.name]
        rec.data.note_all(reads)
        return cast(T, value)


class Rec:
    """A recommendation, its fields read from the graph; equal to another of the same IRI."""

    number: Field[int] = Field()
    text: Field[str] = Field()
    lang: Field[str] = Field()
    report: Field[str] = Field()
    #: The body whose report it is: the mechanism that made it (dct:creator of the report).
    mechanism: Field[str] = Field()
    section: Field[str] = Field()
    strength: Field[str] = Field()
    themes: Field[tuple[str, ...]] = Field()
    names: Field[tuple[str, ...]] = Field()
    provisions: Field[tuple[str, ...]] = Field()
    #: The number as the document prints it ("121.1" in a review's list; "7" elsewhere).
    printed: Field[str] = Field()
    #: The number of the paragraph that lists it (a review numbers its lists 121, 122): the
    #: order of the document, where ``number`` alone restarts at 1 in each list.
    paragraph: Field[int] = Field()
    #: The States that made it (a review's recommendations), by IRI.
    recommended_by: Field[tuple[str, ...]] = Field()
    #: The response of the State under review: its position (supported, noted), the document and
    #: the paragraph that give it; empty where none was given.
    position: Field[str] = Field()
    answered_in: Field[str] = Field()
    answer_paragraph: Field[int] = Field()
    #: The group of addressees (state under review, States parties).
    addressee: Field[str] = Field()

    def __init__(
        self, data: BuildData, iri: str, fields: dict[str, tuple[object, frozenset[Read]]]
    ) -> None:
        self.data = data
        self.iri = iri
        self.fields = fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rec) and other.iri == self.iri

    def __hash__(self) -> int:
        return hash(self.iri)

    def __repr__(self) -> str:
        return f"Rec({self.iri!r})"


def recommendations(data: BuildData) -> list[Rec]:
    """Every recommendation, in report order then by number (read once per build's data: every
    recommendation page asks for its neighbours)."""

    def read() -> list[Rec]:
        found = [recommendation(data, node) for node in data.instances(TIP + "Recommendation")]
        return sorted(found, key=lambda r: (r.report, r.paragraph, r.number, r.iri))

    return data.derived(("recommendations",), read)


def recommendation_order(data: BuildData) -> list[str]:
    """The IRIs of every recommendation, in the order of ``recommendations``, read from what
    sets the order alone: a page that shows its neighbours does not depend on their texts."""

    def read() -> list[str]:
        nodes = data.instances(TIP + "Recommendation")
        return [iri for *_, iri in sorted(_place(data, node) for node in nodes)]

    return data.derived(("recommendation-order",), read)


def _place(data: BuildData, node: ox.NamedNode) -> tuple[str, int, int, str]:
    """What orders recommendations: report, paragraph of its list, number, IRI."""
    lists = [p for p in data.nodes(node, TIP + "partOf") if TIP + "Paragraph" in data.types(p)]
    paragraph = data.number(lists[0]) if lists else 0
    return (data.text(node, TIP + "inReport"), paragraph, data.number(node), node.value)


def _responses(data: BuildData) -> dict[str, ox.NamedNode]:
    """The response to each recommendation that has one, by the recommendation's IRI."""

    def read() -> dict[str, ox.NamedNode]:
        return {
            data.text(answer, TIP + "respondsTo"): answer
            for answer in data.instances(TIP + "Response")
        }

    return data.derived(("responses",), read)


def recommendation(data: BuildData, node: ox.NamedNode) -> Rec:
    """One recommendation, read from its own statements (and its response's), field by field."""
    fields: dict[str, tuple[object, frozenset[Read]]] = {}

    def read(name: str, compute: Callable[[], object]) -> None:
        with data.apart() as found:
            fields[name] = (compute(), frozenset(found))

    def text() -> ox.Literal:
        found = data.value(node, TIP + "text")
        return found if isinstance(found, ox.Literal) else ox.Literal("")

    def answer() -> ox.NamedNode | None:
        return _responses(data).get(node.value)

    def given_in() -> list[ox.NamedNode]:
        found = answer()
        return data.nodes(found, TIP + "givenIn") if found is not None else []

    def report() -> str:
        return data.text(node, TIP + "inReport")

    def of_answer(predicate: str) -> str:
        found = answer()
        return data.text(found, TIP + predicate) if found is not None else ""

    read("number", lambda: data.number(node))
    read("text", lambda: text().value)
    read("lang", lambda: text().language or "")
    read("report", report)
    read(
        "mechanism",
        lambda: data.text(ox.NamedNode(report()), vocab.DCT + "creator") if report() else "",
    )
    read("section", lambda: data.text(node, TIP + "inSection"))
    read("strength", lambda: data.text(node, TIP + "strength"))
    read("themes", lambda: tuple(sorted(n.value for n in data.nodes(node, TIP + "theme"))))
    read(
        "names",
        lambda: tuple(
            sorted(
                n.value
                for p in ("namesOrganization", "namesDatabase")
                for n in data.nodes(node, TIP + p)
            )
        ),
    )
    read(
        "provisions",
        lambda: tuple(sorted(n.value for n in data.nodes(node, TIP + "citesProvision"))),
    )
    read("printed", lambda: data.text(node, TIP + "printedNumber") or str(data.number(node)))
    read("paragraph", lambda: _place(data, node)[1])
    read(
        "recommended_by",
        lambda: tuple(
            sorted(
                (n.value for n in data.nodes(node, TIP + "recommendedBy")),
                key=lambda iri: data.label(iri).text,
            )
        ),
    )
    read("position", lambda: of_answer("position"))
    read("answered_in", lambda: of_answer("inReport"))
    read("answer_paragraph", lambda: data.number(given_in()[0]) if given_in() else 0)
    read("addressee", lambda: data.text(node, TIP + "addressee"))
    return Rec(data, node.value, fields)


def concepts(data: BuildData, scheme: str) -> list[ox.NamedNode]:
    """The concepts of a scheme, ordered by notation."""
    found = data.subjects(vocab.SKOS + "inScheme", ox.NamedNode(scheme))
    named = [n for n in found if isinstance(n, ox.NamedNode)]
    return sorted(named, key=lambda n: (data.text(n, vocab.SKOS + "notation"), n.value))


def schemes(data: BuildData) -> list[ox.NamedNode]:
    return [n for n in data.instances(vocab.SKOS + "ConceptScheme") if n.value.startswith(TIP)]


def scheme_of(data: BuildData, concept: str) -> str:
    return data.text(ox.NamedNode(concept), vocab.SKOS + "inScheme")


STRENGTHS = ("should", "should-consider", "encouraged", "may-consider")
"""From the firmest wording to the softest (the scheme itself states no order)."""


def strength_order(data: BuildData) -> list[str]:
    """The strengths of the scheme, firmest first; any notation not known here comes last."""
    found = concepts(data, TIP + "strengths")
    rank = {n: i for i, n in enumerate(STRENGTHS)}
    return [
        n.value
        for n in sorted(
            found, key=lambda c: (rank.get(data.text(c, vocab.SKOS + "notation"), 99), c.value)
        )
    ]


@dataclass(frozen=True)
class Part:
    participation: str
    participant: str
    role: str
    item: str
    on_behalf_of: str


def participations(data: BuildData, meeting: str) -> list[Part]:
    found = []
    for node in data.subjects(TIP + "inMeeting", ox.NamedNode(meeting)):
        if TIP + "Participation" not in data.types(node):
            continue
        assert isinstance(node, ox.NamedNode)
        found.append(
            Part(
                participation=node.value,
                participant=data.text(node, TIP + "participant"),
                role=data.text(node, TIP + "role"),
                item=data.text(node, TIP + "agendaItem"),
                on_behalf_of=data.text(node, TIP + "onBehalfOf"),
            )
        )
    return sorted(found, key=lambda p: (p.participant, p.role, p.item))


ORGANIZATION_TYPES = frozenset(
    TIP + name
    for name in (
        "Organization",
        "IntergovernmentalOrganization",
        "UnitedNationsEntity",
        "CivilSocietyOrganization",
        "IntergovernmentalBody",
        "WorkingGroup",
        "ConferenceOfTheParties",
        "Database",
    )
)


def kind_of(data: BuildData, iri: str) -> str:
    """state, organization or person (what the participants page groups by)."""
    types = set(data.types(ox.NamedNode(iri)))
    if TIP + "State" in types:
        return "state"
    if TIP + "Person" in types:
        return "person"
    if types & ORGANIZATION_TYPES:
        return "organization"
    return "other"
