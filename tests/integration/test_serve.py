"""`tipkg serve` end to end on loopback: the SPARQL 1.1 Protocol, its limits, CORS, the query page.

One server per module (a `python -m tipkg serve` child process on a free port) over the session's
build, started with a 1 s time limit and a 1,000-row limit so that both limits can be hit fast.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from tipkg.build import BuildSummary
from tipkg.cli import resolve_query
from tipkg.paths import COMPETENCY_DIR
from tipkg.store import open_read_only, select, term_text
from tipkg.web.formats import negotiate
from tipkg.web.launch import Running, start_tipkg
from tipkg.web.page import title_of
from tipkg.web.pool import Job, evaluate
from tipkg.web.scan import scan

# A SERVICE endpoint on the allow-list. Oxigraph refuses port 9 before opening any connection,
# so a query calling it passes our check and fails in the engine, offline.
ALLOWED_SERVICE = "http://127.0.0.1:9/sparql"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # |triples|^3
TIP = "PREFIX tip: <https://w3id.org/tipkg/def/>\n"


@pytest.fixture(scope="module")
def server(
    built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = start_tipkg(
        built[0],
        "--timeout",
        "1",
        "--max-rows",
        "1000",
        "--max-request-bytes",
        "50000",
        "--workers",
        "2",
        "--allow-service",
        ALLOWED_SERVICE,
        log_path=log,
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def store(built: tuple[Path, BuildSummary]) -> ox.Store:
    return open_read_only(built[0] / "store")


def http(
    method: str,
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15,
) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get(server: Running, query: str, **params: str) -> tuple[int, Message, bytes]:
    accept = params.pop("accept", None)
    url = server.base_url + "sparql?" + urlencode({"query": query, **params})
    return http("GET", url, headers={"Accept": accept} if accept else {})


def post_form(server: Running, **fields: str) -> tuple[int, Message, bytes]:
    return http(
        "POST",
        server.base_url + "sparql",
        urlencode(fields).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )


def rows_of(body: bytes, media: ox.QueryResultsFormat) -> tuple[list[str], list[list[str]]]:
    result = ox.parse_query_results(body, format=media)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return names, [[term_text(t) for t in solution] for solution in result]


# --- the tokenizer that guards SERVICE ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "services"),
    [
        ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", ["http://x/sparql"]),
        ("select * { service silent <http://x/s> { ?s ?p ?o } }", ["http://x/s"]),
        ("PREFIX e: <http://x/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", ["http://x/sparql"]),
        ("BASE <http://x/a/> SELECT * { SERVICE <../q> { ?s ?p ?o } }", ["http://x/q"]),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", [None]),
        ("SELECT * { SERVICE undeclared:x { ?s ?p ?o } }", [None]),
        ("SELECT * { \\u0053ERVICE <http://x/u> { ?s ?p ?o } }", ["http://x/u"]),
        ("SELECT * { ?s ?p 'SERVICE <http://x/>' }", []),
        ('SELECT * { ?s ?p """a " SERVICE <http://x/> """ }', []),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", []),
        ("SELECT * { ?s <http://x/SERVICE> ?service }", []),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ex:service }", []),
        ("SELECT * { ?s ?p ?o FILTER(?o<3) SERVICE <http://x/lt> {} }", ["http://x/lt"]),
        ("SELECT * {?s ?p ?o}SERVICE<http://x/tight>{}", ["http://x/tight"]),
    ],
)
def test_scan_finds_every_service_and_only_those(query: str, services: list[str | None]) -> None:
    assert list(scan(query).services) == services


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX a: <http://a/> SELECT * { ?s ?p ?o }", "SELECT"),
        ("# SELECT\nASK { ?s ?p ?o }", "ASK"),
        ("BASE <http://a/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { { SELECT * { ?s ?p ?o } } }", "WITH"),
    ],
)
def test_scan_tells_the_form(query: str, form: str) -> None:
    assert scan(query).form == form


@pytest.mark.parametrize(
    ("request_text", "loads", "from_graphs", "from_named"),
    [
        ("LOAD <http://x/a.ttl>", ["http://x/a.ttl"], [], []),
        ("load silent <http://x/a.ttl> INTO GRAPH <urn:g>", ["http://x/a.ttl"], [], []),
        ("PREFIX e: <http://x/> LOAD e:a.ttl", ["http://x/a.ttl"], [], []),
        ("BASE <http://x/d/> LOAD <../a.ttl>", ["http://x/a.ttl"], [], []),
        ("INSERT DATA { <urn:a> <urn:b> 'LOAD <http://x/>' }", [], [], []),
        ("SELECT * FROM <http://g/a> FROM <http://g/b> {}", [], ["http://g/a", "http://g/b"], []),
        ("select * from named <http://g/a> {}", [], [], ["http://g/a"]),
        (
            "PREFIX g: <http://g/> ASK FROM g:a FROM NAMED g:b {}",
            [],
            ["http://g/a"],
            ["http://g/b"],
        ),
        ("SELECT * { ?from ?p 'FROM <http://g/>' } # FROM <http://g/c>", [], [], []),
    ],
)
def test_scan_finds_loads_and_the_dataset(
    request_text: str, loads: list[str], from_graphs: list[str], from_named: list[str]
) -> None:
    found = scan(request_text)
    assert list(found.loads) == loads
    assert list(found.from_graphs) == from_graphs
    assert list(found.from_named) == from_named
    assert found.has_dataset == bool(from_graphs or from_named)


def test_scan_measures_nesting_outside_strings() -> None:
    assert scan("SELECT * { { ?s ?p ?o } FILTER((1)) }").depth == 3
    assert scan("SELECT * { ?s ?p '{{{{{{' }").depth == 1


def test_negotiation_prefers_the_format_parameter_then_accept() -> None:
    assert negotiate(None, None).results == "json"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", None).results == "xml"
    assert negotiate("text/turtle;q=0.1, application/n-triples", None).graph == "ntriples"
    assert negotiate("application/json", "csv").results == "csv"
    assert negotiate("*/*", "text/tab-separated-values").results == "tsv"


def test_titles_are_the_first_sentence_of_the_leading_comment() -> None:
    assert title_of("# How many.\n# More.\nSELECT", "x") == "How many."
    assert title_of("# Runs on\n# to here. Then.\nASK {}", "x") == "Runs on to here."
    assert title_of("SELECT * {}", "fallback") == "fallback"


def test_worker_json_is_byte_for_byte_pyoxigraphs(store: ox.Store) -> None:
    """The worker writes SELECT JSON itself (to cut at the row limit while streaming): it must be
    what pyoxigraph's serialiser writes, for every competency question."""
    for path in sorted(COMPETENCY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        ours = evaluate(store, Job(text))
        result = store.query(text, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        assert ours.body == result.serialize(format=ox.QueryResultsFormat.JSON), path.name


EDGE_CASES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * {}",
    "SELECT ?x WHERE { FILTER(false) }",
    "SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 UNDEF) (UNDEF 'x') } }",
    """SELECT * WHERE {
      BIND("1e0"^^<http://www.w3.org/2001/XMLSchema#double> AS ?a)
      BIND(" 1"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?b)
      BIND("abc"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?c)
      BIND(STRLANGDIR("a", "ar", "rtl") AS ?d)
      BIND(<<( <http://a> <http://b> "c" )>> AS ?e)
      BIND(01 AS ?f) BIND(-0.50 AS ?g) BIND(true AS ?h) BIND(<http://a/b#c> AS ?i) }""",
]


@pytest.mark.parametrize("query", EDGE_CASES)
def test_worker_answers_odd_terms_as_pyoxigraph_does(query: str) -> None:
    """TSV, the capped stream, converts to the other formats without loss."""
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.BlankNode("b1"),
            ox.NamedNode("http://example.org/p"),
            ox.Literal('tab\there\nnew line "quoted" \\ é 😀', language="fr"),
        )
    )
    for name, media in (
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("csv", ox.QueryResultsFormat.CSV),
    ):
        ours = evaluate(store, Job(query, results=name)).body
        assert ours == store.query(query).serialize(format=media), name


# --- the protocol ------------------------------------------------------------------------------


def test_banner_says_where_it_listens(server: Running, built: tuple[Path, BuildSummary]) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert server.banner == (
        f"tipkg: serving {built[0]}/ at {server.base_url} — site {server.base_url}, "
        f"query page {server.base_url}query, SPARQL endpoint {server.base_url}sparql"
    )


@pytest.mark.parametrize(
    ("accept", "fmt", "media", "parse"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml", "xml"),
        ("text/tab-separated-values", None, "text/tab-separated-values", "tsv"),
        ("text/html", "json", "application/sparql-results+json", "json"),
        (None, "xml", "application/sparql-results+xml", "xml"),
        (None, "tsv", "text/tab-separated-values", "tsv"),
    ],
)
def test_select_in_every_results_format(
    server: Running, store: ox.Store, accept: str | None, fmt: str | None, media: str, parse: str
) -> None:
    _, text = resolve_query("recommendations")
    params = {"accept": accept} if accept else {}
    if fmt:
        params["format"] = fmt
    status, headers, body = get(server, text, **params)
    assert status == 200
    assert headers["Content-Type"].startswith(media)
    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    columns, rows = rows_of(body, formats[parse])
    expected = select(store, text)
    assert columns == expected.columns
    assert rows == expected.rows


def test_csv_has_the_header_and_rows(server: Running, store: ox.Store) -> None:
    _, text = resolve_query("modality")
    status, headers, body = get(server, text, accept="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.decode().splitlines()
    expected = select(store, text)
    assert lines[0] == ",".join(expected.columns)
    assert lines[1:] == [",".join(row) for row in expected.rows]


def test_post_form_and_direct_post_answer_as_get(server: Running) -> None:
    _, text = resolve_query("actor-mentions")
    _, _, by_get = get(server, text)
    status_form, _, by_form = post_form(server, query=text)
    status_direct, _, direct = http(
        "POST",
        server.base_url + "sparql",
        text.encode(),
        {"Content-Type": "application/sparql-query"},
    )
    assert status_form == status_direct == 200
    assert by_get == by_form == direct


def test_ask(server: Running) -> None:
    status, _, body = get(server, TIP + "ASK { ?r a tip:Recommendation }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "fmt", "rdf"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE, "turtle"),
        ("application/ld+json", ox.RdfFormat.JSON_LD, "jsonld"),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
    ],
)
def test_construct_in_every_rdf_format(
    server: Running, store: ox.Store, accept: str, fmt: ox.RdfFormat, rdf: str
) -> None:
    query = TIP + "CONSTRUCT { ?r tip:number ?n } WHERE { ?r a tip:Recommendation ; tip:number ?n }"
    expected = set(store.query(query, use_default_graph_as_union=True))
    for status, headers, body in (
        get(server, query, accept=accept),
        get(server, query, format=rdf),
    ):
        assert status == 200
        assert headers["Content-Type"].startswith(accept)
        got = {quad.triple for quad in ox.parse(body, format=fmt)}
        assert got == expected and len(got) == 26


def test_service_description(server: Running, built: tuple[Path, BuildSummary]) -> None:
    status, headers, body = http("GET", server.base_url + "sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
    endpoints = [t.object for t in triples if t.predicate == ox.NamedNode(sd + "endpoint")]
    assert endpoints == [ox.NamedNode(server.base_url + "sparql")]
    names = {t.object.value for t in triples if t.predicate == ox.NamedNode(sd + "name")}
    manifest = json.loads((built[0] / "build.json").read_text(encoding="utf-8"))
    assert names == set(manifest["graphs"])
    languages = {t.object for t in triples if t.predicate == ox.NamedNode(sd + "supportedLanguage")}
    assert languages == {ox.NamedNode(sd + "SPARQL11Query")}  # read-only: no Update


def test_default_and_named_graph_parameters(server: Running) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = "https://w3id.org/tipkg/graph/build"
    status, _, body = get(server, query, **{"default-graph-uri": graph})
    assert status == 200
    one = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    _, _, body = get(server, query)
    union = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert 0 < one < union


# --- safe by default ---------------------------------------------------------------------------


def test_update_is_refused(server: Running) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    for status, _, body in (
        post_form(server, update=update),
        http(
            "POST",
            server.base_url + "sparql",
            update.encode(),
            {"Content-Type": "application/sparql-update"},
        ),
        post_form(server, query=update),
        get(server, update),
    ):
        assert status == 403
        assert b"read-only" in body
    _, _, body = get(server, "ASK { <http://example.org/a> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_foreign_service_is_refused(server: Running) -> None:
    status, _, body = get(
        server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    )
    assert status == 403
    assert b"SERVICE refused: http://example.org/sparql" in body
    status, _, body = get(server, "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }")
    assert status == 403


def test_allowed_service_passes_the_check(server: Running) -> None:
    status, _, body = get(
        server, f"SELECT * WHERE {{ SERVICE <{ALLOWED_SERVICE}> {{ ?s ?p ?o }} }}"
    )
    assert status == 500  # refused by the engine (port 9), not by the allow-list
    assert b"SERVICE refused" not in body


def test_a_runaway_query_is_stopped_while_others_are_served(server: Running) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["slow"] = get(server, SLOW)
        outcome["slow_s"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # the slow query holds a worker now
    started = time.monotonic()
    status, _, body = get(server, TIP + "SELECT ?n WHERE { ?r tip:number ?n } LIMIT 3")
    fast_s = time.monotonic() - started
    still_running = thread.is_alive()
    thread.join(15)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
    assert still_running and fast_s < 0.5
    slow_status, _, slow_body = outcome["slow"]  # type: ignore[misc]
    assert slow_status == 503
    assert b"ran past the time limit of 1 s" in slow_body
    assert 0.9 < outcome["slow_s"] < 5  # type: ignore[operator]
    # the stopped worker was replaced: two queries at once are still both served
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(get(server, "ASK {}")[0]))]
    threads.append(threading.Thread(target=lambda: answers.append(get(server, "ASK {}")[0])))
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert answers == [200, 200]


def test_row_limit_stops_with_a_clear_message(server: Running) -> None:
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert b"more than 1000 rows" in body and b"LIMIT" in body
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1000
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 422 and b"more than 1000 triples" in body


def test_request_size_is_bounded(server: Running) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 50_001
    status, headers, body = post_form(server, query=big)
    assert status == 413 and b"limit of 50000 bytes" in body
    status, headers, body = get(server, big)
    assert status == 414 and b"POST the query instead" in body  # URI Too Long
    assert headers["Content-Type"].startswith("text/plain")
    status, _, _ = get(server, "ASK {}")  # and the server is fine
    assert status == 200


def test_bad_requests_say_what_is_wrong(server: Running) -> None:
    status, _, body = get(server, "SELEC * {}")
    assert status == 400 and b"syntax error" in body
    status, _, body = get(server, "ASK {}", format="yaml")
    assert status == 400 and b"unknown format" in body
    status, _, _ = http("POST", server.base_url + "sparql", b"x", {"Content-Type": "text/x"})
    assert status == 415
    status, headers, _ = http("PUT", server.base_url + "sparql", b"x")
    assert status == 405 and "POST" in headers["Allow"]
    status, _, _ = http("GET", server.base_url + "nowhere")
    assert status == 404


# --- browsers ----------------------------------------------------------------------------------


def test_cors(server: Running) -> None:
    _, headers, _ = get(server, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(
        "OPTIONS",
        server.base_url + "sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_query_page_lists_the_competency_questions(server: Running) -> None:
    status, headers, body = http("GET", server.base_url + "query")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode()
    for path in COMPETENCY_DIR.glob("*.rq"):
        assert f'href="query.html?example={path.stem}"' in html
        assert f'href="questions/{path.stem}.html"' in html
    assert "<script" not in html and "src=" not in html
    # the site's stylesheet and icon, nothing from another host
    assert re.findall(r'<link [^>]*href="([^"]*)"', html) == [
        "static/style.css",
        "static/favicon.svg",
        "fr/query.html",  # the same page in French
    ]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # the site's navigation, with the query page marked as the current one
    assert '<a href="query.html" aria-current="page">' in html
    assert '<a href="recommendations.html">' in html
    status, _, same = http("GET", server.base_url + "query.html")
    assert status == 200 and same == body
    status, _, french = http("GET", server.base_url + "fr/query.html")
    assert status == 200 and french.startswith(b'<!DOCTYPE html>\n<html lang="fr">')
    assert "Questions de compétence" in french.decode()
    assert '<a href="../query.html" hreflang="en" lang="en">English</a>' in french.decode()


def test_the_endpoint_gives_a_browser_the_query_page_and_a_client_the_description(
    server: Running,
) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    host = server.base_url.split("//", 1)[1].rstrip("/")
    connection = HTTPConnection(host, timeout=15)  # urllib would follow the 303
    try:
        connection.request("GET", "/sparql", headers={"Accept": browser})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 303 and answer.getheader("Location") == "query.html"
    finally:
        connection.close()
    status, headers, _ = http("GET", server.base_url + "sparql", headers={"Accept": browser})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for accept in ("", "*/*", "text/turtle", "application/rdf+xml"):
        sent = {"Accept": accept} if accept else {}
        status, headers, _ = http("GET", server.base_url + "sparql", headers=sent)
        assert status == 200 and not headers["Content-Type"].startswith("text/html"), accept


def test_query_page_runs_an_example(server: Running) -> None:
    status, _, body = http("GET", server.base_url + "query?example=modality")
    html = body.decode()
    assert status == 200
    assert '<th scope="col">modality</th><th scope="col">count</th>' in html
    assert "4 rows in" in html


def test_query_page_links_result_iris_to_their_pages(server: Running) -> None:
    query = TIP + "SELECT ?r WHERE { ?r a tip:Recommendation ; tip:number 7 }"
    _, _, body = http("GET", server.base_url + "query?" + urlencode({"query": query}))
    found = re.findall(r'<a class="iri" href="([^"]*)">([^<]*)</a>', body.decode())
    assert len(found) == 1
    href, iri = found[0]
    assert iri.startswith("https://w3id.org/tipkg/id/recommendation/")
    assert href == "doc/" + iri.removeprefix("https://w3id.org/tipkg/id/") + ".html"
    status, _, _ = http("GET", server.base_url + href)
    assert status == 200


def test_query_page_escapes_what_it_shows(server: Running) -> None:
    evil = '<script>alert("x")</script>'
    query = f"SELECT ?x WHERE {{ BIND({json.dumps(evil)} AS ?x) }}"
    status, _, body = http("GET", server.base_url + "query?" + urlencode({"query": query}))
    html = body.decode()
    assert status == 200
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    status, _, body = http("GET", server.base_url + "query?" + urlencode({"query": "SELECT <x"}))
    assert status == 200 and "Error 400" in body.decode() and "<x" not in body.decode()


def test_each_request_is_logged_in_one_line(server: Running) -> None:
    get(server, TIP + "SELECT ?n WHERE { ?r a tip:Recommendation ; tip:number ?n }")
    time.sleep(0.2)
    lines = [line for line in server.log().splitlines() if " GET /sparql 200 " in line]
    assert lines and lines[-1].endswith(" 26 rows")
    assert " ms " in lines[-1]


def test_allow_update_writes_to_the_store(built: tuple[Path, BuildSummary], tmp_path: Path) -> None:
    copy = tmp_path / "dist"
    shutil.copytree(built[0], copy)
    with start_tipkg(copy, "--allow-update", "--timeout", "5") as writable:
        update = "INSERT DATA { GRAPH <urn:g> { <http://example.org/a> <http://example.org/b> 1 } }"
        status, _, _ = post_form(writable, update=update)
        assert status == 204
        status, _, body = get(writable, "ASK { <http://example.org/a> ?p 1 }")
        assert status == 200 and json.loads(body)["boolean"] is True
        status, _, _ = get(writable, update)
        assert status == 400  # an update sent as a query
        _, _, body = http("GET", writable.base_url + "sparql")
        assert b"SPARQL11Update" in body


def test_the_site_is_served_beside_the_endpoint(server: Running) -> None:
    import http.client as client
    from urllib.parse import urlsplit

    rec = "id/recommendation/wg-tip-2020-draft-report-addendum-1/7"
    where = urlsplit(server.base_url)
    connection = client.HTTPConnection(where.hostname or "", where.port, timeout=15)
    connection.request("GET", "/" + rec, headers={"Accept": "text/turtle"})
    answer = connection.getresponse()
    assert answer.status == 303
    assert answer.getheader("Location", "").endswith(f"/doc/{rec[3:]}.ttl")
    connection.close()
    status, headers, body = http("GET", server.base_url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Recommendations" in body
