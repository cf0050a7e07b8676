"""What pages are made of, as view records (links, literals, statements) that the templates
(templates/*.html, through templates/_macros.html) turn into HTML, autoescaped.

Pages are HTML5 in English (``<html lang="en">``); a literal tagged with another language is
wrapped in an element carrying its ``lang``. Links to our resources go to their HTML documents
under the base URL; links out are plain ``<a href>`` (nothing is loaded from another host).
``esc`` remains for the SVG pictures and the sitemap, written without templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import pyoxigraph as ox
from markupsafe import Markup

from tipkg.publish import templating, vocab
from tipkg.publish.formats import jsonld_for_html
from tipkg.publish.model import BuildData, Label, Term
from tipkg.publish.urls import (
    FORMAT_NAMES,
    LANGS,
    RDF_FORMATS,
    Links,
    dataset_iri,
    doc_stem,
    page_of,
)

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


@dataclass
class Ctx:
    """What every renderer needs: the build, where links go (and so the page's language)."""

    data: BuildData
    links: Links

    def url(self, path: str) -> str:
        return self.links.site(path)

    @property
    def lang(self) -> str:
        return self.links.lang

    def label(self, iri: str) -> Label:
        """An IRI's label, in the page's language where the graph has one."""
        if self.lang == "en":
            return self.data.label(iri)
        return self.data.label(iri, (self.lang, "", "en"))

    def t(self, key: str, **fields: object) -> str:
        """An interface string in the page's language."""
        return templating.translate(key, self.lang, **fields)


@dataclass(frozen=True)
class A:
    """A link (``kind`` a) for templates/_macros.html; without ``href``, the text alone."""

    text: str
    href: str = ""
    lang: str = ""
    title: str = ""
    cls: str = ""
    kind: str = "a"


@dataclass(frozen=True)
class Lit:
    """A literal: ``lit``, or ``ws`` (whitespace made visible: ␣ a space, ↵ a line break)."""

    text: str
    lang: str = ""
    title: str = ""
    pre: bool = False
    kind: str = "lit"


@dataclass(frozen=True)
class Items:
    items: list[Value]
    kind: str = "list"


@dataclass(frozen=True)
class Row:
    predicate: A
    values: list[Value]
    count: int = 0


@dataclass(frozen=True)
class Rows:
    rows: list[Row]
    nested: bool = False
    kind: str = "table"


Value = A | Lit | Items | Rows


@dataclass(frozen=True)
class Heading:
    main: Label
    alt: Label | None = None


def a(url: str | None, text: str, *, lang: str = "", title: str = "", cls: str = "") -> A:
    return A(text, href_of(url) if url else "", lang, title, cls)


def href_of(url: str) -> str:
    """A link's target, or '' when its scheme is unexpected (javascript:, data:)."""
    return url if _SAFE_SCHEME.match(url) else ""


def link(ctx: Ctx, iri: str, *, text: Label | None = None) -> A:
    """A link to an IRI, shown by its label (the IRI in the tooltip)."""
    shown = text or ctx.label(iri)
    return a(ctx.links.iri(iri), shown.text, lang=shown.lang, title=iri)


def literal(term: ox.Literal, *, predicate: str = "", text_lang: str = "") -> Lit:
    lang = term.language or ""
    datatype = term.datatype.value
    if not lang and predicate in SOURCE_TEXT and datatype == vocab.XSD + "string":
        lang = text_lang
    text = term.value
    if predicate in VISIBLE_WHITESPACE:
        return Lit(text, lang, repr(text), kind="ws")
    title = ""
    if not term.language and datatype not in (vocab.XSD + "string",):
        title = vocab.curie(datatype)
    return Lit(text, lang, title, pre="\n" in text)


def value(
    ctx: Ctx, term: Term, *, predicate: str = "", text_lang: str = "", depth: int = 0
) -> Value:
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


def blank(ctx: Ctx, node: ox.BlankNode, *, text_lang: str = "", depth: int = 0) -> Value:
    """A blank node, described in place (an RDF list as a list)."""
    if depth > 6:
        return Lit("…")
    items = rdf_list(ctx, node, depth)
    if items is not None:
        return Items([value(ctx, i, depth=depth + 1) for i in items])
    return statements(
        ctx, ctx.data.out.get(node, []), text_lang=text_lang, depth=depth + 1, nested=True
    )


def _predicate_order(ctx: Ctx, predicate: str) -> tuple[int, str]:
    first = (vocab.RDF_TYPE, *vocab.LABEL_PREDICATES)
    if predicate in first:
        return (first.index(predicate), "")
    return (len(first), ctx.label(predicate).text.lower())


def statements(
    ctx: Ctx,
    triples: Iterable[ox.Triple],
    *,
    text_lang: str = "",
    depth: int = 0,
    nested: bool = False,
) -> Rows:
    """Property → values, each shown by label."""
    grouped: dict[str, list[Term]] = {}
    for triple in triples:
        obj = triple.object
        assert isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
        grouped.setdefault(triple.predicate.value, []).append(obj)
    rows = [
        Row(
            link(ctx, predicate),
            [
                value(ctx, v, predicate=predicate, text_lang=text_lang, depth=depth)
                for v in grouped[predicate]
            ],
        )
        for predicate in sorted(grouped, key=lambda p: _predicate_order(ctx, p))
    ]
    return Rows(rows, nested)


def doc_formats(ctx: Ctx, stem: str) -> list[dict[str, str]]:
    return [
        {"href": ctx.links.doc(stem, ext), "type": mt, "name": FORMAT_NAMES[ext]}
        for ext, mt in _media_types()
    ]


def _media_types() -> list[tuple[str, str]]:
    from tipkg.publish.urls import FORMATS

    return [(ext, FORMATS[ext]) for ext in RDF_FORMATS]


def page(
    ctx: Ctx,
    template: str,
    *,
    title: str,
    stem: str = "",
    jsonld: bytes | None = None,
    description: str = "",
    **context: object,
) -> bytes:
    """A whole HTML5 page: ``template`` (one per kind of page) in the frame of base.html."""
    return templating.render(
        template,
        lang=ctx.lang,
        **frame(ctx, title=title, stem=stem, jsonld=jsonld, description=description),
        **context,
    )


def frame(
    ctx: Ctx,
    *,
    title: str,
    stem: str = "",
    jsonld: bytes | None = None,
    description: str = "",
) -> dict[str, object]:
    """What templates/base.html needs besides the page's own content, for a page of the site."""
    return frame_for(
        ctx.links,
        title=title,
        description=description,
        alternates=[
            {"type": media_type, "href": ctx.links.doc(stem, ext)}
            for ext, media_type in _media_types()
        ]
        if stem
        else [],
        # JSON with every '<' as \u003c: cannot close the script element
        jsonld=Markup(jsonld_for_html(jsonld)) if jsonld is not None else "",  # noqa: S704
        build={
            "time": ctx.data.time,
            "version": ctx.data.version,
            "dataset": ctx.links.iri(dataset_iri()),
        },
    )


def frame_for(
    links: Links,
    *,
    title: str,
    description: str = "",
    alternates: list[dict[str, str]] | None = None,
    jsonld: Markup | str = "",
    build: dict[str, object] | None = None,
) -> dict[str, object]:
    """The frame of a page at ``links.here``: also for `tipkg serve`'s query page, which has no
    build's data at hand (``build`` None: no build line in the footer)."""
    return {
        "title": title,
        "root": links.base,
        "pages": links.pages,
        "here": links.here,
        "nav": templating.nav(links.pages, page_of(links.here), links.lang),
        "switch": switch(links),
        "description": description,
        "alternates": alternates or [],
        "jsonld": jsonld,
        "build": build,
    }


def switch(links: Links) -> list[dict[str, str]]:
    """The language switch: this same page in each other language."""
    return [
        {"lang": lang, "href": links.in_lang(lang), "name": templating.translate("lang.self", lang)}
        for lang in LANGS
        if lang != links.lang
    ]


def heading(ctx: Ctx, iri: str) -> Heading:
    """The resource's label in the page's language, with its label in the other language beside
    it when both exist."""
    main = ctx.label(iri)
    other_lang = "en" if main.lang == "fr" else "fr"
    other = ctx.data.other_label(iri, other_lang)
    return Heading(main, other if other and other.text != main.text else None)


def stem_of(iri: str) -> str:
    return doc_stem(iri) or ""
