"""`tipkg serve` as an HTTP server, probed with raw sockets as an attacker or a broken client would
(issue 13): no request smuggling, one answer per request, plain-text refusals, no dead worker;
write access only from allowed origins with the token; fair under runaway queries.

Servers are `python -m tipkg serve` child processes on 127.0.0.1. No test asserts a time.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from tipkg.build import BuildSummary
from tipkg.web.access import WriteGuard
from tipkg.web.launch import Running, start_tipkg
from tipkg.web.scan import MAX_DEPTH, scan

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # |triples|^3
STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


@pytest.fixture(scope="module")
def server(built: tuple[Path, BuildSummary]) -> Iterator[Running]:
    with start_tipkg(built[0], "--timeout", "5", "--workers", "1", "--max-slow", "2") as running:
        yield running


def _address(server: Running) -> tuple[str, int]:
    where = urlsplit(server.base_url)
    return where.hostname or "127.0.0.1", where.port or 80


def exchange(server: Running, raw: bytes, *, read_timeout: float = 30) -> bytes:
    """Send raw bytes on one connection and read until the server closes it."""
    with socket.create_connection(_address(server), timeout=read_timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def responses(raw: bytes, *, head: bool = False) -> list[tuple[int, dict[str, str], bytes]]:
    """Every response in a byte stream, framed by Content-Length (as every answer here is)."""
    found = []
    while raw:
        top, separator, rest = raw.partition(b"\r\n\r\n")
        assert separator, f"an incomplete response: {raw[:200]!r}"
        lines = top.decode("latin-1").split("\r\n")
        assert STATUS_LINE.match(lines[0].encode("latin-1")), lines[0]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head else int(headers.get("content-length", len(rest)))
        found.append((int(lines[0].split()[1]), headers, rest[:length]))
        raw = rest[length:]
    return found


def statuses(raw: bytes) -> list[int]:
    return [status for status, _, _ in responses(raw)]


def head_of(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    return responses(raw)[0]


# --- framing -----------------------------------------------------------------------------------


def test_a_body_is_never_read_as_a_second_request(server: Running) -> None:
    """The desync of issue 13: a PUT whose body is a request, on a kept-alive connection. One
    answer (405) for it; the next request on the connection is answered as itself."""
    smuggled = f"GET /sparql?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    raw = (
        b"PUT /robots.txt HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + str(len(smuggled)).encode()
        + b"\r\n\r\n"
        + smuggled
        + b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    answer = exchange(server, raw)
    assert statuses(answer) == [405, 200]
    assert b"boolean" not in answer  # the smuggled query never ran
    status, headers, _ = head_of(answer)
    assert "GET" in headers["allow"] and "PUT" not in headers["allow"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
@pytest.mark.parametrize("path", ["/robots.txt", "/", "/query", "/sparql", "/nowhere"])
def test_405_with_allow_for_every_method_a_path_does_not_take(
    server: Running, method: str, path: str
) -> None:
    raw = (
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
    )
    answer = exchange(server, raw.encode())
    assert statuses(answer) == [405]
    status, headers, body = head_of(answer)
    assert "GET" in headers["allow"] and method not in headers["allow"].split(", ")
    assert headers["content-type"].startswith("text/plain")
    assert f"method {method} not allowed here".encode() in body


@pytest.mark.parametrize(
    "lengths",
    [("5", "5"), ("5", "6"), ("5, 5", None)],
    ids=["equal", "conflicting", "listed"],
)
def test_duplicate_content_length_is_one_400(
    server: Running, lengths: tuple[str, str | None]
) -> None:
    headers = "".join(f"Content-Length: {n}\r\n" for n in lengths if n is not None)
    raw = (
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"{headers}\r\nASK {{}}GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    answer = exchange(server, raw.encode())
    assert statuses(answer) == [400]
    assert head_of(answer)[1]["content-type"].startswith("text/plain")


def test_content_length_beside_chunked_is_one_400(server: Running) -> None:
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n"
    )
    assert statuses(exchange(server, raw)) == [400]


def test_a_chunked_body_is_read_by_the_library(server: Running) -> None:
    body = b"ASK {}"
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )
    answer = exchange(server, raw)
    assert statuses(answer) == [200]
    assert json.loads(head_of(answer)[2])["boolean"] is True


@pytest.mark.parametrize("size", [64 * 1024, 80_000, 100_000, 100_001, 300_000])
def test_a_long_url_gets_a_plain_text_refusal(server: Running, size: int) -> None:
    target = "/sparql?query=" + "x" * (size - len("/sparql?query="))
    answer = exchange(server, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert len(statuses(answer)) == 1
    status, headers, body = head_of(answer)
    assert status in (400, 414)
    assert headers["content-type"].startswith("text/plain")
    assert b"<html" not in body.lower() and b"<!doctype" not in body.lower()


@pytest.mark.parametrize(
    "raw",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # a TLS hello
        b"HELLO\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n",
        b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
    ],
    ids=["tls", "word", "no-target", "version", "header", "nul", "headers", "big-header"],
)
def test_garbage_gets_one_plain_text_400(server: Running, raw: bytes) -> None:
    answer = exchange(server, raw)
    assert len(statuses(answer)) == 1
    status, headers, body = head_of(answer)
    assert 400 <= status < 500 or status == 505
    assert headers["content-type"].startswith("text/plain")
    assert b"<html" not in body.lower()


def test_head_has_no_body(server: Running) -> None:
    raw = f"HEAD /sparql?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = exchange(server, raw.encode())
    [(status, headers, body)] = responses(answer, head=True)
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert answer.endswith(b"\r\n\r\n")


# --- the engine is never handed what would kill it ---------------------------------------------


@pytest.mark.parametrize("shape", ["{", "(", "["])
def test_a_deeply_nested_query_is_a_400_and_the_workers_live_on(
    server: Running, shape: str
) -> None:
    closing = {"{": "}", "(": ")", "[": "]"}[shape]
    if shape == "{":
        query = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    elif shape == "(":
        query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    else:
        query = "SELECT * WHERE { ?s ?p " + "[ ?p " * 5000 + "1" + closing * 5000 + " }"
    assert scan(query).depth > MAX_DEPTH
    body = urlencode({"query": query}).encode()
    then = f"GET /sparql?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        + then.encode()
    )
    answer = exchange(server, raw)
    assert statuses(answer) == [400, 200]
    assert b"nests" in answer and b'"boolean":true' in answer
    log = server.log()
    assert "Traceback" not in log


# --- fair under runaways -----------------------------------------------------------------------


def _get_from(server: Running, source: str, query: str) -> tuple[int, bytes]:
    host, port = _address(server)
    connection = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": query}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_simple_query_is_answered_while_two_runaways_run(server: Running) -> None:
    """One worker for everyone and two places for slow queries: two clients' runaways take the
    two places, a third client is still served, and a runaway's own client may not start a
    second one (429)."""
    outcomes: dict[str, tuple[int, bytes]] = {}

    def runaway(source: str) -> None:
        outcomes[source] = _get_from(server, source, SLOW)

    threads = [threading.Thread(target=runaway, args=(a,)) for a in ("127.0.0.2", "127.0.0.3")]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # both are past --slow-after (0.5 s) now, each on a slow place
    status, body = _get_from(server, "127.0.0.1", "ASK { ?s ?p ?o }")
    running = [thread.is_alive() for thread in threads]
    second_status, second_body = _get_from(server, "127.0.0.2", SLOW)
    for thread in threads:
        thread.join(30)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert running == [True, True]
    assert second_status == 429 and b"one slow query per client" in second_body
    assert {s for s, _ in outcomes.values()} == {503}  # the runaways hit --timeout


# --- write access ------------------------------------------------------------------------------

TOKEN_VAR = "TIPKG_TEST_WRITE_TOKEN"
TOKEN = "s3cret-token"
ALLOWED = "https://editor.example.org"
INSERT = "INSERT DATA { GRAPH <urn:g> { <http://example.org/a> <http://example.org/b> 1 } }"


@pytest.fixture(scope="module")
def writable(
    built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    copy = tmp_path_factory.mktemp("writable") / "dist"
    shutil.copytree(built[0], copy)
    os.environ[TOKEN_VAR] = TOKEN
    try:
        running = start_tipkg(
            copy,
            "--allow-update",
            "--token-env",
            TOKEN_VAR,
            "--allow-origin",
            ALLOWED,
            "--allow-service",
            "http://127.0.0.1:9/data.ttl",
        )
    finally:
        os.environ.pop(TOKEN_VAR, None)
    with running:
        yield running


def post(
    server: Running, fields: dict[str, str], headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    host, port = _address(server)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(
            "POST",
            "/sparql",
            urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def count_triples(server: Running) -> int:
    status, body = _get_from(
        server, "127.0.0.1", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    )
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_a_cross_origin_form_cannot_drop_the_store(writable: Running) -> None:
    before = count_triples(writable)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for headers in (
        {"Origin": "https://evil.example", **bearer},
        {"Origin": "null", **bearer},
        {"Sec-Fetch-Site": "cross-site", **bearer},
        {"Origin": writable.base_url.rstrip("/") + ".evil.example", **bearer},
    ):
        status, _, body = post(writable, {"update": "DROP ALL"}, headers)
        assert status == 403, headers
        assert b"update refused" in body
    assert count_triples(writable) == before > 0


def test_an_update_needs_the_token(writable: Running) -> None:
    same_origin = {"Origin": writable.base_url.rstrip("/")}
    for given in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        status, headers, _ = post(writable, {"update": INSERT}, {**same_origin, **given})
        assert status == 401 and headers["www-authenticate"].startswith("Bearer")
    status, _, _ = post(
        writable, {"update": INSERT}, {**same_origin, "Authorization": f"Bearer {TOKEN}"}
    )
    assert status == 204
    status, _, _ = post(
        writable, {"update": INSERT}, {"Origin": ALLOWED, "Authorization": f"Bearer {TOKEN}"}
    )
    assert status == 204  # an allowed origin
    status, _, _ = post(writable, {"update": INSERT}, {"Authorization": f"Bearer {TOKEN}"})
    assert status == 204  # no browser: no Origin, no Sec-Fetch-Site


def test_load_is_under_the_service_allow_list(writable: Running) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for update in (
        "LOAD <http://example.org/data.ttl>",
        "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <urn:g>",
        "PREFIX e: <http://example.org/> LOAD e:data.ttl",
        "INSERT DATA { <urn:a> <urn:b> 1 } ; LOAD <file:///etc/passwd>",
    ):
        status, _, body = post(writable, {"update": update}, bearer)
        assert status == 403 and b"LOAD refused" in body, update
    status, _, body = post(writable, {"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, bearer)
    assert status != 403 and b"LOAD refused" not in body  # allowed; the engine fails to fetch


def test_write_guard_origins() -> None:
    guard = WriteGuard.make("127.0.0.1", 8000, ["https://Editor.example.org:443/"], None)
    assert guard.check({"origin": "http://127.0.0.1:8000"}) is None
    assert guard.check({"origin": "http://localhost:8000"}) is None
    assert guard.check({"origin": "https://editor.example.org"}) is None
    assert guard.check({}) is None
    assert guard.check({"sec-fetch-site": "same-origin"}) is None
    refused = guard.check({"origin": "http://127.0.0.1:8001"})
    assert refused is not None and refused.status == 403
    refused = guard.check({"sec-fetch-site": "same-site"})
    assert refused is not None and refused.status == 403


def test_the_listening_socket_says_it_is_tcp_regression_issue_13() -> None:
    """asyncio sets TCP_NODELAY only on sockets created as IPPROTO_TCP: without it every
    keep-alive answer waited 40 ms for the client's delayed ACK (throughput fell to 0.14×)."""
    from tipkg.web.server import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
