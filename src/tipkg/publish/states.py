"""The pages of reviews and States (issue 15): a review of a State by the Universal Periodic Review
(templates/review.html), a State (templates/state.html) and the index of both (states.html).

A review and a State are things of the graph: their pages are their documents (``doc/meeting/…``,
``doc/state/…``, the paths every link to them already takes), rendered with their own template
instead of the generic one; the generic statements follow, folded. Everything shown is read from
the graph through the publish model, as the other pages are.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
from markupsafe import Markup

from tipkg.publish import vocab
from tipkg.publish.docs import Doc
from tipkg.publish.html import A, Ctx, Lit, a, doc_formats, heading, link, page, statements
from tipkg.publish.indexes import filter_index
from tipkg.publish.pages import incoming, links_out
from tipkg.publish.records import Rec, participations, recommendations

TIP = vocab.TIP
TROIKA = TIP + "role/troika"
POSITIONS = (TIP + "position/supported", TIP + "position/noted")
"""The positions a State under review takes, in the order the addendum counts them."""

CQ_COLUMNS = (
    ("mechanism", "mechanism_label"),
    ("document", "document"),
    ("number", "printed"),
    ("recommended_by", "recommended_by"),
    ("response", "response"),
    ("response_document", "response_document"),
    ("response_paragraph", "response_paragraph"),
    ("text", "text"),
)
"""The CSV download of a review's or a State's page: the columns of the competency question
trafficking-recommendations-to-state.rq (column name, key of the filter index)."""


@dataclass(frozen=True)
class Review:
    iri: str
    state: str
    body: str
    session: str
    cycle: str
    start: str
    end: str
    place: dict[str, str]
    troika: tuple[str, ...]
    #: The review's documents: its report first, then the addenda (the State's responses).
    reports: tuple[str, ...]


def reviews(ctx: Ctx) -> list[Review]:
    """Every review of the graph (tip:Review), by State under review then session."""
    data = ctx.data
    found = []
    for node in data.instances(TIP + "Review"):
        reports = [r for r in data.subjects(TIP + "reportOf", node) if isinstance(r, ox.NamedNode)]
        reports.sort(key=lambda r: (bool(data.nodes(r, TIP + "addendumTo")), r.value))
        found.append(
            Review(
                iri=node.value,
                state=data.text(node, TIP + "stateUnderReview"),
                body=data.text(node, TIP + "meetingOf"),
                session=data.text(node, TIP + "session"),
                cycle=data.text(node, TIP + "cycle"),
                start=data.text(node, TIP + "startDate"),
                end=data.text(node, TIP + "endDate"),
                place=data.literals(node, TIP + "place"),
                troika=tuple(
                    sorted(
                        (
                            p.participant
                            for p in participations(data, node.value)
                            if p.role == TROIKA
                        ),
                        key=lambda iri: ctx.label(iri).text,
                    )
                ),
                reports=tuple(r.value for r in reports),
            )
        )
    return sorted(found, key=lambda r: (ctx.label(r.state).text, r.session, r.iri))


def review_of(ctx: Ctx, rec: Rec) -> str:
    """The review whose report holds the recommendation, or ''."""
    if not rec.report:
        return ""
    for meeting in ctx.data.nodes(ox.NamedNode(rec.report), TIP + "reportOf"):
        if TIP + "Review" in ctx.data.types(meeting):
            return meeting.value
    return ""


def recs_of_review(ctx: Ctx, review: Review) -> list[Rec]:
    return [r for r in recommendations(ctx.data) if r.report in review.reports]


def to_all_parties(ctx: Ctx) -> list[Rec]:
    """Recommendations addressed to the States parties (the Working Group's): the graph does not
    record which States are parties, so every State's page names them (as the competency
    question trafficking-recommendations-to-state.rq does)."""
    return [r for r in recommendations(ctx.data) if r.addressee == TIP + "addressee/states-parties"]


def _document(ctx: Ctx, report: str) -> str:
    """A document as the competency questions name it: its UN symbol, else tipkg's key."""
    node = ox.NamedNode(report)
    return ctx.data.text(node, TIP + "documentSymbol") or ctx.data.text(node, TIP + "documentKey")


def _en(ctx: Ctx, iri: str) -> str:
    """The English label (the CSV's columns are the competency question's, in English)."""
    return ctx.data.label(iri, ("en", "")).text


def rec_item(ctx: Ctx, rec: Rec, i: int) -> dict[str, object]:
    """A recommendation in a review's or a State's list: number, recommending State(s),
    response, themes, text."""
    response: list[A] = []
    if rec.position:
        response.append(link(ctx, rec.position))
        if rec.answered_in:
            where = _document(ctx, rec.answered_in)
            if rec.answer_paragraph:
                where = ctx.t("review.paragraph", document=where, paragraph=rec.answer_paragraph)
            response.append(a(ctx.links.iri(rec.answered_in), where))
    return {
        "i": i,
        "link": a(ctx.links.iri(rec.iri), rec.printed, title=ctx.label(rec.iri).text),
        "by": [link(ctx, s) for s in rec.recommended_by],
        "response": response,
        "themes": [link(ctx, t) for t in rec.themes],
        "text": Lit(rec.text, rec.lang),
    }


def _index(ctx: Ctx, recs: list[Rec]) -> Markup:
    """The filter index of a page: the recommendations page's, with what a review adds."""
    entries = filter_index(ctx, recs)
    for entry, rec in zip(entries, recs, strict=True):
        entry.update(
            {
                "theme": [_notation(ctx, t) for t in rec.themes],
                "by": list(rec.recommended_by),
                "response": ctx.data.text(ox.NamedNode(rec.position), vocab.SKOS + "notation")
                if rec.position
                else "",
                "mechanism_label": _en(ctx, rec.mechanism) if rec.mechanism else "",
                "document": _document(ctx, rec.report) if rec.report else "",
                "recommended_by": "; ".join(_en(ctx, s) for s in rec.recommended_by)
                or (_en(ctx, rec.mechanism) if rec.mechanism else ""),
                "response_document": _document(ctx, rec.answered_in) if rec.answered_in else "",
                "response_paragraph": rec.answer_paragraph or "",
            }
        )
    # JSON with every '<' as \u003c: cannot close the script element
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return Markup(text)  # noqa: S704


def _notation(ctx: Ctx, iri: str) -> str:
    return ctx.data.text(ox.NamedNode(iri), vocab.SKOS + "notation") or iri


def _filters(ctx: Ctx, recs: list[Rec]) -> list[dict[str, object]]:
    """The filters that offer a choice here: theme (every theme, trafficking in persons itself
    included: a review's recommendations are on many subjects), report, recommending State and
    response. A filter with one value or none is left out."""

    def option(iri: str, value: str) -> dict[str, str]:
        label = ctx.label(iri)
        return {"value": value, "text": label.text, "lang": label.lang}

    def by_label(iris: set[str]) -> list[str]:
        return sorted(iris, key=lambda i: ctx.label(i).text.lower())

    choices = (
        (
            "theme",
            "filter.theme",
            [option(t, _notation(ctx, t)) for t in by_label({t for r in recs for t in r.themes})],
        ),
        ("report", "filter.report", [option(r, r) for r in dict.fromkeys(x.report for x in recs)]),
        (
            "by",
            "filter.recommended_by",
            [option(s, s) for s in by_label({s for r in recs for s in r.recommended_by})],
        ),
        (
            "response",
            "filter.response",
            [option(p, _notation(ctx, p)) for p in POSITIONS if any(r.position == p for r in recs)],
        ),
    )
    return [
        {"name": name, "label": ctx.t(key), "groups": [{"label": "", "options": options}]}
        for name, key, options in choices
        if len(options) > 1
    ]


def _columns() -> str:
    return ";".join(f"{name}={key}" for name, key in CQ_COLUMNS)


def _generic(ctx: Ctx, doc: Doc) -> dict[str, object]:
    """The generic part of a document (its statements, and those that point to it), folded."""
    main = ox.NamedNode(doc.iri)
    return {
        "iri": doc.iri,
        "types": [link(ctx, t) for t in ctx.data.types(main)],
        "formats": doc_formats(ctx, doc.stem),
        "own": statements(ctx, ctx.data.out.get(main, [])),
        "incoming": incoming(ctx, doc),
        "links_out": links_out(ctx, doc),
    }


def _counts(ctx: Ctx, recs: list[Rec]) -> list[dict[str, object]]:
    """Supported and noted: in all, and per document that gives the responses."""
    rows = []
    for position in POSITIONS:
        answered = [r for r in recs if r.position == position]
        by_doc = Counter(r.answered_in for r in answered)
        rows.append(
            {
                "position": link(ctx, position),
                "count": len(answered),
                "documents": [
                    {"link": link(ctx, d, text=None), "symbol": _document(ctx, d), "count": n}
                    for d, n in sorted(by_doc.items())
                    if d
                ],
            }
        )
    return rows


def _crumbs(ctx: Ctx, last: str) -> list[A]:
    return [
        a(ctx.url("index.html"), ctx.t("nav.home")),
        a(ctx.url("states.html"), ctx.t("nav.states")),
        A(last),
    ]


def review_page(ctx: Ctx, doc: Doc, review: Review, jsonld: bytes) -> bytes:
    recs = recs_of_review(ctx, review)
    title = ctx.label(review.iri).text
    documents = []
    for report in review.reports:
        node = ox.NamedNode(report)
        documents.append(
            {
                "link": link(ctx, report),
                "symbol": _document(ctx, report),
                "issued": ctx.data.text(node, vocab.DCT + "issued"),
                "kinds": [link(ctx, k.value) for k in ctx.data.nodes(node, TIP + "documentKind")],
                "count": sum(1 for r in recs if r.report == report),
                "answers": sum(1 for r in recs if r.answered_in == report),
            }
        )
    return page(
        ctx,
        "review.html",
        title=title,
        stem=doc.stem,
        jsonld=jsonld,
        heading=heading(ctx, review.iri),
        crumbs=_crumbs(ctx, title),
        state=link(ctx, review.state) if review.state else None,
        body=link(ctx, review.body) if review.body else None,
        session=review.session,
        cycle=review.cycle,
        start=review.start,
        end=review.end,
        place=review.place.get(ctx.lang) or next(iter(review.place.values()), ""),
        troika=[link(ctx, s) for s in review.troika],
        documents=documents,
        total=len(recs),
        counts=_counts(ctx, recs),
        unanswered=sum(1 for r in recs if not r.position),
        recs=[rec_item(ctx, r, i) for i, r in enumerate(recs)],
        filters=_filters(ctx, recs),
        columns=_columns(),
        index=_index(ctx, recs),
        generic=_generic(ctx, doc),
    )


def state_page(ctx: Ctx, doc: Doc, jsonld: bytes) -> bytes:
    state = doc.iri
    title = ctx.label(state).text
    own_reviews = [r for r in reviews(ctx) if r.state == state]
    received = [r for review in own_reviews for r in recs_of_review(ctx, review)]
    made = [r for r in recommendations(ctx.data) if state in r.recommended_by]
    parties = to_all_parties(ctx)
    shown = received + made
    groups = [
        {
            "id": "received",
            "title": ctx.t("state.received", count=len(recs_of_review(ctx, review))),
            "review": link(ctx, review.iri),
            "recs": [rec_item(ctx, r, shown.index(r)) for r in recs_of_review(ctx, review)],
        }
        for review in own_reviews
    ]
    by_review: dict[str, list[Rec]] = {}
    for rec in made:
        by_review.setdefault(review_of(ctx, rec) or rec.report, []).append(rec)
    groups += [
        {
            "id": f"made-{n}",
            "title": ctx.t("state.made_in", count=len(recs)),
            "review": link(ctx, key),
            "recs": [rec_item(ctx, r, len(received) + made.index(r)) for r in recs],
        }
        for n, (key, recs) in enumerate(by_review.items())
    ]
    mechanisms = sorted({r.mechanism for r in parties if r.mechanism})
    node = ox.NamedNode(state)
    return page(
        ctx,
        "state.html",
        title=title,
        stem=doc.stem,
        jsonld=jsonld,
        heading=heading(ctx, state),
        crumbs=_crumbs(ctx, title),
        iso3=ctx.data.text(node, TIP + "iso3166Alpha3"),
        reviews=[
            {"link": link(ctx, r.iri), "count": len(recs_of_review(ctx, r))} for r in own_reviews
        ],
        received=len(received),
        made=len(made),
        recommenders=len({s for r in received for s in r.recommended_by}),
        groups=groups,
        parties={
            "count": len(parties),
            "addressee": link(ctx, TIP + "addressee/states-parties"),
            "mechanisms": [
                {
                    "link": link(ctx, m),
                    "href": ctx.url("recommendations.html") + "?mechanism=" + quote(m, safe=""),
                    "numbers": [
                        a(ctx.links.iri(r.iri), r.printed, title=ctx.label(r.iri).text)
                        for r in parties
                        if r.mechanism == m
                    ],
                }
                for m in mechanisms
            ],
        },
        filters=_filters(ctx, shown) if shown else [],
        columns=_columns(),
        index=_index(ctx, shown),
        generic=_generic(ctx, doc),
    )


def states_page(ctx: Ctx) -> bytes:
    """The reviews, then every State the graph links to a recommendation or a review (under
    review, recommending, troika), with its counts; the other States' pages exist too."""
    all_reviews = reviews(ctx)
    recs = recommendations(ctx.data)
    received: Counter[str] = Counter()
    for review in all_reviews:
        received[review.state] += len(recs_of_review(ctx, review))
    made: Counter[str] = Counter(s for r in recs for s in r.recommended_by)
    troika = {s for r in all_reviews for s in r.troika}
    named = set(received) | set(made) | troika
    rows = [
        {
            "link": link(ctx, s),
            "iso3": ctx.data.text(ox.NamedNode(s), TIP + "iso3166Alpha3"),
            "received": received.get(s, 0),
            "made": made.get(s, 0),
        }
        for s in sorted(named, key=lambda s: ctx.label(s).text.lower())
    ]
    title = ctx.t("states.title")
    return page(
        ctx,
        "states.html",
        title=title,
        crumbs=[a(ctx.url("index.html"), ctx.t("nav.home")), A(title)],
        reviews=[
            {
                "link": link(ctx, r.iri),
                "state": link(ctx, r.state),
                "session": r.session,
                "cycle": r.cycle,
                "count": len(recs_of_review(ctx, r)),
            }
            for r in all_reviews
        ],
        states=rows,
        others=len(ctx.data.instances(TIP + "State")) - len(named),
    )


def special_page(ctx: Ctx, doc: Doc, jsonld: bytes) -> bytes | None:
    """The page of a review or a State, or None for any other document (the generic page)."""
    types = ctx.data.types(ox.NamedNode(doc.iri))
    if TIP + "Review" in types:
        for review in reviews(ctx):
            if review.iri == doc.iri:
                return review_page(ctx, doc, review, jsonld)
    if TIP + "State" in types:
        return state_page(ctx, doc, jsonld)
    return None
