"""The HTML document of one resource (templates/resource.html): its text first, then its source
span and repairs, its statements by label, its fragments, links out, and the statements that point
to it; a recommendation's page has breadcrumbs, previous and next, and folds all but its text."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox

from tipkg.locators import address_names
from tipkg.publish import vocab
from tipkg.publish.docs import Doc
from tipkg.publish.html import (
    A,
    Ctx,
    Lit,
    Row,
    Rows,
    a,
    doc_formats,
    heading,
    link,
    literal,
    page,
    statements,
)
from tipkg.publish.model import Node
from tipkg.publish.records import Rec, recommendation, recommendation_order
from tipkg.publish.urls import is_ours, split_fragment

TIP = vocab.TIP
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_STRUCTURAL = frozenset(
    {
        vocab.RDF_TYPE,
        vocab.RDFS + "subClassOf",
        vocab.RDFS + "subPropertyOf",
        vocab.RDFS + "domain",
        vocab.RDFS + "range",
        vocab.RDFS + "isDefinedBy",
        vocab.OWL + "equivalentClass",
        vocab.OWL + "equivalentProperty",
    }
)


def text_lang(ctx: Ctx, node: Node) -> str:
    """The language of the source text a resource quotes (untagged quotes inherit it)."""
    for value in ctx.data.values(node, TIP + "text"):
        if isinstance(value, ox.Literal) and value.language:
            return value.language
    for source in ctx.data.nodes(node, TIP + "inSource"):
        return source_lang(ctx, source)
    return ""


def source_lang(ctx: Ctx, source: ox.NamedNode) -> str:
    for expression in ctx.data.subjects(TIP + "hasFile", source):
        lang = ctx.data.text(expression, vocab.DCT + "language")
        if lang:
            return lang
    return ""


def source_file_link(ctx: Ctx, source: ox.NamedNode) -> A | None:
    """A link to the published copy of a source text, when the build holds it."""
    name = ctx.data.text(source, TIP + "fileName")
    if name and ctx.data.has_source(name):
        return a(ctx.url(f"sources/{name}"), name)
    return None


def _offset(ctx: Ctx, node: Node, predicate: str) -> int:
    found = ctx.data.text(node, predicate)
    return int(found) if found.isdigit() else -1


def texts(ctx: Ctx, node: Node, lang: str) -> list[Lit]:
    return [
        Lit(text.value, text.language or lang)
        for text in ctx.data.values(node, TIP + "text")
        if isinstance(text, ox.Literal)
    ]


PDF = "application/pdf"


def is_pdf(ctx: Ctx, source: Node) -> bool:
    return ctx.data.text(source, vocab.DCT + "format") == PDF


def pdf_pages(ctx: Ctx, node: Node) -> list[A]:
    """Links to the pages of the official PDF where a resource is printed (issue 16): the
    published copy of the PDF its span came from, opened at the place an RFC 8118
    FragmentSelector gives (``#page=11&viewrect=…``: viewers that ignore viewrect still open the
    page). Only spans whose source is a PDF the site holds: a text source gets no link, never a
    broken one."""
    found: list[A] = []
    for span_node in ctx.data.nodes(node, TIP + "sourceSpan"):
        for source in ctx.data.nodes(span_node, vocab.OA + "hasSource"):
            copy = source_file_link(ctx, source) if is_pdf(ctx, source) else None
            if copy is None:
                continue
            for selector in ctx.data.nodes(span_node, vocab.OA + "hasSelector"):
                if vocab.OA + "FragmentSelector" not in ctx.data.types(selector):
                    continue
                fragment = ctx.data.text(selector, vocab.RDF + "value")
                page_number = re.match(r"page=([0-9]+)", fragment)
                if page_number is None:
                    continue
                found.append(
                    a(
                        f"{copy.href}#{fragment}",
                        ctx.t("resource.pdf_page", page=page_number.group(1), file=copy.text),
                        title=fragment,
                    )
                )
    return sorted(found, key=lambda link: (len(link.href), link.href))


def files(ctx: Ctx, node: Node) -> list[dict[str, object]]:
    """The published copies of a report's or an expression's files, or of a file node itself:
    the text as extracted, or the official PDF (said as such)."""
    sources = list(ctx.data.nodes(node, TIP + "hasFile"))
    # a report's page reaches its files through its language versions (FRBR: work, expression)
    for expression in ctx.data.nodes(node, TIP + "hasExpression"):
        sources += ctx.data.nodes(expression, TIP + "hasFile")
    if vocab.TIP + "ReportFile" in ctx.data.types(node) and isinstance(node, ox.NamedNode):
        sources.append(node)
    return [
        {"link": found, "pdf": is_pdf(ctx, source)}
        for source in sources
        if (found := source_file_link(ctx, source))
    ]


def span(ctx: Ctx, span: ox.NamedNode) -> dict[str, object]:
    sources = ctx.data.nodes(span, vocab.OA + "hasSource")
    start = end = -1
    quote: ox.Literal | None = None
    for selector in ctx.data.nodes(span, vocab.OA + "hasSelector"):
        types = ctx.data.types(selector)
        if vocab.OA + "TextPositionSelector" in types:
            start = _offset(ctx, selector, vocab.OA + "start")
            end = _offset(ctx, selector, vocab.OA + "end")
        if vocab.OA + "TextQuoteSelector" in types:
            found = ctx.data.value(selector, vocab.OA + "exact")
            quote = found if isinstance(found, ox.Literal) else None
    lang = source_lang(ctx, sources[0]) if sources else ""
    _, fragment = split_fragment(span.value)
    return {
        "id": fragment,
        "start": start,
        "end": end,
        "where": [
            {"link": link(ctx, source.value), "raw": source_file_link(ctx, source)}
            for source in sources
        ],
        "quote": Lit(quote.value, quote.language or lang) if quote is not None else None,
    }


def repairs(ctx: Ctx, node: Node, lang: str) -> list[dict[str, object]]:
    """The repairs of the extracted text, as a list (readable on a phone)."""
    items = []
    found = ctx.data.nodes(node, TIP + "hasRepair")
    for repair in sorted(found, key=lambda r: _offset(ctx, r, TIP + "startOffset")):
        start = _offset(ctx, repair, TIP + "startOffset")
        end = _offset(ctx, repair, TIP + "endOffset")
        shown: list[Lit] = []
        for predicate in (TIP + "originalText", TIP + "repairedText"):
            value = ctx.data.value(repair, predicate)
            shown.append(
                literal(value, predicate=predicate, text_lang=lang)
                if isinstance(value, ox.Literal)
                else Lit("")
            )
        items.append(
            {
                "link": a(
                    ctx.links.iri(repair.value),
                    ctx.t("resource.repair_span", start=start, end=end),
                ),
                "kind": ctx.data.text(repair, TIP + "repairKind"),
                "original": shown[0],
                "repaired": shown[1],
                "rule": ctx.data.text(repair, TIP + "rule"),
            }
        )
    return items


def links_out(ctx: Ctx, doc: Doc) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    seen: set[str] = set()
    for subject in doc.subjects:
        for triple in ctx.data.out.get(subject, ()):
            predicate = triple.predicate.value
            obj = triple.object
            if predicate == TIP + "wikidataId" and isinstance(obj, ox.Literal):
                if _WIKIDATA.match(obj.value) and obj.value not in seen:
                    seen.add(obj.value)
                    url = f"https://www.wikidata.org/wiki/{obj.value}"
                    items.append(
                        {"predicate": None, "name": "Wikidata", "links": [a(url, obj.value)]}
                    )
                    seen.add(f"http://www.wikidata.org/entity/{obj.value}")
            elif (
                isinstance(obj, ox.NamedNode)
                and predicate not in _STRUCTURAL
                and not is_ours(obj.value)
                and vocab.curie(obj.value) == obj.value
                and obj.value not in seen
            ):
                seen.add(obj.value)
                items.append(
                    {
                        "predicate": link(ctx, predicate),
                        "name": "",
                        "links": _link_out(ctx, subject, obj.value),
                    }
                )
    return items


def _link_out(ctx: Ctx, subject: Node, url: str) -> list[A]:
    """A link out by its name for people (in English, and in French where the resource has a
    French label: "Legislation of France in SHERLOC"), else by the database and key."""
    own = ctx.data.labels.get(subject.value, {}) if isinstance(subject, ox.NamedNode) else {}
    names = address_names(url, own.get("en", ""), own.get("fr", ""))
    if not names:
        return [a(url, vocab.external_name(url), title=url)]
    shown = [a(url, names["en"], title=url)]
    if "fr" in names and own.get("fr"):
        shown.append(a(url, names["fr"], lang="fr", title=url))
    return shown


def incoming(ctx: Ctx, doc: Doc) -> Rows:
    grouped: dict[str, list[str]] = {}
    for triple in doc.incoming:
        subject = triple.subject
        if isinstance(subject, ox.NamedNode):
            grouped.setdefault(triple.predicate.value, []).append(subject.value)
    rows = []
    for predicate in sorted(grouped, key=lambda p: ctx.label(p).text.lower()):
        subjects = sorted(set(grouped[predicate]), key=lambda s: _sort_key(ctx, s))
        values: list[A | Lit] = [link(ctx, s) for s in subjects]
        rows.append(Row(link(ctx, predicate), list(values), count=len(values)))
    return Rows(rows)


def _sort_key(ctx: Ctx, iri: str) -> tuple[int, str]:
    number = ctx.data.number(ox.NamedNode(iri))
    return (number, ctx.label(iri).text.lower())


def _neighbours(ctx: Ctx, iri: str) -> tuple[str, Rec | None, str]:
    """The recommendation before, this one, the one after; None and "" for other things."""
    node = ox.NamedNode(iri)
    if TIP + "Recommendation" not in ctx.data.types(node):
        return "", None, ""
    order = recommendation_order(ctx.data)
    i = order.index(iri)
    before = order[i - 1] if i > 0 else ""
    after = order[i + 1] if i + 1 < len(order) else ""
    return before, recommendation(ctx.data, node), after


def official(ctx: Ctx, report: str) -> list[A]:
    """The official United Nations document of a report, where the graph knows its symbol
    (tip:documentSymbol is never guessed): undocs.org, the UN's own resolver of symbols."""
    if not report:
        return []
    symbols = ctx.data.values(ox.NamedNode(report), TIP + "documentSymbol")
    return [
        a(f"https://undocs.org/{quote(s.value, safe='/')}", s.value)
        for s in symbols
        if isinstance(s, ox.Literal) and s.value
    ]


def _review_facts(ctx: Ctx, rec: Rec) -> dict[str, object]:
    """A review's recommendation: who made it (each State linked to its page), the response of
    the State under review, and the review."""
    # imported here: states.py reuses this module's incoming statements and links out
    from tipkg.publish.states import rec_item, review_of

    item = rec_item(ctx, rec, 0)
    found = review_of(ctx, rec)
    return {
        "by": item["by"],
        "response": item["response"],
        "review": link(ctx, found) if found else None,
    }


def _rec_link(ctx: Ctx, iri: str) -> A | None:
    return link(ctx, iri) if iri else None


def render(ctx: Ctx, doc: Doc, jsonld: bytes) -> bytes:
    """The HTML document of a resource, with its own JSON-LD embedded."""
    main = ox.NamedNode(doc.iri)
    lang = text_lang(ctx, main)
    before, rec, after = _neighbours(ctx, doc.iri)
    is_report = TIP + "Report" in ctx.data.types(main)
    crumbs = [a(ctx.url("index.html"), ctx.t("nav.home"))]
    facts: list[A] = []
    review: dict[str, object] | None = None
    if rec is not None:
        crumbs.append(a(ctx.url("recommendations.html"), ctx.t("nav.recommendations")))
        crumbs += [link(ctx, part) for part in (rec.report, rec.section) if part]
        shown = (rec.strength, *rec.themes, *rec.names, *rec.provisions)
        facts = [link(ctx, iri) for iri in shown if iri]
        if rec.recommended_by or rec.position:
            review = _review_facts(ctx, rec)
    crumbs.append(A(ctx.label(doc.iri).text))
    own = ctx.data.out.get(main, [])
    fragments = []
    for subject in doc.subjects:
        if not isinstance(subject, ox.NamedNode) or subject.value == doc.iri:
            continue
        _, fragment = split_fragment(subject.value)
        fragments.append(
            {
                "id": fragment,
                "heading": heading(ctx, subject.value),
                "iri": subject.value,
                "rows": statements(ctx, ctx.data.out.get(subject, []), text_lang=lang),
            }
        )
    return page(
        ctx,
        "resource.html",
        title=ctx.label(doc.iri).text,
        stem=doc.stem,
        jsonld=jsonld,
        heading=heading(ctx, doc.iri),
        crumbs=crumbs,
        is_rec=rec is not None,
        pager={"prev": _rec_link(ctx, before), "next": _rec_link(ctx, after)}
        if rec is not None
        else None,
        texts=texts(ctx, main, lang),
        facts=facts,
        review=review,
        pdf=pdf_pages(ctx, main),
        official=official(ctx, rec.report if rec is not None else (doc.iri if is_report else "")),
        iri=doc.iri,
        types=[link(ctx, t) for t in ctx.data.types(main)],
        formats=doc_formats(ctx, doc.stem),
        sources=[span(ctx, s) for s in ctx.data.nodes(main, TIP + "sourceSpan")],
        repairs=repairs(ctx, main, lang),
        files=files(ctx, main),
        own=statements(ctx, own, text_lang=lang),
        fragments=fragments,
        links_out=links_out(ctx, doc),
        incoming=incoming(ctx, doc),
    )
