"""The URL design of the published site: which document describes which IRI, in which format.

Paths are relative to the site's root (the base URL):

=========================================  ============================================
``id/<kind>/<key>…`` (a thing)             303 See Other → ``doc/<kind>/<key>….<ext>``
``def/<Term>``, ``def/<scheme>/<concept>``  303 See Other → ``doc/def/<Term>.<ext>``
``def/`` and ``def/<version>/``             303 See Other → ``doc/ontology.<ext>``
``graph/<name>`` (a named graph)            303 See Other → ``dumps/<name>.ttl``
``doc/<…>`` (no suffix)                     200, the variant chosen by Accept (Vary: Accept)
``doc/<…>.<ext>``                           200, that variant
=========================================  ============================================

``<ext>`` is one of html, ttl, jsonld, nt, rdf. A fragment (``…/7#span-fr``) is described in its
document's page, under an element whose id is the fragment.
"""

from __future__ import annotations

import re
from functools import cache

from tipkg import iris

CANONICAL = str(iris.BASE)
"""The base of every IRI the graph mints; the RDF always keeps it, whatever the site's base URL."""

FORMATS: dict[str, str] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
"""Suffix → media type, in the server's order of preference when the Accept header ties."""

FORMAT_NAMES: dict[str, str] = {
    "html": "HTML",
    "ttl": "Turtle",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
    "rdf": "RDF/XML",
}

RDF_FORMATS = ("ttl", "jsonld", "nt", "rdf")
ONTOLOGY_STEM = "doc/ontology"
DATASET_KEY = "tipkg"

_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+-]*/")


def dataset_iri() -> str:
    """The IRI of the dataset (VoID / DCAT description).

    Follows iris.py's pattern ``{base}id/<kind>/<key>``; belongs in iris.py as ``iris.dataset()``.
    """
    return f"{iris.ID}dataset/{DATASET_KEY}"


def sparql_endpoint() -> str:
    return f"{CANONICAL}sparql"


def split_fragment(iri: str) -> tuple[str, str]:
    base, _, fragment = iri.partition("#")
    return base, fragment


@cache
def doc_stem(iri: str) -> str | None:
    """The site path, without suffix, of the document that describes ``iri``; None if not ours."""
    base, _ = split_fragment(iri)
    if not base.startswith(CANONICAL):
        return None
    rest = base[len(CANONICAL) :]
    if rest.startswith("def/"):
        term = rest[len("def/") :]
        if term == "" or _VERSION.fullmatch(term):
            return ONTOLOGY_STEM
        path = f"doc/def/{term}"
    elif rest.startswith("id/"):
        path = f"doc/{rest[len('id/') :]}"
    else:
        return None
    segments = path.split("/")[1:]
    if not all(_SEGMENT.fullmatch(segment) for segment in segments):
        return None
    if any(path.endswith(f".{ext}") for ext in FORMATS):
        return None
    return path


def stem_for_request(path: str) -> str | None:
    """The document stem a request path for a thing (``id/…``, ``def/…``) redirects to."""
    if path.startswith(("id/", "def/")):
        return doc_stem(CANONICAL + path)
    return None


def is_ours(iri: str) -> bool:
    return iri.startswith(CANONICAL)


LANGS = ("en", "fr")
"""The languages of the pages: English at the site's root, French under ``fr/``."""


def lang_prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def lang_of(path: str) -> str:
    """The language of the page at ``path``."""
    first = path.split("/", 1)[0]
    return first if first in LANGS[1:] and "/" in path else "en"


def page_of(path: str) -> str:
    """The page at ``path`` without its language prefix (the same page in every language)."""
    lang = lang_of(path)
    return path[len(lang_prefix(lang)) :]


class Links:
    """Where the published pages point: every link is the base URL plus a site path.

    By default (``base_url`` empty) links are **relative**: a page at
    ``doc/recommendation/K/7.html`` links to the home page as ``../../../index.html``, so the site
    works from disk and from any path of any server. Given a base URL, it replaces
    https://w3id.org/tipkg/ in links only; the RDF keeps canonical IRIs. Links to things go
    straight to their HTML document (``doc/….html``), so that a copy of the site works on a plain
    static server, without the content-negotiation rules.
    """

    def __init__(self, base_url: str = "", here: str = "", lang: str | None = None) -> None:
        self.given = base_url
        self.relative = base_url in ("", ".", "./")
        self.here = here
        self.lang = lang if lang is not None else lang_of(here)
        if self.relative:
            base_url = "../" * here.count("/")
        elif not base_url.endswith("/"):
            base_url += "/"
        self.base = base_url
        self.pages = base_url + lang_prefix(self.lang)
        """Where the pages in this page's language are (the French ones under ``fr/``)."""

    def at(self, path: str) -> Links:
        """The links of the page at ``path`` (relative links depend on where the page is; a page
        under ``fr/`` is French and links to French pages)."""
        return Links(self.given, path, lang_of(path))

    def in_lang(self, lang: str) -> str:
        """The link to this same page in ``lang`` (the language switch)."""
        return self.base + lang_prefix(lang) + page_of(self.here)

    @property
    def shown(self) -> str:
        """The base URL as said to people."""
        return "(relative links)" if self.relative else self.base

    def site(self, path: str) -> str:
        """A file of the site: a page (``….html``) in this page's language, else the one file."""
        base = self.pages if path.endswith(".html") else self.base
        return (base + path) or "./"

    def doc(self, stem: str, ext: str = "html", fragment: str = "") -> str:
        base = self.pages if ext == "html" else self.base
        return base + f"{stem}.{ext}" + (f"#{fragment}" if fragment else "")

    def iri(self, iri: str) -> str | None:
        """The link for an IRI: its HTML document if it is ours, the IRI itself if it is web."""
        stem = doc_stem(iri)
        if stem is not None:
            return self.doc(stem, "html", split_fragment(iri)[1])
        if iri.startswith(CANONICAL):
            return self.site(iri[len(CANONICAL) :])
        if iri.startswith(("https://", "http://")):
            return iri
        return None

    @property
    def absolute(self) -> str:
        """The base as an absolute URL (sitemaps need one): the canonical base if relative."""
        return self.base if re.match(r"^[a-z][a-z0-9+.-]*://", self.base) else CANONICAL
