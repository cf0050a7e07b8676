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
from markupsafe import Markup

from tipkg.publish import templating, vocab
from tipkg.publish.formats import jsonld_for_html
from tipkg.publish.model import BuildData, Label, Term
from tipkg.publish.urls import FORMAT_NAMES, RDF_FORMATS, Links, dataset_iri, doc_stem

PAGE_LANG = "en"
SITE_TITLE = "tipkg — recommendations of the Working Group on Trafficking in Persons"
UN_TERMS = "https://www.un.org/en/about-us/terms-of-use"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

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
    """A whole HTML5 page in the frame of templates/base.html; ``body`` is already escaped HTML."""
    return templating.render(
        "base.html",
        lang=PAGE_LANG,
        body=Markup(body),  # noqa: S704 - built by this module's esc()-ing helpers
        **frame(ctx, title=title, stem=stem, jsonld=jsonld, description=description),
    )


def frame(
    ctx: Ctx,
    *,
    title: str,
    stem: str = "",
    jsonld: bytes | None = None,
    description: str = "",
) -> dict[str, object]:
    """What templates/base.html needs besides the page's own content."""
    here = ctx.links.here
    return {
        "title": title,
        "root": ctx.links.base,
        "here": here,
        "nav": templating.nav(ctx.links.base, here, PAGE_LANG),
        "description": description,
        "alternates": [
            {"type": media_type, "href": ctx.links.doc(stem, ext)}
            for ext, media_type in _media_types()
        ]
        if stem
        else [],
        # JSON with every '<' as \u003c: cannot close the script element
        "jsonld": Markup(jsonld_for_html(jsonld)) if jsonld is not None else "",  # noqa: S704
        "build": {
            "time": ctx.data.time,
            "version": ctx.data.version,
            "dataset": ctx.links.iri(dataset_iri()),
        },
    }


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
