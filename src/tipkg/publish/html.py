"""The page frame and the pieces every page is made of; every value goes through ``esc``.

Pages are HTML5 in English (``<html lang="en">``); a literal tagged with another language is
wrapped in an element carrying its ``lang``. Links to our resources go to their HTML documents
under the base URL; links out are plain ``<a href>`` (nothing is loaded from another host).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

import pyoxigraph as ox

from tipkg.publish import vocab
from tipkg.publish.formats import jsonld_for_html
from tipkg.publish.model import BuildData, Label, Term
from tipkg.publish.urls import FORMAT_NAMES, RDF_FORMATS, Links, dataset_iri, doc_stem

PAGE_LANG = "en"
SITE_TITLE = "tipkg — recommendations of the Working Group on Trafficking in Persons"
UN_TERMS = "https://www.un.org/en/about-us/terms-of-use"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

NAV: tuple[tuple[str, str], ...] = (
    ("index.html", "Home"),
    ("recommendations.html", "Recommendations"),
    ("search.html", "Search"),
    ("participants.html", "Participants"),
    ("meetings.html", "Meeting & report"),
    ("doc/ontology.html", "Ontology"),
    ("schemes.html", "Schemes"),
    ("pictures.html", "Pictures"),
    ("doc/dataset/tipkg.html", "Data"),
)

_SAFE_SCHEME = re.compile(r"^(https?:|file:|mailto:|/|#|[a-zA-Z0-9._~-]+(/|$|#))")
VISIBLE_WHITESPACE = frozenset({vocab.TIP + "originalText", vocab.TIP + "repairedText"})
SOURCE_TEXT = frozenset(
    {vocab.OA + "exact", vocab.TIP + "matchedText", vocab.TIP + "originalText", vocab.TIP + "text"}
)


def esc(text: object) -> str:
    """Escape for HTML text and attribute values alike (& < > " ')."""
    return escape(str(text), quote=True)


def lang_attr(lang: str, around: str = PAGE_LANG) -> str:
    return f' lang="{esc(lang)}"' if lang and lang != around else ""


def href(url: str) -> str:
    """An attribute-safe href; a URL with an unexpected scheme (javascript:, data:) gives ''."""
    return esc(url) if _SAFE_SCHEME.match(url) else ""


@dataclass
class Ctx:
    """What every renderer needs: the build, where links go, and the build's time and version."""

    data: BuildData
    links: Links

    def url(self, path: str) -> str:
        return self.links.site(path)


def a(url: str | None, text: str, *, lang: str = "", title: str = "", cls: str = "") -> str:
    attrs = lang_attr(lang)
    if title:
        attrs += f' title="{esc(title)}"'
    if cls:
        attrs += f' class="{esc(cls)}"'
    target = href(url) if url else ""
    if not target:
        return f"<span{attrs}>{esc(text)}</span>"
    return f'<a href="{target}"{attrs}>{esc(text)}</a>'


def label_html(label: Label) -> str:
    return (
        f"<span{lang_attr(label.lang)}>{esc(label.text)}</span>" if label.lang else esc(label.text)
    )


def link(ctx: Ctx, iri: str, *, text: Label | None = None) -> str:
    """A link to an IRI, shown by its label (the IRI in the tooltip)."""
    shown = text or ctx.data.label(iri)
    return a(ctx.links.iri(iri), shown.text, lang=shown.lang, title=iri)


def literal(term: ox.Literal, *, predicate: str = "", text_lang: str = "") -> str:
    lang = term.language or ""
    datatype = term.datatype.value
    if not lang and predicate in SOURCE_TEXT and datatype == vocab.XSD + "string":
        lang = text_lang
    text = term.value
    if predicate in VISIBLE_WHITESPACE:
        shown = esc(text).replace(" ", "␣").replace("\n", "↵")
        return f'<code class="ws"{lang_attr(lang)} title="{esc(repr(text))}">{shown}</code>'
    cls = ' class="pre"' if "\n" in text else ""
    title = ""
    if not term.language and datatype not in (vocab.XSD + "string",):
        title = f' title="{esc(vocab.curie(datatype))}"'
    return f"<span{cls}{lang_attr(lang)}{title}>{esc(text)}</span>"


def value(ctx: Ctx, term: Term, *, predicate: str = "", text_lang: str = "", depth: int = 0) -> str:
    if isinstance(term, ox.Literal):
        return literal(term, predicate=predicate, text_lang=text_lang)
    if isinstance(term, ox.NamedNode):
        return link(ctx, term.value)
    return blank(ctx, term, text_lang=text_lang, depth=depth)


def rdf_list(ctx: Ctx, node: ox.BlankNode, depth: int) -> list[Term] | None:
    items: list[Term] = []
    current: Term = node
    seen: set[str] = set()
    while isinstance(current, ox.BlankNode) and current.value not in seen:
        seen.add(current.value)
        first = ctx.data.value(current, vocab.RDF + "first")
        rest = ctx.data.value(current, vocab.RDF + "rest")
        if first is None or rest is None:
            return None
        items.append(first)
        current = rest
    if not (isinstance(current, ox.NamedNode) and current.value == vocab.RDF + "nil"):
        return None
    return items


def blank(ctx: Ctx, node: ox.BlankNode, *, text_lang: str = "", depth: int = 0) -> str:
    """A blank node, described in place (an RDF list as a list)."""
    if depth > 6:
        return "…"
    items = rdf_list(ctx, node, depth)
    if items is not None:
        inner = "".join(f"<li>{value(ctx, i, depth=depth + 1)}</li>" for i in items)
        return f'<ol class="rdf-list">{inner}</ol>'
    return statements_table(
        ctx, ctx.data.out.get(node, []), text_lang=text_lang, depth=depth + 1, nested=True
    )


def _predicate_order(ctx: Ctx, predicate: str) -> tuple[int, str]:
    first = (vocab.RDF_TYPE, *vocab.LABEL_PREDICATES)
    if predicate in first:
        return (first.index(predicate), "")
    return (len(first), ctx.data.label(predicate).text.lower())


def statements_table(
    ctx: Ctx,
    triples: Iterable[ox.Triple],
    *,
    text_lang: str = "",
    depth: int = 0,
    nested: bool = False,
) -> str:
    """Property → values, each shown by label."""
    grouped: dict[str, list[Term]] = {}
    for triple in triples:
        obj = triple.object
        assert isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
        grouped.setdefault(triple.predicate.value, []).append(obj)
    if not grouped:
        return ""
    rows = []
    for predicate in sorted(grouped, key=lambda p: _predicate_order(ctx, p)):
        values = [
            value(ctx, v, predicate=predicate, text_lang=text_lang, depth=depth)
            for v in grouped[predicate]
        ]
        cell = (
            values[0]
            if len(values) == 1
            else "<ul>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>"
        )
        rows.append(f'<tr><th scope="row">{link(ctx, predicate)}</th><td>{cell}</td></tr>')
    cls = "statements nested" if nested else "statements"
    table = f'<table class="{cls}"><tbody>{"".join(rows)}</tbody></table>'
    return table if nested else f'<div class="scroll">{table}</div>'


def doc_formats(ctx: Ctx, stem: str) -> str:
    items = " · ".join(
        f'<a href="{href(ctx.links.doc(stem, ext))}" type="{esc(mt)}">{esc(FORMAT_NAMES[ext])}</a>'
        for ext, mt in _media_types()
    )
    return f'<p class="formats">Also as {items}</p>'


def _media_types() -> list[tuple[str, str]]:
    from tipkg.publish.urls import FORMATS

    return [(ext, FORMATS[ext]) for ext in RDF_FORMATS]


def page(
    ctx: Ctx,
    *,
    title: str,
    body: str,
    stem: str = "",
    jsonld: bytes | None = None,
    description: str = "",
) -> bytes:
    """A whole HTML5 page; ``body`` is already escaped HTML."""
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} · tipkg</title>",
        f'<link rel="stylesheet" href="{href(ctx.url("static/style.css"))}">',
        f'<link rel="icon" href="{href(ctx.url("static/favicon.svg"))}" type="image/svg+xml">',
    ]
    if description:
        head.append(f'<meta name="description" content="{esc(description)}">')
    if stem:
        for ext, media_type in _media_types():
            head.append(
                f'<link rel="alternate" type="{esc(media_type)}" '
                f'href="{href(ctx.links.doc(stem, ext))}">'
            )
    if jsonld is not None:
        head.append(f'<script type="application/ld+json">{jsonld_for_html(jsonld)}</script>')
    nav = "".join(f"<li>{a(ctx.url(path), name)}</li>" for path, name in NAV)
    footer = (
        f"<p>Data: {a(CC_BY, 'CC BY 4.0')} (tipkg). Text quoted from United Nations documents "
        f"remains under the {a(UN_TERMS, 'United Nations terms of use')}.</p>"
        f"<p>Built {esc(ctx.data.time)} by tipkg {esc(ctx.data.version)} · "
        f"{a(ctx.links.iri(dataset_iri()), 'about this dataset')} · "
        f"{a(ctx.url('dumps/SHA256SUMS'), 'dumps')}</p>"
    )
    html = (
        f'<!DOCTYPE html>\n<html lang="{PAGE_LANG}">\n<head>\n'
        + "\n".join(head)
        + '\n</head>\n<body>\n<a class="skip" href="#main">Skip to content</a>\n'
        + f'<header><p class="site">{a(ctx.url("index.html"), "tipkg")}</p>'
        + f'<nav aria-label="Site"><ul>{nav}</ul></nav></header>\n'
        + f'<main id="main">\n{body}\n</main>\n<footer>{footer}</footer>\n</body>\n</html>\n'
    )
    return html.encode("utf-8")


def heading(ctx: Ctx, iri: str, level: int = 1) -> str:
    """The resource's label, with its French label beside the English one when both exist."""
    main = ctx.data.label(iri)
    other = ctx.data.other_label(iri, "fr") if main.lang != "fr" else None
    extra = ""
    if other and other.text != main.text:
        extra = f' <span class="alt" lang="fr">{esc(other.text)}</span>'
    return f"<h{level}>{label_html(main)}{extra}</h{level}>"


def ul(items: Sequence[str], cls: str = "") -> str:
    if not items:
        return ""
    attrs = f' class="{esc(cls)}"' if cls else ""
    return f"<ul{attrs}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def stem_of(iri: str) -> str:
    return doc_stem(iri) or ""
