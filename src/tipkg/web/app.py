"""`tipkg serve`'s application: the last build as a SPARQL 1.1 endpoint, a query page and the site.

- GET /sparql?query=…, POST /sparql (form-encoded, or application/sparql-query): the SPARQL 1.1
  Protocol; SELECT/ASK as JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples
  or RDF/XML, chosen by Accept or by a `format` (or `output`) parameter. The dataset follows
  SPARQL 1.1: default-graph-uri / named-graph-uri if given, else the query's FROM / FROM NAMED,
  else the union of the build's named graphs as default graph (tipkg.dataset).
- GET /sparql without a query: the SPARQL 1.1 Service Description (Turtle by default).
- GET /sparql without a query from a browser (Accept prefers text/html): 303 to the query page.
- /query (and /query.html, its place in the site's navigation): the HTML page with the
  competency questions as examples; every other path: the linked-data site of the build
  (tipkg.publish), IRIs answering 303 See Other by Accept.
- CORS: every answer carries Access-Control-Allow-Origin: *, and OPTIONS answers preflights.
- A method a path does not take: 405 with Allow (Starlette's routing).

An ASGI application (Starlette) run by uvicorn (tipkg.web.server): HTTP framing, bodies,
keep-alive and malformed requests are theirs. Queries run in worker processes (tipkg.web.pool),
awaited on the event loop by watching their pipes, so it never blocks on one.

Safe by default: SPARQL Update is refused (403) unless --allow-update, and then passes
tipkg.web.access's checks; SERVICE or LOAD of an address not on the --allow-service list is
refused (403); a request body over --max-request-bytes is refused (413; a URL over it, 414); a
request nested deeper than tipkg.web.scan.MAX_DEPTH levels is refused (400) before it reaches the
engine; a query past --timeout seconds is stopped (503) and one whose answer passes --max-rows is
stopped (422), while other clients keep being served.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipkg import __version__
from tipkg.publish.negotiate import choose
from tipkg.web import page
from tipkg.web.access import WriteGuard
from tipkg.web.formats import GRAPH_OX, FormatError, content_type, negotiate
from tipkg.web.pool import Answer, Job, WorkerPool
from tipkg.web.scan import MAX_DEPTH, Scan, scan

ENDPOINT_PATH = "/sparql"
PAGE_PATH = "/query"
PREFLIGHT_METHODS = "GET, HEAD, POST, OPTIONS"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SD_PREFIXES = {
    "sd": _SD,
    "formats": _FORMATS,
    "void": "http://rdfs.org/ns/void#",
    "dct": "http://purl.org/dc/terms/",
}
_TEXT = "text/plain; charset=utf-8"
_FORM = "application/x-www-form-urlencoded"
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def default_workers() -> int:
    return max(2, min(4, os.cpu_count() or 2))


@dataclass(frozen=True)
class ServeOptions:
    build_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 100_000
    allow_update: bool = False
    allow_service: tuple[str, ...] = ()
    allow_origin: tuple[str, ...] = ()  # origins whose pages may send updates, besides our own
    token: str | None = None  # the bearer token updates must carry (from --token-env)
    workers: int = field(default_factory=default_workers)
    max_slow: int = 2  # slow queries at once, one per client (tipkg.web.pool)
    slow_after: float = 0.5  # seconds after which a query is slow

    @property
    def limits(self) -> str:
        update = "updates accepted" if self.allow_update else "read-only"
        return (
            f"Limits: {self.timeout:g} s per query, {self.max_rows} rows per answer, "
            f"{self.max_request_bytes} bytes per request; {update}."
        )


class Refused(Exception):
    """A request answered by a plain-text refusal."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: tuple[tuple[str, str], ...] = (),
        *,
        close: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.close = close


def text(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response((message + "\n").encode("utf-8"), status, dict(headers), _TEXT)


def _from_answer(answer: Answer, request: Request) -> Response:
    request.state.rows = answer.rows
    headers = {"Vary": "Accept", **dict(answer.headers)}
    return Response(answer.body, answer.status, headers, answer.content_type)


def _format_param(params: dict[str, list[str]]) -> str | None:
    values = params.get("format") or params.get("output")
    return values[0] if values else None


def _params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query, keep_blank_values=True)


def _add_form(params: dict[str, list[str]], body: str) -> None:
    """A form-encoded body's fields added to the URL's."""
    for name, values in parse_qs(body, keep_blank_values=True).items():
        params.setdefault(name, []).extend(values)


class Endpoint:
    """The state every request shares: options, worker pool, examples, site, build manifest."""

    def __init__(self, options: ServeOptions, pool: WorkerPool, guard: WriteGuard) -> None:
        self.options = options
        self.pool = pool
        self.guard = guard
        self.allowed_addresses = frozenset(options.allow_service)
        from tipkg.paths import COMPETENCY_DIR
        from tipkg.publish import Responder

        self.examples = page.load_examples(COMPETENCY_DIR)
        self.site = Responder(build_dir=options.build_dir, base_url="/")
        manifest_path = options.build_dir / "build.json"
        self.manifest: dict[str, Any] = (
            json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        )

    # -- plumbing ---------------------------------------------------------------------------

    async def run(self, job: Job, request: Request) -> Answer:
        client = request.client.host if request.client else ""
        return await self.pool.run(job, self.options.timeout, client)

    async def body(self, request: Request) -> bytes:
        """The request body, refused past --max-request-bytes whether or not it says its size."""
        limit = self.options.max_request_bytes
        too_large = Refused(
            413,
            f"request body over this endpoint's limit of {limit} bytes "
            "(tipkg serve --max-request-bytes)",
            close=True,
        )
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
        except ClientDisconnect:
            raise Refused(
                400, "the client went away before sending its request", close=True
            ) from None
        return b"".join(chunks)

    async def posted(self, request: Request) -> tuple[str, str]:
        """A POST's media type (lower case, without parameters) and its body as text."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return kind, (await self.body(request)).decode("utf-8", "replace")

    def check_addresses(self, found: Scan) -> None:
        """SERVICE endpoints and LOAD sources must be on the allow-list."""
        allowed = ", ".join(sorted(self.allowed_addresses)) or "none"
        for what, refused in (
            ("SERVICE", found.refused_services(self.allowed_addresses)),
            ("LOAD", found.refused_loads(self.allowed_addresses)),
        ):
            if refused:
                raise Refused(
                    403,
                    f"{what} refused: {', '.join(refused)} is not on this endpoint's allow-list "
                    f"(allowed: {allowed}; tipkg serve --allow-service URL)",
                )

    def read(self, request_text: str) -> Scan:
        found = scan(request_text)
        if found.too_deep:
            raise Refused(
                400,
                f"the request nests {found.depth} levels deep ({{, ( or [), more than the "
                f"{MAX_DEPTH} this endpoint reads",
            )
        self.check_addresses(found)
        return found

    def read_only(self) -> Refused:
        return Refused(
            403,
            "this endpoint is read-only: SPARQL Update is refused "
            "(start `tipkg serve --allow-update` to accept updates)",
        )

    # -- /sparql ------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight(request)
        params = _params(request)
        if request.method == "POST":
            kind, body = await self.posted(request)
            if kind == _FORM:
                _add_form(params, body)
            elif kind == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif kind == "application/sparql-update":
                params.setdefault("update", []).append(body)
            else:
                return text(
                    415,
                    f"unsupported Content-Type {kind or '(none)'!r}: send "
                    "application/x-www-form-urlencoded, application/sparql-query or "
                    "application/sparql-update",
                )
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) > 1:
            return text(400, "send exactly one query or one update per request")
        if updates:
            return await self.update(request, updates[0])
        if queries:
            return await self.query(request, queries[0], params)
        if request.method == "POST":
            return text(400, "no query: send query= or update=")
        if _wants_html(request.headers.get("accept", "")) and not params:
            # a browser following the site's "SPARQL endpoint" link: the query page
            return Response(
                b"See query.html\n", 303, {"Location": "query.html", "Vary": "Accept"}, _TEXT
            )
        return self.service_description(request, params)

    async def query(self, request: Request, query: str, params: dict[str, list[str]]) -> Response:
        found = self.read(query)
        if found.form and found.form not in _QUERY_FORMS:
            if not self.options.allow_update:
                raise self.read_only()
            return text(400, "this is an update: send it as update= or application/sparql-update")
        try:
            choice = negotiate(request.headers.get("accept"), _format_param(params))
        except FormatError as err:
            return text(400, str(err))
        job = Job(
            query,
            results=choice.results,
            graph=choice.graph,
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            prefixes=found.prefixes,
            max_rows=self.options.max_rows,
        )
        return _from_answer(await self.run(job, request), request)

    async def update(self, request: Request, update: str) -> Response:
        if not self.options.allow_update:
            raise self.read_only()
        if request.method != "POST":
            return text(405, "an update is sent by POST", (("Allow", "POST"),))
        refusal = self.guard.check(request.headers)
        if refusal is not None:
            raise Refused(refusal.status, refusal.message, refusal.headers)
        self.read(update)
        job = Job(update, update=True, max_rows=self.options.max_rows)
        return _from_answer(await self.run(job, request), request)

    def endpoint_iri(self, request: Request) -> str:
        candidate = f"{request.url.scheme}://{request.headers.get('host', '')}{ENDPOINT_PATH}"
        try:
            ox.NamedNode(candidate)
        except ValueError:
            candidate = ""
        if not request.headers.get("host") or not candidate:
            host = self.options.host if ":" not in self.options.host else f"[{self.options.host}]"
            return f"http://{host}:{self.options.port}{ENDPOINT_PATH}"
        return candidate

    def service_description(self, request: Request, params: dict[str, list[str]]) -> Response:
        try:
            choice = negotiate(request.headers.get("accept"), _format_param(params))
        except FormatError as err:
            return text(400, str(err))
        triples = service_description(self.endpoint_iri(request), self.options, self.manifest)
        prefixes = _SD_PREFIXES if choice.graph in ("turtle", "rdfxml") else None
        body = ox.serialize(triples, format=GRAPH_OX[choice.graph], prefixes=prefixes)
        assert body is not None
        request.state.rows = len(triples)
        return Response(body, 200, {"Vary": "Accept"}, content_type("graph", choice.graph))

    # -- /query -------------------------------------------------------------------------------

    async def query_page(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight(request)
        params = _params(request)
        if request.method == "POST":
            kind, body = await self.posted(request)
            if kind != _FORM:
                return text(415, f"the query page takes {_FORM}")
            _add_form(params, body)
        examples = {ex.name: ex for ex in self.examples}
        query = (params.get("query") or [""])[0]
        example = (params.get("example") or [""])[0]
        if not query and example in examples:
            query = examples[example].text
        outcome: page.Outcome | None = None
        if query.strip():
            started = time.perf_counter()
            try:
                found = self.read(query)
                if found.form and found.form not in _QUERY_FORMS:
                    raise Refused(403, "the query page runs queries only, never updates")
                job = Job(
                    query, graph="ntriples", prefixes=found.prefixes, max_rows=self.options.max_rows
                )
                answer = await self.run(job, request)
            except Refused as refused:
                answer = Answer(refused.status, _TEXT, (refused.message + "\n").encode("utf-8"))
            ms = (time.perf_counter() - started) * 1000
            outcome = page.Outcome(answer.status, answer.content_type, answer.body, answer.rows, ms)
            request.state.rows = answer.rows
        html = page.render(
            self.examples,
            query or (self.examples[0].text if self.examples else ""),
            outcome,
            endpoint=ENDPOINT_PATH,
            limits=self.options.limits,
            lang="fr" if request.url.path.startswith("/fr/") else "en",
        )
        return Response(
            html,
            200,
            {"Content-Security-Policy": page.CSP, "Referrer-Policy": "no-referrer"},
            "text/html; charset=utf-8",
        )

    # -- the site -----------------------------------------------------------------------------

    async def site_page(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return preflight(request)
        answer = await anyio.to_thread.run_sync(
            self.site.respond, request.url.path, request.headers.get("accept", "")
        )
        headers = {k: v for k, v in answer.headers.items() if k != "Content-Type"}
        return Response(
            answer.body, answer.status, headers, answer.headers.get("Content-Type", _TEXT)
        )


def _wants_html(accept: str) -> bool:
    """A browser's Accept: names text/html, and HTML is what it prefers of the site's formats."""
    return "text/html" in accept.lower() and choose(accept) == "html"


def preflight(request: Request) -> Response:
    requested = request.headers.get("access-control-request-headers", "")
    allowed = "Accept, Content-Type, Authorization"
    if requested and all(c.isalnum() or c in "-_, " for c in requested):
        allowed = requested
    return Response(
        b"",
        204,
        {
            "Access-Control-Allow-Methods": PREFLIGHT_METHODS,
            "Access-Control-Allow-Headers": allowed,
            "Access-Control-Max-Age": "86400",
            "Allow": PREFLIGHT_METHODS,
        },
    )


Handler = Callable[[Request], Awaitable[Response]]


def _refusals(handler: Handler) -> Handler:
    """A Refused raised anywhere in a handler becomes its plain-text answer."""

    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except Refused as refused:
            headers = refused.headers + ((("Connection", "close"),) if refused.close else ())
            return text(refused.status, refused.message, headers)

    return handle


class Frame:
    """Outermost ASGI layer: the URL limit (414), the headers every answer carries (CORS,
    nosniff, Server), one log line per request, and a one-line 500 for a bug (never a traceback
    to the client or the log)."""

    def __init__(self, app: ASGIApp, options: ServeOptions, log: TextIO) -> None:
        self.app = app
        self.options = options
        self.log = log

    def write_log(self, line: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.log, flush=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off; websockets are not served
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500
        sent = False

        async def framed(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                sent = True
                headers = list(message.get("headers", []))
                headers += [
                    (b"access-control-allow-origin", b"*"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"server", f"tipkg/{__version__}".encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            url = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b""))
            limit = self.options.max_request_bytes
            if url > limit:
                response = text(
                    414,
                    f"request URL of {url} bytes is over this endpoint's limit of {limit} "
                    "bytes (tipkg serve --max-request-bytes): POST the query instead",
                    (("Connection", "close"),),
                )
                await response(scope, receive, framed)
            else:
                await self.app(scope, receive, framed)
        except Exception as err:  # noqa: BLE001 - a bug answers 500 in one line, never a traceback
            self.write_log(f"tipkg: internal error: {type(err).__name__}: {err}")
            if not sent:
                await text(500, f"internal error: {type(err).__name__}")(scope, receive, framed)
        ms = (time.perf_counter() - started) * 1000
        client = scope.get("client") or ("-", 0)
        self.write_log(
            f"tipkg: {client[0]} {scope['method']} {scope['path']} {status} "
            f"{ms:.1f} ms {state.get('rows', 0)} rows"
        )


def make_app(endpoint: Endpoint, *, log: TextIO | None = None) -> ASGIApp:
    """The ASGI application: /sparql, /query, and the site at every other path."""
    routes = [
        Route(ENDPOINT_PATH, _refusals(endpoint.sparql), methods=["GET", "POST", "OPTIONS"]),
        Route(PAGE_PATH, _refusals(endpoint.query_page), methods=["GET", "POST", "OPTIONS"]),
        *(
            Route(path, _refusals(endpoint.query_page), methods=["GET", "POST", "OPTIONS"])
            for path in (PAGE_PATH + ".html", "/fr" + PAGE_PATH, "/fr" + PAGE_PATH + ".html")
        ),
        Route("/{path:path}", _refusals(endpoint.site_page), methods=["GET", "OPTIONS"]),
    ]
    application = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    return Frame(application, endpoint.options, log if log is not None else sys.stderr)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (405 with Allow, from its routing) in our words."""
    assert isinstance(exc, HTTPException)
    headers = tuple((exc.headers or {}).items())
    if exc.status_code == 405:
        allowed = dict(headers).get("Allow", "")
        return text(
            405, f"method {request.method} not allowed here: this path takes {allowed}", headers
        )
    return text(exc.status_code, str(exc.detail), headers)


def service_description(
    endpoint: str, options: ServeOptions, manifest: dict[str, Any]
) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint."""

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(_SD + name)

    service, dataset, default_graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/title"),
            ox.Literal(
                "tipkg: the recommendations of the UN Working Group on Trafficking in Persons"
            ),
        ),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
    ]
    if options.allow_update:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if options.allow_service:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + name)))
    # Each subject's triples together, so that the Turtle groups them.
    named = {iri: ox.BlankNode() for iri in sorted(manifest.get("graphs", {}))}
    triples += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
    ]
    triples += [ox.Triple(dataset, sd("namedGraph"), node) for node in named.values()]
    triples.append(ox.Triple(default_graph, _RDF_TYPE, sd("Graph")))
    if isinstance(manifest.get("triples"), int):
        triples.append(
            ox.Triple(
                default_graph,
                ox.NamedNode("http://rdfs.org/ns/void#triples"),
                ox.Literal(str(manifest["triples"]), datatype=ox.NamedNode(_XSD_INTEGER)),
            )
        )
    for iri, node in named.items():
        triples += [
            ox.Triple(node, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(iri)),
        ]
    return triples
