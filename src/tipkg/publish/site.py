"""The published site as a map from path to bytes, rendered on demand; `publish` writes it all.

The same ``Site`` serves ``tipkg publish`` (every path, written to a directory) and
``tipkg serve`` (one path per request, through negotiate.respond), so both give the same bytes.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from tipkg.errors import InputError
from tipkg.outputs import check_replaceable, staging_for, swap_into_place
from tipkg.paths import COMPETENCY_DIR, SHAPES_DIR
from tipkg.publish import dataset as ds
from tipkg.publish import indexes, pages, questions, serverconf, states
from tipkg.publish.docs import Doc, collect, ours_without_doc
from tipkg.publish.formats import serialize
from tipkg.publish.html import Ctx, esc
from tipkg.publish.incremental import Answers, Rendered, SiteManifest, reuse
from tipkg.publish.incremental import code_fingerprint as site_code
from tipkg.publish.model import SEP, BuildData, Read, digest
from tipkg.publish.svg import PICTURES
from tipkg.publish.urls import (
    FORMATS,
    LANGS,
    ONTOLOGY_STEM,
    Links,
    dataset_iri,
    doc_stem,
    lang_prefix,
)

DEFAULT_BASE_URL = ""
"""Relative links: the site works from disk and from any path of any server."""

Route = Callable[[Ctx], bytes]
STATIC = ("style.css", "search.js", "filter.js", "favicon.svg")


@dataclass
class PublishSummary:
    out: Path
    base_url: str
    documents: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    triples: int = 0
    seconds: float = 0.0
    #: Files rendered from the build, and files kept from the previous site (their reads of
    #: the build gave the same answers): rendered + reused == files.
    rendered: int = 0
    reused: int = 0

    def lines(self) -> list[str]:
        return [
            f"published {self.out}/",
            f"  base URL:   {self.base_url}",
            f"  resources:  {self.documents} (each as HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            f"  pages:      {self.pages} HTML",
            f"  files:      {self.files} ({self.bytes / 1_000_000:.1f} MB)",
            f"  rendered:   {self.rendered} (reused from the previous site: {self.reused})",
            f"  triples:    {self.triples}",
            f"  time:       {self.seconds:.1f} s",
        ]


class Site:
    """Every file of the published site, by path relative to its root."""

    def __init__(
        self, build_dir: Path, base_url: str = DEFAULT_BASE_URL, shapes_dir: Path | None = None
    ) -> None:
        self.build_dir = build_dir
        self.data = BuildData.load(build_dir)
        self.links = Links(base_url)
        self.ctx = Ctx(self.data, self.links)
        self.docs = collect(self.data)
        self.shapes_dir = shapes_dir if shapes_dir is not None else _shapes_dir(build_dir)
        missing = ours_without_doc(self.data)
        if missing:
            raise InputError(
                build_dir, None, f"IRIs that no document can describe: {', '.join(missing[:5])}"
            )
        self._rdf: dict[tuple[str, str], bytes] = {}
        self._routes: dict[str, Route] = {}
        self._route_all()

    # -- routes -------------------------------------------------------------------------------

    def _route_all(self) -> None:
        r = self._routes
        r["index.html"] = indexes.home_page
        r["404.html"] = indexes.not_found_page
        r["recommendations.html"] = indexes.recommendations_by_section
        r["recommendations-by-theme.html"] = indexes.recommendations_by_theme
        r["recommendations-by-strength.html"] = indexes.recommendations_by_strength
        r["recommendations-by-organisation.html"] = indexes.recommendations_by_organisation
        r["search.html"] = indexes.search_page
        r["search-index.json"] = indexes.search_json
        r["query.html"] = lambda c: questions.query_page(c, self.examples)
        for example in self.examples:
            r[f"questions/{example.name}.html"] = self._question_route(example)
            r[f"questions/{example.name}.rq"] = _text(example.text)
        r["participants.html"] = indexes.participants_page
        r["meetings.html"] = indexes.meetings_page
        r["states.html"] = states.states_page
        r["schemes.html"] = indexes.schemes_page
        r["pictures.html"] = lambda c: indexes.pictures_page(
            c, [(path, c.t(title), draw(c)) for path, title, draw in PICTURES]
        )
        for path, _, draw in PICTURES:
            r[path] = draw
        for name in STATIC:
            r[f"static/{name}"] = _static(name)
        for source in self.data.sources:
            name = source.get("path", "")
            if name and "/" not in name and (self.build_dir / "sources" / name).is_file():
                r[f"sources/{name}"] = self._source_route(name)
        for stem in self.docs:
            for ext in FORMATS:
                r[f"{stem}.{ext}"] = self._doc_route(stem, ext)
        dataset_stem = self.dataset_stem
        for ext in FORMATS:
            r[f"{dataset_stem}.{ext}"] = self._dataset_route(ext)
        for dump in self.dump_list_lazy():
            r[dump] = self._dump_route(dump)
        r["dumps/SHA256SUMS"] = lambda c: ds.checksums(self.all_dumps)
        r["sitemap.xml"] = self._sitemap
        r["robots.txt"] = lambda c: (
            f"User-agent: *\nAllow: /\nSitemap: {c.links.absolute}sitemap.xml\n".encode()
        )
        # every page in French too, under fr/ (the same routes: the path gives the language)
        for path in [p for p in r if p.endswith(".html")]:
            for lang in LANGS[1:]:
                r[lang_prefix(lang) + path] = r[path]
        r[".htaccess"] = lambda c: serverconf.htaccess(c.links.absolute).encode()
        r["nginx.conf"] = lambda c: serverconf.nginx(c.links.absolute).encode()

    def _source_route(self, name: str) -> Route:
        def render(ctx: Ctx) -> bytes:
            self.data.note("source-file", name)
            return (self.build_dir / "sources" / name).read_bytes()

        return render

    def _doc(self, stem: str) -> Doc:
        """A document: the reads that grouped its triples were made before recording began
        (collect reads the whole build), so its use is noted as the read of the document."""
        if stem == self.dataset_stem:
            return self.dataset_doc
        self.data.note("doc", stem)
        return self.docs[stem]

    def _doc_route(self, stem: str, ext: str) -> Route:
        def render(ctx: Ctx) -> bytes:
            doc = self._doc(stem)
            if ext != "html":
                return self.rdf(stem, ext)
            if stem == ONTOLOGY_STEM:
                return indexes.ontology_page(ctx, self.rdf(stem, "jsonld"))
            special = states.special_page(ctx, doc, self.rdf(stem, "jsonld"))
            if special is not None:
                return special
            return pages.render(ctx, doc, self.rdf(stem, "jsonld"))

        return render

    def _question_route(self, example: questions.Example) -> Route:
        return lambda c: questions.question_page(c, example, self.store)

    @cached_property
    def examples(self) -> list[questions.Example]:
        return questions.load_examples(COMPETENCY_DIR) if COMPETENCY_DIR.is_dir() else []

    @property
    def store(self) -> ox.Store:
        """The build's graph in memory, for the competency questions' answers."""
        return self.data.derived(("store",), lambda: questions.store_of(self.data.triples))

    def _dataset_route(self, ext: str) -> Route:
        def render(ctx: Ctx) -> bytes:
            stem = self.dataset_stem
            if ext != "html":
                return self.rdf(stem, ext)
            return indexes.dataset_page(
                ctx,
                stem=stem,
                jsonld=self.rdf(stem, "jsonld"),
                dumps=self.dumps,
                shapes=self.shapes,
                stats=ds.statistics(self.data),
                vocabularies=ds.vocabularies(self.data),
                examples=ds.examples(self.data),
            )

        return render

    def _dump_route(self, path: str) -> Route:
        def render(ctx: Ctx) -> bytes:
            # A named graph's dump reads its graph alone, and the shapes' dump the shapes, so that
            # they are kept while other graphs change; the whole-graph dumps read everything.
            graph = self._graph_of_dump.get(path)
            if graph is not None:
                dump = self._graph_dump(graph)
                assert dump is not None
                return dump.body
            if self.shapes is not None and path == self.shapes.path:
                return self.shapes.body
            for dump in self.all_dumps:
                if dump.path == path:
                    return dump.body
            raise KeyError(path)

        return render

    # -- lazily computed parts ----------------------------------------------------------------

    @property
    def dataset_stem(self) -> str:
        stem = doc_stem(dataset_iri())
        assert stem is not None
        return stem

    def dump_list_lazy(self) -> list[str]:
        """The dump paths, known without computing the dumps."""
        paths = ["dumps/tipkg.ttl", "dumps/tipkg.nt.gz", "dumps/tipkg.jsonld", "dumps/tipkg.rdf"]
        paths += list(self._graph_of_dump)
        if self.shapes_dir is not None and any(self.shapes_dir.glob("*.ttl")):
            paths.append("dumps/shapes.ttl")
        return paths

    @cached_property
    def _graph_of_dump(self) -> dict[str, str]:
        """The named graphs' dumps: path → graph name."""
        return {
            ds.graph_dump_path(g.name): g.name
            for g in self.data.graphs
            if ds.graph_dump_path(g.name)
        }

    def _graph_dump(self, name: str) -> ds.Dump | None:
        return self.data.derived(("graph-dump", name), lambda: ds.graph_dump(self.data, name))

    @property
    def dumps(self) -> list[ds.Dump]:
        def compute() -> list[ds.Dump]:
            graphs = [self._graph_dump(g.name) for g in self.data.graphs]
            return ds.whole_graph_dumps(self.data) + [d for d in graphs if d is not None]

        return self.data.derived(("dumps",), compute)

    @property
    def shapes(self) -> ds.Dump | None:
        def compute() -> ds.Dump | None:
            self.data.note("shapes")
            return ds.shapes_dump(self.shapes_dir)

        return self.data.derived(("shapes-dump",), compute)

    @property
    def all_dumps(self) -> list[ds.Dump]:
        return self.dumps + ([self.shapes] if self.shapes is not None else [])

    @property
    def dataset_doc(self) -> Doc:
        def compute() -> Doc:
            triples = ds.description(self.data, self.dumps, self.shapes)
            subjects = sorted(
                {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)},
                key=lambda iri: (iri != dataset_iri(), iri),
            )
            return Doc(
                self.dataset_stem,
                dataset_iri(),
                subjects=[ox.NamedNode(s) for s in subjects],
                own=triples,
            )

        return self.data.derived(("dataset-doc",), compute)

    def rdf(self, stem: str, ext: str) -> bytes:
        doc = self._doc(stem)  # noted on every use, the serialisation is kept
        key = (stem, ext)
        if key not in self._rdf:
            self._rdf[key] = serialize(doc.triples, ext)
        return self._rdf[key]

    def _sitemap(self, ctx: Ctx) -> bytes:
        self.data.note("paths")
        day = self.data.time[:10]
        urls = [
            f"<url><loc>{esc(ctx.links.absolute + path)}</loc><lastmod>{esc(day)}</lastmod></url>"
            for path in self.paths()
            if path.endswith(".html") and path != "404.html"
        ]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(urls)
            + "\n</urlset>\n"
        ).encode("utf-8")

    # -- access -------------------------------------------------------------------------------

    def paths(self) -> list[str]:
        return sorted(self._routes)

    def has(self, path: str) -> bool:
        return path in self._routes

    def ctx_at(self, path: str) -> Ctx:
        """The context of the page at ``path``: its links are relative to where it is."""
        return Ctx(self.data, self.links.at(path))

    def get(self, path: str, *, here: str | None = None) -> bytes | None:
        """The file at ``path``; ``here`` renders it as if it were at another path (a 404 page
        answered for a deeper path keeps working relative links)."""
        route = self._routes.get(path)
        return route(self.ctx_at(path if here is None else here)) if route is not None else None

    def get_required(self, path: str) -> bytes:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    @property
    def document_count(self) -> int:
        return len(self.docs) + 1

    # -- what a path read, answered by this site's build --------------------------------------

    def answer(self, read: Read) -> str:
        """A digest of what ``read`` gives here: the site's own reads (a document, the list of
        paths, the shapes, a source file), else the build's (KeyError for an unknown read)."""
        kind, _, arg = read.partition(SEP)
        if kind == "doc":
            doc = self.docs.get(arg)
            if doc is None:
                return ""
            return digest([doc.iri, *doc.subjects, "", *doc.own, "", *doc.incoming])
        if kind == "paths":
            return digest(self.paths())
        if kind == "shapes":
            files = sorted(self.shapes_dir.glob("*.ttl")) if self.shapes_dir is not None else []
            return digest(f"{p.name} {digest([p.read_bytes()])}" for p in files)
        if kind == "source-file":
            path = self.build_dir / "sources" / arg
            return digest([path.read_bytes()]) if path.is_file() else ""
        return self.data.answer(read)


def _static(name: str) -> Route:
    return lambda c: resources.files("tipkg.publish").joinpath("static", name).read_bytes()


def _text(text: str) -> Route:
    return lambda c: text.encode("utf-8")


def _shapes_dir(build_dir: Path) -> Path | None:
    """The build's own copy of the shapes if it has one, else the project's shapes/."""
    own = build_dir / "shapes"
    if own.is_dir():
        return own
    return SHAPES_DIR if SHAPES_DIR.is_dir() else None


# -- publish ----------------------------------------------------------------------------------

SITE_MARKER = "dumps/SHA256SUMS"
"""A file every site holds: a directory with it is a previous site, which publish may replace."""


def publish(
    build_dir: Path, out: Path, base_url: str = DEFAULT_BASE_URL, *, shapes_dir: Path | None = None
) -> PublishSummary:
    """Write the whole site of a build into ``out``, replacing it only once complete.

    Links in the pages use ``base_url`` (so a copy elsewhere is browsable); the RDF keeps the
    canonical IRIs. The site is rendered into a temporary directory beside ``out`` and moved
    into place at the end: a failure leaves the previous site untouched. Over a previous site,
    a file whose reads of the build give the same answers is linked from it instead of
    rendered (tipkg.publish.incremental).
    """
    started = time.perf_counter()
    build_dir, out = build_dir.resolve(), out.resolve()
    if out == build_dir or build_dir.is_relative_to(out):
        raise InputError(out, None, "the site cannot replace the build it is made from")
    check_replaceable(out, SITE_MARKER, "a tipkg site")
    previous = SiteManifest.load(out) if (out / SITE_MARKER).is_file() else None
    site = Site(build_dir, base_url, shapes_dir)
    site.data.start_recording()
    code = site_code()
    kept = previous.reusable(code, base_url) if previous is not None else {}
    manifest = SiteManifest(code, base_url, {})
    answers = Answers(site.answer)
    summary = PublishSummary(out, site.links.shown, triples=len(site.data.triples))
    staging = staging_for(out)
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        made: set[Path] = {staging}
        # Rendering holds the GIL; creating ~3000 files is the kernel's time: overlap them.
        with ThreadPoolExecutor(max_workers=8) as writers:
            pending = []
            for path in site.paths():
                target = staging / path
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                before = kept.get(path)
                if before is not None and _unchanged(answers, code, base_url, path, before, out):
                    manifest.paths[path] = before
                    pending.append(writers.submit(reuse, out / path, target))
                    summary.reused += 1
                else:
                    with site.data.recording() as reads:
                        body = site.get_required(path)
                    found = tuple(sorted(reads))
                    key = answers.key(code, base_url, path, found)
                    manifest.paths[path] = Rendered(key, found)
                    pending.append(writers.submit(_write, target, body))
                    summary.rendered += 1
                summary.files += 1
                if path.endswith(".html"):
                    summary.pages += 1
            summary.bytes = sum(future.result() for future in pending)
        manifest.write(staging)
        summary.documents = site.document_count
        swap_into_place(staging, out, SITE_MARKER, "a tipkg site")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _unchanged(
    answers: Answers, code: str, base_url: str, path: str, before: Rendered, out: Path
) -> bool:
    """Whether the previous site's file at ``path`` is what rendering it now would give."""
    if not (out / path).is_file():
        return False
    try:
        return answers.key(code, base_url, path, before.reads) == before.key
    except KeyError:  # a read this code does not make: the path is rendered
        return False


def _write(target: Path, body: bytes) -> int:
    target.write_bytes(body)
    return len(body)
