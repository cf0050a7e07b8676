"""Plain records read from the graph for the index pages, the pictures and the search index."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tipkg.publish import vocab
from tipkg.publish.model import BuildData

TIP = vocab.TIP


@dataclass(frozen=True)
class Rec:
    iri: str
    number: int
    text: str
    lang: str
    report: str
    #: The body whose report it is: the mechanism that made it (dct:creator of the report).
    mechanism: str
    section: str
    strength: str
    themes: tuple[str, ...]
    names: tuple[str, ...]
    provisions: tuple[str, ...]
    #: The number as the document prints it ("121.1" in a review's list; "7" elsewhere).
    printed: str = ""
    #: The number of the paragraph that lists it (a review numbers its lists 121, 122): the
    #: order of the document, where ``number`` alone restarts at 1 in each list.
    paragraph: int = 0
    #: The States that made it (a review's recommendations), by IRI.
    recommended_by: tuple[str, ...] = ()
    #: The response of the State under review: its position (supported, noted), the document and
    #: the paragraph that give it; empty where none was given.
    position: str = ""
    answered_in: str = ""
    answer_paragraph: int = 0
    #: The group of addressees (state under review, States parties).
    addressee: str = ""


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
    """One recommendation, read from its own statements (and its response's)."""
    text = data.value(node, TIP + "text")
    report, paragraph, number, _ = _place(data, node)
    answer = _responses(data).get(node.value)
    given_in = data.nodes(answer, TIP + "givenIn") if answer is not None else []
    return Rec(
        iri=node.value,
        number=number,
        text=text.value if isinstance(text, ox.Literal) else "",
        lang=(text.language or "") if isinstance(text, ox.Literal) else "",
        report=report,
        mechanism=data.text(ox.NamedNode(report), vocab.DCT + "creator") if report else "",
        section=data.text(node, TIP + "inSection"),
        strength=data.text(node, TIP + "strength"),
        themes=tuple(sorted(n.value for n in data.nodes(node, TIP + "theme"))),
        names=tuple(
            sorted(
                n.value
                for p in ("namesOrganization", "namesDatabase")
                for n in data.nodes(node, TIP + p)
            )
        ),
        provisions=tuple(sorted(n.value for n in data.nodes(node, TIP + "citesProvision"))),
        printed=data.text(node, TIP + "printedNumber") or str(number),
        paragraph=paragraph,
        recommended_by=tuple(
            sorted(
                (n.value for n in data.nodes(node, TIP + "recommendedBy")),
                key=lambda iri: data.label(iri).text,
            )
        ),
        position=data.text(answer, TIP + "position") if answer is not None else "",
        answered_in=data.text(answer, TIP + "inReport") if answer is not None else "",
        answer_paragraph=data.number(given_in[0]) if given_in else 0,
        addressee=data.text(node, TIP + "addressee"),
    )


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
