"""`tipkg serve`: the last build as a SPARQL 1.1 endpoint and an HTML query page, on one machine.

- GET /sparql?query=…, POST /sparql (form-encoded, or application/sparql-query): the SPARQL 1.1
  Protocol; SELECT/ASK as JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples
  or RDF/XML, chosen by Accept or by a `format` (or `output`) parameter. The default graph is the
  union of the build's named graphs, as for `tipkg query`, unless default-graph-uri says otherwise.
- GET /sparql without a query: the SPARQL 1.1 Service Description (Turtle by default).
- GET / or /query: the HTML page with the competency questions as examples.
- CORS: every answer carries Access-Control-Allow-Origin: *, and OPTIONS answers preflights.

Safe by default: SPARQL Update is refused (403) unless --allow-update; SERVICE to an endpoint not
on the --allow-service list is refused (403); a request body over --max-request-bytes is refused
(413; a URL over it, 414); a query past --timeout seconds is stopped (503) and one whose answer
passes --max-rows rows is stopped (422), while other clients keep being served (tipkg.web.pool).

Standard library only (http.server): the endpoint is a thin layer over the worker pool, and a
framework would add a dependency without removing any of the code that matters here.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from tipkg import __version__
from tipkg.web import page
from tipkg.web.formats import GRAPH_OX, FormatError, content_type, negotiate
from tipkg.web.pool import Answer, Job, PoolError, WorkerPool, text_answer
from tipkg.web.scan import scan

ENDPOINT_PATH = "/sparql"
PAGE_PATHS = ("/query",)
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
    workers: int = field(default_factory=default_workers)

    @property
    def limits(self) -> str:
        update = "updates accepted" if self.allow_update else "read-only"
        return (
            f"Limits: {self.timeout:g} s per query, {self.max_rows} rows per answer, "
            f"{self.max_request_bytes} bytes per request; {update}."
        )


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    rows: int = 0
    headers: tuple[tuple[str, str], ...] = ()


def _text(status: int, message: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def _format_param(params: dict[str, list[str]]) -> str | None:
    values = params.get("format") or params.get("output")
    return values[0] if values else None


def _from_answer(answer: Answer) -> Response:
    return Response(
        answer.status, answer.content_type, answer.body, answer.rows, (("Vary", "Accept"),)
    )


class _Refused(Exception):
    def __init__(self, status: int, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        options: ServeOptions,
        pool: WorkerPool,
        *,
        log: TextIO | None = None,
    ) -> None:
        if ":" in options.host:
            self.address_family = socket.AF_INET6
        super().__init__((options.host, options.port), SparqlHandler)
        self.options = options
        self.pool = pool
        self.log = log if log is not None else sys.stderr
        self.allowed_services = frozenset(options.allow_service)
        from tipkg.paths import COMPETENCY_DIR

        self.examples = page.load_examples(COMPETENCY_DIR)
        # Every other path is the linked-data site, rendered from the same build: pages and
        # RDF documents, with IRIs answering 303 See Other to them (tipkg.publish).
        from tipkg.publish import Responder

        self.site = Responder(build_dir=options.build_dir, base_url="/")
        manifest_path = options.build_dir / "build.json"
        self.manifest: dict[str, Any] = (
            json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        )

    @property
    def base_url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"

    def write_log(self, line: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.log, flush=True)


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = f"tipkg/{__version__}"
    timeout = 60  # seconds an idle keep-alive connection is kept
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for the
    # client's delayed ACK, 40 ms on Linux, on every keep-alive request.
    disable_nagle_algorithm = True

    # -- plumbing ---------------------------------------------------------------------------

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # one line per request is written by _handle, with the time and the rows

    def log_message(self, format: str, *args: Any) -> None:
        self.server.write_log(f"tipkg: {self.address_string()} {format % args}")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        started = time.perf_counter()
        path = urlsplit(self.path).path
        try:
            response = self._route(method)
        except _Refused as refused:
            if refused.close:
                self.close_connection = True
            response = _text(refused.status, refused.message)
        except Exception as err:  # noqa: BLE001 - a bug must answer 500, not drop the connection
            response = _text(500, f"internal error: {type(err).__name__}: {err}")
        try:
            self._send(response, head=method == "HEAD")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        ms = (time.perf_counter() - started) * 1000
        self.server.write_log(
            f"tipkg: {self.client_address[0]} {method} {path} {response.status} "
            f"{ms:.1f} ms {response.rows} rows"
        )

    def _send(self, response: Response, *, head: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send the request body with a Content-Length", close=True)
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if length < 0:
            raise _Refused(400, "bad Content-Length", close=True)
        limit = self.server.options.max_request_bytes
        if length > limit:
            raise _Refused(
                413,
                f"request body of {length} bytes is over this endpoint's limit of {limit} bytes "
                "(tipkg serve --max-request-bytes)",
                close=True,
            )
        return self.rfile.read(length) if length > 0 else b""

    # -- routes -----------------------------------------------------------------------------

    def _route(self, method: str) -> Response:
        limit = self.server.options.max_request_bytes
        if len(self.path) > limit:
            body_length = self.headers.get("Content-Length")
            raise _Refused(
                414,
                f"request URL of {len(self.path)} bytes is over this endpoint's limit of "
                f"{limit} bytes (tipkg serve --max-request-bytes): POST the query instead",
                close=bool(body_length and body_length != "0"),
            )
        split = urlsplit(self.path)
        params = parse_qs(split.query, keep_blank_values=True)
        if split.path == ENDPOINT_PATH:
            return self._endpoint(method, params)
        if split.path in PAGE_PATHS:
            return self._page(method, params)
        if method == "OPTIONS":
            return self._preflight()
        if method == "POST":
            return self._not_allowed(method)
        answer = self.server.site.respond(split.path, self.headers.get("Accept", ""))
        return Response(
            answer.status,
            answer.headers.get("Content-Type", "text/plain; charset=utf-8"),
            answer.body,
            headers=tuple((k, v) for k, v in answer.headers.items() if k != "Content-Type"),
        )

    def _not_allowed(self, method: str) -> Response:
        if method in ("POST", "PUT", "PATCH"):
            self._read_body()
        return Response(
            405,
            "text/plain; charset=utf-8",
            f"method {method} not allowed here\n".encode(),
            headers=(("Allow", "GET, HEAD, POST, OPTIONS"),),
        )

    def _preflight(self) -> Response:
        requested = self.headers.get("Access-Control-Request-Headers", "")
        allowed = "Accept, Content-Type"
        if requested and all(c.isalnum() or c in "-_, " for c in requested):
            allowed = requested
        return Response(
            204,
            "text/plain; charset=utf-8",
            b"",
            headers=(
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", allowed),
                ("Access-Control-Max-Age", "86400"),
                ("Allow", "GET, HEAD, POST, OPTIONS"),
            ),
        )

    def _endpoint(self, method: str, params: dict[str, list[str]]) -> Response:
        if method == "OPTIONS":
            return self._preflight()
        if method not in ("GET", "HEAD", "POST"):
            return self._not_allowed(method)
        if method == "POST":
            kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            body = self._read_body()
            if kind == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for name, values in form.items():
                    params.setdefault(name, []).extend(values)
            elif kind == "application/sparql-query":
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif kind == "application/sparql-update":
                params.setdefault("update", []).append(body.decode("utf-8", "replace"))
            else:
                return _text(
                    415,
                    f"unsupported Content-Type {kind or '(none)'!r}: send "
                    "application/x-www-form-urlencoded, application/sparql-query or "
                    "application/sparql-update",
                )
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) > 1:
            return _text(400, "send exactly one query or one update per request")
        if updates:
            return self._update(method, updates[0])
        if queries:
            return self._query(queries[0], params)
        if method == "POST":
            return _text(400, "no query: send query= or update=")
        return self._service_description(params)

    def _check_services(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        found = scan(text)
        refused = found.refused_services(self.server.allowed_services)
        if refused:
            allowed = ", ".join(sorted(self.server.allowed_services)) or "none"
            raise _Refused(
                403,
                f"SERVICE refused: {', '.join(refused)} is not on this endpoint's allow-list "
                f"(allowed: {allowed}; tipkg serve --allow-service URL)",
            )
        return found.form or "", found.prefixes

    def _read_only(self) -> _Refused:
        return _Refused(
            403,
            "this endpoint is read-only: SPARQL Update is refused "
            "(start `tipkg serve --allow-update` to accept updates)",
        )

    def _query(self, text: str, params: dict[str, list[str]]) -> Response:
        form, prefixes = self._check_services(text)
        if form and form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            if not self.server.options.allow_update:
                raise self._read_only()
            return _text(400, "this is an update: send it as update= or application/sparql-update")
        try:
            choice = negotiate(self.headers.get("Accept"), _format_param(params))
        except FormatError as err:
            return _text(400, str(err))
        options = self.server.options
        job = Job(
            text,
            results=choice.results,
            graph=choice.graph,
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            prefixes=prefixes,
            max_rows=options.max_rows,
        )
        return _from_answer(self.server.pool.run(job, options.timeout))

    def _update(self, method: str, text: str) -> Response:
        options = self.server.options
        if not options.allow_update:
            raise self._read_only()
        if method != "POST":
            return self._not_allowed(method)
        self._check_services(text)
        job = Job(text, update=True, max_rows=options.max_rows)
        return _from_answer(self.server.pool.run(job, options.timeout))

    def _endpoint_iri(self) -> str:
        host = self.headers.get("Host", "")
        candidate = f"http://{host}{ENDPOINT_PATH}"
        try:
            ox.NamedNode(candidate)
        except ValueError:
            return self.server.base_url.rstrip("/") + ENDPOINT_PATH
        return candidate if host else self.server.base_url.rstrip("/") + ENDPOINT_PATH

    def _service_description(self, params: dict[str, list[str]]) -> Response:
        try:
            choice = negotiate(self.headers.get("Accept"), _format_param(params))
        except FormatError as err:
            return _text(400, str(err))
        triples = service_description(
            self._endpoint_iri(), self.server.options, self.server.manifest
        )
        prefixes = _SD_PREFIXES if choice.graph in ("turtle", "rdfxml") else None
        body = ox.serialize(triples, format=GRAPH_OX[choice.graph], prefixes=prefixes)
        assert body is not None
        return Response(
            200, content_type("graph", choice.graph), body, len(triples), (("Vary", "Accept"),)
        )

    def _page(self, method: str, params: dict[str, list[str]]) -> Response:
        if method == "OPTIONS":
            return self._preflight()
        if method == "POST":
            kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            body = self._read_body()
            if kind != "application/x-www-form-urlencoded":
                return _text(415, "the query page takes application/x-www-form-urlencoded")
            for name, values in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(name, []).extend(values)
        elif method not in ("GET", "HEAD"):
            return self._not_allowed(method)
        examples = {ex.name: ex for ex in self.server.examples}
        query = (params.get("query") or [""])[0]
        example = (params.get("example") or [""])[0]
        if not query and example in examples:
            query = examples[example].text
        outcome: page.Outcome | None = None
        rows = 0
        if query.strip():
            started = time.perf_counter()
            try:
                form, prefixes = self._check_services(query)
                if form and form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                    raise _Refused(403, "the query page runs queries only, never updates")
                options = self.server.options
                job = Job(query, graph="ntriples", prefixes=prefixes, max_rows=options.max_rows)
                answer = self.server.pool.run(job, options.timeout)
            except _Refused as refused:
                answer = text_answer(refused.status, refused.message)
            ms = (time.perf_counter() - started) * 1000
            outcome = page.Outcome(answer.status, answer.content_type, answer.body, answer.rows, ms)
            rows = answer.rows
        html = page.render(
            self.server.examples,
            query or (self.server.examples[0].text if self.server.examples else ""),
            outcome,
            endpoint=ENDPOINT_PATH,
            limits=self.server.options.limits,
        )
        return Response(
            200,
            "text/html; charset=utf-8",
            html,
            rows,
            (("Content-Security-Policy", page.CSP), ("Referrer-Policy", "no-referrer")),
        )


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


def _shown(path: Path) -> str:
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{path}/"
    return "./" if str(relative) == "." else f"{relative}/"


def make_server(options: ServeOptions, *, log: TextIO | None = None) -> SparqlServer:
    """Start the workers and bind the socket (port 0: any free port); the caller serves."""
    store_dir = options.build_dir / "store"
    size = 1 if options.allow_update else options.workers
    pool = WorkerPool(store_dir, size, writable=options.allow_update)
    try:
        return SparqlServer(options, pool, log=log)
    except OSError:
        pool.close()
        raise


def serve(
    options: ServeOptions,
    *,
    out: TextIO | None = None,
    log: TextIO | None = None,
    ready: Callable[[SparqlServer], None] | None = None,
) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); returns an exit code."""
    out = out if out is not None else sys.stdout
    try:
        server = make_server(options, log=log)
    except PoolError as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = f"{options.host}:{options.port}"
        print(f"tipkg: error: cannot listen on {where}: {err}", file=sys.stderr)
        return 2

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        print(
            f"tipkg: serving {_shown(options.build_dir)} at {server.base_url} "
            f"— site {server.base_url}, query page {server.base_url}query, "
            f"SPARQL endpoint {server.base_url.rstrip('/')}{ENDPOINT_PATH}",
            file=out,
            flush=True,
        )
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.pool.close()
        print("tipkg: stopped", file=out, flush=True)
    return 0
