"""Content negotiation for ``tipkg serve``: one request path and Accept header → one response.

``respond(path, accept)`` answers any path of the published site (see tipkg.publish.urls for the
URL design), either from a published directory or rendered on the fly from a build:

- ``/id/…``, ``/def/…``, ``/.well-known/void``: 303 See Other to the document in the format
  the Accept header prefers (q-values weighed; ties go to HTML, then Turtle, JSON-LD,
  N-Triples, RDF/XML); 406 if Accept excludes all five; 404 if there is no such thing.
- ``/graph/<name>``: 303 to the named graph's Turtle dump.
- ``/doc/….<ext>``: that variant. ``/doc/…`` without suffix: the preferred variant, with
  ``Vary: Accept`` and ``Content-Location``.
- anything else: the file (``/`` is index.html, ``/recommendations`` recommendations.html);
  404 with the site's 404 page otherwise. Dot-files and ``..`` are refused (404).
- no build (or no site) to serve: 503 with the reason, and ``Retry-After``.

``path`` is the URL path below the site's mount point (query strings are ignored) and must start
with ``/``; a 303's ``Location`` is the base URL plus the document's path (``/doc/…`` when the
base is ``/``). HEAD is the server's business: send the headers, drop the body.

By default ``respond`` renders from the last build (dist/) with links relative to the server's
root (base URL ``/``), reloading when dist/build.json changes; ``configure`` points it at a
published directory or another build instead. Several sites in one process: use ``Responder``.
"""

from __future__ import annotations

import posixpath
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tipkg.accept import parse_accept
from tipkg.errors import InputError
from tipkg.publish.site import Site
from tipkg.publish.urls import FORMATS, RDF_FORMATS, stem_for_request

PREFERENCE = ("html", *RDF_FORMATS)
ALIASES: dict[str, str] = {
    "application/xhtml+xml": "html",
    "application/x-turtle": "ttl",
    "application/json": "jsonld",
}
TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "xml": "application/xml",
    "txt": "text/plain; charset=utf-8",
    "gz": "application/gzip",
    "conf": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _quality(ext: str, ranges: list[tuple[str, float]]) -> float:
    """The q of a format: from the most specific range that matches it (RFC 9110 §12.5.1)."""
    types = {FORMATS[ext]} | {alias for alias, e in ALIASES.items() if e == ext}
    best: tuple[int, float] | None = None
    for media, q in ranges:
        main = media.split("/")[0]
        if media in types:
            rank = 3 if media == FORMATS[ext] else 2
        elif media.endswith("/*") and any(t.startswith(main + "/") for t in types):
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if best is None or rank > best[0] or (rank == best[0] and q > best[1]):
            best = (rank, q)
    return best[1] if best is not None else 0.0


def choose(accept: str) -> str | None:
    """The suffix to serve for an Accept header; HTML when there is none; None if none fits."""
    ranges = parse_accept(accept or "")
    if not ranges:
        return "html"
    scored = [(_quality(ext, ranges), -i, ext) for i, ext in enumerate(PREFERENCE)]
    q, _, ext = max(scored)
    return ext if q > 0 else None


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name == "SHA256SUMS":
        return TYPES["txt"]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return TYPES.get(ext, "application/octet-stream")


class _Source:
    """Files of a site: a published directory, or a Site rendering from a build."""

    def __init__(self, site_dir: Path | None, site: Site | None) -> None:
        self.site_dir = site_dir
        self.site = site

    def get(self, path: str, here: str | None = None) -> bytes | None:
        if self.site is not None:
            return self.site.get(path, here=here)
        assert self.site_dir is not None
        target = self.site_dir / path
        return target.read_bytes() if target.is_file() else None

    def has(self, path: str) -> bool:
        if self.site is not None:
            return self.site.has(path)
        assert self.site_dir is not None
        return (self.site_dir / path).is_file()


class Responder:
    """Answers requests for one site: ``site_dir`` (published) or ``build_dir`` (on the fly)."""

    def __init__(
        self,
        *,
        site_dir: Path | None = None,
        build_dir: Path | None = None,
        base_url: str = "/",
    ) -> None:
        if (site_dir is None) == (build_dir is None):
            raise ValueError("give either site_dir (a published site) or build_dir (a build)")
        self.site_dir = site_dir
        self.build_dir = build_dir
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._lock = threading.Lock()
        self._source: _Source | None = None
        self._stamp: float | None = None

    def _current(self) -> _Source:
        with self._lock:
            if self.site_dir is not None:
                if self._source is None:
                    self._source = _Source(self.site_dir, None)
                return self._source
            assert self.build_dir is not None
            manifest = self.build_dir / "build.json"
            stamp = manifest.stat().st_mtime if manifest.exists() else None
            if self._source is None or stamp != self._stamp:
                self._source = _Source(None, Site(self.build_dir, self.base_url))
                self._stamp = stamp
            return self._source

    def respond(self, path: str, accept: str = "") -> Response:
        rel = _clean(path)
        if rel is None:
            return self._not_found()
        if rel == "def":
            rel = "def/"
        try:
            source = self._current()
        except InputError as err:
            return Response(
                503,
                {"Content-Type": TYPES["txt"], "Retry-After": "60"},
                f"No site to serve: {err}\n".encode(),
            )
        # things → 303 to their document
        if rel.startswith(("id/", "def/")) or rel == ".well-known/void":
            stem = stem_for_request(rel) if rel != ".well-known/void" else _dataset_stem()
            if stem is None or not source.has(f"{stem}.html"):
                return self._not_found(rel)
            ext = choose(accept)
            if ext is None:
                return self._not_acceptable(stem)
            return Response(
                303,
                {
                    "Location": f"{self.base_url}{stem}.{ext}",
                    "Vary": "Accept",
                    "Content-Type": TYPES["txt"],
                },
                f"See {self.base_url}{stem}.{ext}\n".encode(),
            )
        if rel.startswith("graph/"):
            target = f"dumps/{rel[len('graph/') :]}.ttl"
            if not source.has(target):
                return self._not_found(rel)
            return Response(
                303,
                {"Location": self.base_url + target, "Content-Type": TYPES["txt"]},
                f"See {self.base_url}{target}\n".encode(),
            )
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        # a document without suffix → its preferred variant
        if rel.startswith("doc/") and not _has_format_suffix(rel) and source.has(f"{rel}.html"):
            ext = choose(accept)
            if ext is None:
                return self._not_acceptable(rel)
            body = source.get(f"{rel}.{ext}")
            if body is None:
                return self._not_found(rel)
            return Response(
                200,
                {
                    "Content-Type": TYPES[ext],
                    "Content-Location": f"{self.base_url}{rel}.{ext}",
                    "Vary": "Accept",
                    "Link": _alternates(self.base_url, rel),
                },
                body,
            )
        body = source.get(rel)
        if body is None and "." not in rel.rsplit("/", 1)[-1]:
            html_body = source.get(rel + ".html")
            if html_body is not None:
                rel, body = rel + ".html", html_body
        if body is None:
            return self._not_found(rel)
        headers = {"Content-Type": content_type(rel)}
        if rel.startswith("doc/") and _has_format_suffix(rel):
            headers["Link"] = _alternates(self.base_url, rel.rsplit(".", 1)[0])
        return Response(200, headers, body)

    def _not_found(self, here: str | None = None) -> Response:
        try:
            body = self._current().get("404.html", here=here)
        except InputError:  # a missing build must still give a 404
            body = None
        return Response(
            404,
            {"Content-Type": TYPES["html"]},
            body or b'<!DOCTYPE html><html lang="en"><title>Not found</title><p>Not found.</p>',
        )

    def _not_acceptable(self, stem: str) -> Response:
        lines = [f"{self.base_url}{stem}.{ext} ({FORMATS[ext]})" for ext in PREFERENCE]
        return Response(
            406,
            {
                "Content-Type": TYPES["txt"],
                "Vary": "Accept",
                "Link": _alternates(self.base_url, stem),
            },
            ("Available:\n" + "\n".join(lines) + "\n").encode(),
        )


def _dataset_stem() -> str:
    from tipkg.publish.urls import dataset_iri, doc_stem

    stem = doc_stem(dataset_iri())
    assert stem is not None
    return stem


def _has_format_suffix(rel: str) -> bool:
    return any(rel.endswith(f".{ext}") for ext in FORMATS)


def _alternates(base_url: str, stem: str) -> str:
    return ", ".join(
        f'<{base_url}{stem}.{ext}>; rel="alternate"; type="{FORMATS[ext]}"' for ext in PREFERENCE
    )


def _clean(path: str) -> str | None:
    """The site-relative path of a request, or None if it tries to leave the site."""
    raw = unquote(urlsplit(path).path)
    if not raw.startswith("/") or "\\" in raw or "\0" in raw:
        return None
    parts = raw.split("/")[1:]
    if any(p in (".", "..") for p in parts):
        return None
    if any(p.startswith(".") for p in parts) and raw != "/.well-known/void":
        return None
    rel = "/".join(parts)
    if posixpath.normpath("/" + rel) != "/" + rel.rstrip("/") and rel:
        return None
    return rel


_default: Responder | None = None
_default_lock = threading.Lock()


def configure(
    *, site_dir: Path | None = None, build_dir: Path | None = None, base_url: str = "/"
) -> Responder:
    """Point the module-level ``respond`` at a published site or a build directory."""
    global _default
    with _default_lock:
        if site_dir is None and build_dir is None:
            from tipkg.paths import DIST_DIR

            build_dir = DIST_DIR
        _default = Responder(site_dir=site_dir, build_dir=build_dir, base_url=base_url)
        return _default


def respond(path: str, accept: str) -> Response:
    """The response to a GET of ``path`` with this Accept header (see the module's doc)."""
    responder = _default if _default is not None else configure()
    return responder.respond(path, accept)
