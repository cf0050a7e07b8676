"""The HTML document of one resource: its statements by label, its text with source span and
repairs, its fragments, links out, and the statements that point to it."""

from __future__ import annotations

import re

import pyoxigraph as ox

from tipkg.locators import address_names
from tipkg.publish import vocab
from tipkg.publish.docs import Doc
from tipkg.publish.html import (
    Ctx,
    a,
    doc_formats,
    esc,
    heading,
    lang_attr,
    link,
    literal,
    page,
    statements_table,
    ul,
)
from tipkg.publish.model import Node
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


def source_file_link(ctx: Ctx, source: ox.NamedNode) -> str:
    """A link to the published copy of a source text, when the build holds it."""
    name = ctx.data.text(source, TIP + "fileName")
    if name and any(s.get("path") == name for s in ctx.data.sources):
        return a(ctx.url(f"sources/{name}"), name)
    return ""


def _offset(ctx: Ctx, node: Node, predicate: str) -> int:
    found = ctx.data.text(node, predicate)
    return int(found) if found.isdigit() else -1


def text_block(ctx: Ctx, node: Node, lang: str) -> str:
    """The text of a recommendation or paragraph, the span it was read from, and its repairs."""
    parts: list[str] = []
    for text in ctx.data.values(node, TIP + "text"):
        if isinstance(text, ox.Literal):
            parts.append(
                f'<blockquote class="text"{lang_attr(text.language or lang)}>'
                f"<p>{esc(text.value)}</p></blockquote>"
            )
    for span in ctx.data.nodes(node, TIP + "sourceSpan"):
        parts.append(span_block(ctx, span))
    repairs = ctx.data.nodes(node, TIP + "hasRepair")
    if repairs:
        parts.append(repairs_table(ctx, repairs, lang))
    for source in ctx.data.nodes(node, TIP + "hasFile"):
        file_link = source_file_link(ctx, source)
        if file_link:
            parts.append(f"<p>Text file: {file_link}</p>")
    if vocab.TIP + "ReportFile" in ctx.data.types(node) and isinstance(node, ox.NamedNode):
        file_link = source_file_link(ctx, node)
        if file_link:
            parts.append(f"<p>The text as extracted: {file_link}</p>")
    return "\n".join(parts)


def span_block(ctx: Ctx, span: ox.NamedNode) -> str:
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
    where = []
    for source in sources:
        raw = source_file_link(ctx, source)
        where.append(link(ctx, source.value) + (f" (text: {raw})" if raw else ""))
    lang = source_lang(ctx, sources[0]) if sources else ""
    _, fragment = split_fragment(span.value)
    out = [f'<section class="source" id="{esc(fragment)}-source"><h2>Source</h2>']
    if start >= 0:
        out.append(
            f"<p>Characters {start}–{end} (from 0, end excluded) of {', '.join(where)}; "
            "quoted as extracted, before repairs:</p>"
        )
    else:
        out.append(f"<p>From {', '.join(where)}:</p>")
    if quote is not None:
        out.append(
            f'<pre class="quote"{lang_attr(quote.language or lang)}>{esc(quote.value)}</pre>'
        )
    out.append("</section>")
    return "\n".join(out)


def repairs_table(ctx: Ctx, repairs: list[ox.NamedNode], lang: str) -> str:
    """The repairs of the extracted text, as a list (readable on a phone)."""
    items = []
    for repair in sorted(repairs, key=lambda r: _offset(ctx, r, TIP + "startOffset")):
        start = _offset(ctx, repair, TIP + "startOffset")
        end = _offset(ctx, repair, TIP + "endOffset")
        texts = []
        for predicate in (TIP + "originalText", TIP + "repairedText"):
            found = ctx.data.value(repair, predicate)
            if isinstance(found, ox.Literal):
                texts.append(literal(found, predicate=predicate, text_lang=lang))
            else:
                texts.append("")
        kind = esc(ctx.data.text(repair, TIP + "repairKind"))
        items.append(
            f"{a(ctx.links.iri(repair.value), f'characters {start}–{end}')} ({kind}): "
            f"{texts[0]} → {texts[1]}"
            f'<br><span class="rule">{esc(ctx.data.text(repair, TIP + "rule"))}</span>'
        )
    return (
        '<section class="repairs"><h2>Repairs of the extracted text</h2>'
        "<p>What the extraction from PDF damaged, and how it was repaired (␣ is a space, "
        "↵ a line break).</p>" + ul(items, "repairs") + "</section>"
    )


def links_out(ctx: Ctx, doc: Doc) -> str:
    items: list[str] = []
    seen: set[str] = set()
    for subject in doc.subjects:
        for triple in ctx.data.out.get(subject, ()):
            predicate = triple.predicate.value
            obj = triple.object
            if predicate == TIP + "wikidataId" and isinstance(obj, ox.Literal):
                if _WIKIDATA.match(obj.value) and obj.value not in seen:
                    seen.add(obj.value)
                    url = f"https://www.wikidata.org/wiki/{obj.value}"
                    items.append(f"Wikidata: {a(url, obj.value)}")
                    seen.add(f"http://www.wikidata.org/entity/{obj.value}")
            elif (
                isinstance(obj, ox.NamedNode)
                and predicate not in _STRUCTURAL
                and not is_ours(obj.value)
                and vocab.curie(obj.value) == obj.value
                and obj.value not in seen
            ):
                seen.add(obj.value)
                items.append(f"{link(ctx, predicate)}: {_link_out(ctx, subject, obj.value)}")
    if not items:
        return ""
    return f'<section class="links-out"><h2>Links out</h2>{ul(items)}</section>'


def _link_out(ctx: Ctx, subject: Node, url: str) -> str:
    """A link out by its name for people (in English, and in French where the resource has a
    French label: "Legislation of France in SHERLOC"), else by the database and key."""
    own = ctx.data.labels.get(subject.value, {}) if isinstance(subject, ox.NamedNode) else {}
    names = address_names(url, own.get("en", ""), own.get("fr", ""))
    if not names:
        return a(url, vocab.external_name(url), title=url)
    shown = [a(url, names["en"], title=url)]
    if "fr" in names and own.get("fr"):
        shown.append(a(url, names["fr"], lang="fr", title=url))
    return " · ".join(shown)


def incoming_table(ctx: Ctx, doc: Doc) -> str:
    grouped: dict[str, list[str]] = {}
    for triple in doc.incoming:
        subject = triple.subject
        if isinstance(subject, ox.NamedNode):
            grouped.setdefault(triple.predicate.value, []).append(subject.value)
    if not grouped:
        return ""
    rows = []
    for predicate in sorted(grouped, key=lambda p: ctx.data.label(p).text.lower()):
        subjects = sorted(set(grouped[predicate]), key=lambda s: _sort_key(ctx, s))
        values = [link(ctx, s) for s in subjects]
        cell = values[0] if len(values) == 1 else ul(values)
        rows.append(
            f'<tr><th scope="row">{link(ctx, predicate)} <span class="count">'
            f"({len(values)})</span></th><td>{cell}</td></tr>"
        )
    return (
        '<section class="incoming"><h2>Statements that point here</h2>'
        "<p>Resources that have this one as the value of a property.</p>"
        f'<div class="scroll"><table class="statements"><tbody>{"".join(rows)}</tbody>'
        "</table></div></section>"
    )


def _sort_key(ctx: Ctx, iri: str) -> tuple[int, str]:
    number = ctx.data.number(ox.NamedNode(iri))
    return (number, ctx.data.label(iri).text.lower())


def render(ctx: Ctx, doc: Doc, jsonld: bytes) -> bytes:
    """The HTML document of a resource, with its own JSON-LD embedded."""
    main = ox.NamedNode(doc.iri)
    lang = text_lang(ctx, main)
    types = [link(ctx, t) for t in ctx.data.types(main)]
    body = [
        heading(ctx, doc.iri),
        f'<p class="iri">IRI <code>{esc(doc.iri)}</code>'
        + (f" · {', '.join(types)}" if types else "")
        + "</p>",
        doc_formats(ctx, doc.stem),
        text_block(ctx, main, lang),
    ]
    own = ctx.data.out.get(main, [])
    if own:
        body.append(
            '<section class="statements"><h2>Statements</h2>'
            + statements_table(ctx, own, text_lang=lang)
            + "</section>"
        )
    for subject in doc.subjects:
        if not isinstance(subject, ox.NamedNode) or subject.value == doc.iri:
            continue
        _, fragment = split_fragment(subject.value)
        body.append(
            f'<section class="fragment" id="{esc(fragment)}">'
            + heading(ctx, subject.value, 2)
            + f'<p class="iri">IRI <code>{esc(subject.value)}</code></p>'
            + statements_table(ctx, ctx.data.out.get(subject, []), text_lang=lang)
            + "</section>"
        )
    body.append(links_out(ctx, doc))
    body.append(incoming_table(ctx, doc))
    title = ctx.data.label(doc.iri).text
    return page(
        ctx,
        title=title,
        body="\n".join(part for part in body if part),
        stem=doc.stem,
        jsonld=jsonld,
    )
