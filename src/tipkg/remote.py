"""Any SPARQL 1.1 endpoint as the store: queries through SPARQLWrapper, loading through the Graph
Store Protocol (`tipkg query --endpoint`, `tipkg push`).

Queries ask for application/sparql-results+json only (content negotiation, no `format=`/`output=`
parameters), which Apache Jena Fuseki, Oxigraph server, Virtuoso and GraphDB all answer; short
queries go by GET, long ones by POST (form-encoded). The answer becomes the same Table the
embedded store gives, so `tipkg query` prints the same columns and values from either.

Loading PUTs each named graph of a build to ENDPOINT?graph=IRI, which replaces that graph. A graph
of more than `chunk_triples` triples goes in N-Triples chunks: the first PUT, the rest POSTed
(appended). Triples sharing a blank node always travel in the same chunk: a blank node label only
means the same node within one document.
"""

from __future__ import annotations

import ast
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SELECT, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from tipkg import __version__
from tipkg.errors import InputError
from tipkg.outputs import BUILD_MANIFEST, read_manifest
from tipkg.store import Table
from tipkg.web.scan import scan

USER_AGENT = f"tipkg/{__version__} (+https://w3id.org/tipkg/)"
RESULTS_JSON = "application/sparql-results+json"
GET_LIMIT = 2000  # longest URL sent by GET: proxies and some servers refuse longer ones
DEFAULT_CHUNK_TRIPLES = 100_000
# N-Triples is a subset of Turtle, so chunks are labelled text/turtle: the one media type that
# every Graph Store Protocol implementation (Virtuoso's included) is sure to accept.
CHUNK_MEDIA_TYPE = "text/turtle"

_STATUS_OF: dict[type[SPARQLWrapperException], int] = {
    QueryBadFormed: 400,
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}


class RemoteError(InputError):
    """The endpoint could not be reached, or refused: names the status and the server's words."""

    def __init__(self, endpoint: str, problem: str) -> None:
        super().__init__(endpoint, None, problem)


def _server_message(body: bytes | str, limit: int = 600) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapper_message(err: SPARQLWrapperException) -> str:
    """SPARQLWrapper keeps the server's body only inside its message, as a bytes repr."""
    _, _, tail = str(err).partition("Response:\n")
    if tail:
        try:
            body = ast.literal_eval(tail.strip())
        except (ValueError, SyntaxError):
            return _server_message(tail)
        if isinstance(body, bytes | str):
            return _server_message(body)
    return str(err)


def _term_text(term: dict[str, Any]) -> str:
    """A SPARQL JSON term as tipkg.store.term_text writes the same term."""
    kind = term.get("type")
    value = str(term.get("value", ""))
    if kind == "bnode":
        return f"_:{value}"
    if kind == "triple" and isinstance(term.get("value"), dict):
        parts = term["value"]
        return " ".join(_term_text(parts[k]) for k in ("subject", "predicate", "object"))
    return value


def table_from_json(document: dict[str, Any]) -> Table:
    columns = [str(name) for name in document["head"].get("vars", [])]
    rows = [
        [_term_text(binding[name]) if name in binding else "" for name in columns]
        for binding in document["results"]["bindings"]
    ]
    return Table(columns, rows)


def remote_select(
    endpoint: str,
    query: str,
    *,
    timeout: float = 60.0,
    default_graphs: tuple[str, ...] = (),
) -> Table:
    """Run a SELECT at a SPARQL 1.1 endpoint; the answer as the embedded store's Table."""
    form = scan(query).form
    if form not in (None, "SELECT"):
        raise InputError("query", None, "only SELECT queries can be printed as a table")
    sparql = SPARQLWrapper(endpoint, agent=USER_AGENT)
    sparql.setQuery(query)
    # SPARQLWrapper guesses the form from the first keyword-like word, comments included ("#
    # address…" read as ADD): the scanner above already knows it is a SELECT.
    sparql.queryType = SELECT
    sparql.setReturnFormat(JSON)
    sparql.setOnlyConneg(True)  # no format=/output= parameters: Accept alone, for every server
    sparql.addCustomHttpHeader("Accept", RESULTS_JSON)
    sparql.setTimeout(max(1, round(timeout)))
    for graph in default_graphs:
        sparql.addDefaultGraph(graph)
    params = urlencode([("query", query)] + [("default-graph-uri", g) for g in default_graphs])
    if len(endpoint) + 1 + len(params) > GET_LIMIT:
        sparql.setMethod(POST)
        sparql.setRequestMethod(URLENCODED)
    try:
        response = sparql.query()
        raw = response.response.read()
    except SPARQLWrapperException as err:
        status = next((s for t, s in _STATUS_OF.items() if isinstance(err, t)), 0)
        raise RemoteError(
            endpoint, f"the endpoint answered HTTP {status}: {_wrapper_message(err)}"
        ) from err
    except urllib.error.HTTPError as err:
        raise RemoteError(
            endpoint,
            f"the endpoint answered HTTP {err.code} {err.reason}: {_server_message(err.read())}",
        ) from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise RemoteError(endpoint, f"no answer within {timeout:g} s (--timeout)") from err
        raise RemoteError(endpoint, f"cannot reach the endpoint: {err.reason}") from err
    except TimeoutError as err:
        raise RemoteError(endpoint, f"no answer within {timeout:g} s (--timeout)") from err
    except OSError as err:
        raise RemoteError(endpoint, f"connection failed: {err}") from err
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        media = response.response.headers.get("Content-Type", "?")
        raise RemoteError(
            endpoint, f"the endpoint did not answer SPARQL results JSON (Content-Type {media})"
        ) from err
    if not isinstance(document, dict) or "head" not in document:
        raise RemoteError(endpoint, "the endpoint did not answer SPARQL results JSON")
    if "boolean" in document or "results" not in document:
        raise InputError("query", None, "only SELECT queries can be printed as a table")
    return table_from_json(document)


# --- Graph Store Protocol ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int
    requests: int


def graph_url(endpoint: str, graph: str) -> str:
    """ENDPOINT?graph=IRI (or &graph= when the endpoint URL has a query already).

    Virtuoso's /sparql-graph-crud[-auth] is documented with its own parameter name, graph-uri:
    that one is used there."""
    split = urlsplit(endpoint)
    virtuoso = split.path.rstrip("/").endswith(("/sparql-graph-crud", "/sparql-graph-crud-auth"))
    separator = "&" if split.query else "?"
    return f"{endpoint}{separator}{urlencode({'graph-uri' if virtuoso else 'graph': graph})}"


def _opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if user:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint, user, password or "")
        handlers += [
            urllib.request.HTTPBasicAuthHandler(manager),
            urllib.request.HTTPDigestAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _send(
    opener: urllib.request.OpenerDirector,
    method: str,
    url: str,
    data: bytes,
    media_type: str,
    timeout: float,
    endpoint: str,
    graph: str,
) -> int:
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": media_type, "User-Agent": USER_AGENT},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as err:
        raise RemoteError(
            endpoint,
            f"the store refused {method} of graph <{graph}>: HTTP {err.code} {err.reason}: "
            f"{_server_message(err.read()) or '(no message)'}",
        ) from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise RemoteError(
                endpoint, f"no answer within {timeout:g} s to {method} of graph <{graph}>"
            ) from err
        raise RemoteError(endpoint, f"cannot reach the store: {err.reason}") from err
    except TimeoutError as err:
        raise RemoteError(
            endpoint, f"no answer within {timeout:g} s to {method} of graph <{graph}>"
        ) from err


def _blank_nodes(term: object) -> Iterator[str]:
    if isinstance(term, ox.BlankNode):
        yield term.value
    elif isinstance(term, ox.Triple):
        for part in (term.subject, term.predicate, term.object):
            yield from _blank_nodes(part)


def _chunks(path: Path, media: ox.RdfFormat, size: int) -> Iterator[list[ox.Triple]]:
    """The triples of a file in lists of about `size`; triples linked by blank nodes stay
    together (a group larger than `size` travels alone, whole)."""
    current: list[ox.Triple] = []
    parent: dict[str, str] = {}
    held: list[tuple[str, ox.Triple]] = []

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for quad in ox.parse(path=str(path), format=media):
        triple = quad.triple
        nodes = list(_blank_nodes(triple))
        if not nodes:
            current.append(triple)
            if len(current) >= size:
                yield current
                current = []
            continue
        first = find(nodes[0])
        for other in nodes[1:]:
            root = find(other)
            if root != first:
                parent[root] = first
        held.append((nodes[0], triple))
    groups: dict[str, list[ox.Triple]] = {}
    for node, triple in held:
        groups.setdefault(find(node), []).append(triple)
    for group in groups.values():
        if current and len(current) + len(group) > size:
            yield current
            current = []
        current.extend(group)
        if len(current) >= size:
            yield current
            current = []
    if current:
        yield current


def _count_up_to(path: Path, media: ox.RdfFormat, limit: int) -> int:
    """The number of triples in a file, counting no further than limit + 1."""
    count = 0
    for _ in ox.parse(path=str(path), format=media):
        count += 1
        if count > limit:
            break
    return count


def push(
    endpoint: str,
    build_dir: Path,
    *,
    graph: str | None = None,
    chunk_triples: int = DEFAULT_CHUNK_TRIPLES,
    timeout: float = 300.0,
    user: str | None = None,
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Pushed]:
    """Load a build into a Graph Store Protocol endpoint: each named graph of the manifest into
    the same graph there (replacing it), or every file into `graph` when it is given."""
    manifest_path = build_dir / BUILD_MANIFEST
    files: dict[str, str] = read_manifest(build_dir)["graphs"]
    if not files:
        raise InputError(manifest_path, None, "the manifest lists no graphs")
    targets: list[tuple[str, list[Path]]]
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as err:
            raise InputError("--graph", None, f"not an IRI: {graph!r} ({err})") from err
        targets = [(graph, [build_dir / rel for rel in files.values()])]
    else:
        targets = [(iri, [build_dir / rel]) for iri, rel in files.items()]
    say = progress or (lambda message: None)
    opener = _opener(endpoint, user, password)
    pushed: list[Pushed] = []
    for target, paths in targets:
        url = graph_url(endpoint, target)
        requests = sent = 0
        for path in paths:
            if not path.is_file():
                raise InputError(path, None, "listed in the manifest but missing")
            media = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
            count = _count_up_to(path, media, chunk_triples)
            if count <= chunk_triples:  # small: the file as it is, one request
                method = "PUT" if requests == 0 else "POST"
                data = path.read_bytes()
                _send(opener, method, url, data, media.media_type, timeout, endpoint, target)
                requests += 1
                sent += count
                say(f"<{target}>: {method} {path.name}, {count} triples")
                continue
            for chunk in _chunks(path, media, chunk_triples):
                method = "PUT" if requests == 0 else "POST"
                chunk_data = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
                assert chunk_data is not None
                _send(opener, method, url, chunk_data, CHUNK_MEDIA_TYPE, timeout, endpoint, target)
                requests += 1
                sent += len(chunk)
                say(f"<{target}>: {method} chunk {requests} of {path.name}, {sent} triples sent")
        pushed.append(Pushed(target, sent, requests))
    return pushed


def print_progress(message: str) -> None:
    print(f"tipkg: push {message}", file=sys.stderr, flush=True)
