"""The published site in a real browser (issue 6): headless Chromium, driven by Playwright, on a
plain static server of the published directory (no content negotiation, no tipkg code).

Never skipped (tests/browser/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tipkg.build import BuildSummary
from tipkg.publish import publish

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

KEY = "wg-tip-2020-draft-report-addendum-1"
REC7 = f"doc/recommendation/{KEY}/7"
REC7_TEXT = "Les États parties devraient s’efforcer de renforcer la coopération internationale"
SHERLOC = "https://w3id.org/tipkg/id/database/sherloc"
ART18 = "Article 18 of the United Nations Convention against Transnational Organized Crime"


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".nt": "application/n-triples",
        ".rdf": "application/rdf+xml",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        return


@pytest.fixture(scope="module")
def served(
    built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The site published for a server on a free port of 127.0.0.1, served while the tests run."""
    out = tmp_path_factory.mktemp("browser") / "site"
    out.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    publish(built[0], out, base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _watch_hosts(page: Page) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


def test_from_the_home_page_to_recommendation_7_and_article_18(
    browser: Browser, served: str
) -> None:
    page = browser.new_page()
    hosts = _watch_hosts(page)
    page.goto(served)
    assert page.title().startswith("Home")
    page.get_by_role("link", name="Recommendations by section").click()
    assert page.locator("h1").inner_text() == "Recommendations by section"
    page.get_by_role("link", name="Recommendation 7", exact=True).first.click()
    page.wait_for_url(f"{served}{REC7}.html")
    text = page.locator("main").inner_text()
    assert REC7_TEXT in text
    assert "Characters 2347–2716" not in text  # provenance is folded below the text
    page.locator("details.provenance > summary").click()
    assert "Characters 2347–2716" in page.locator("main").inner_text()
    assert page.locator('blockquote[lang="fr"]').count() == 1
    page.get_by_role("link", name=ART18).first.click()
    page.wait_for_url(f"{served}doc/instrument/untoc/article-18.html")
    text = page.locator("main").inner_text()
    assert "Mutual legal assistance" in text and "Entraide judiciaire" in text
    assert "Recommendation 7" in text  # the statement that points here
    assert hosts == {urlsplit(served).netloc}, "no request may leave the site"
    page.close()


def test_search_filters_the_recommendations(browser: Browser, served: str) -> None:
    page = browser.new_page()
    hosts = _watch_hosts(page)
    page.goto(f"{served}search.html")
    assert page.locator("#search").is_visible()
    page.fill("#q", "INTERPOL")
    assert page.locator("#results li:visible").count() == 2
    assert page.locator("#count").inner_text() == "2 of 26 recommendations match"
    page.fill("#q", "cooperation internationale")  # accents are optional
    assert 0 < page.locator("#results li:visible").count() < 26
    page.goto(f"{served}search.html?q=europol")
    assert page.locator("#results li:visible").count() == 1
    assert hosts == {urlsplit(served).netloc}
    page.close()


def test_search_lists_everything_without_javascript(browser: Browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}search.html")
    assert page.locator("#results li:visible").count() == 26
    assert not page.locator("#search").is_visible()
    context.close()


def test_embedded_json_ld_is_the_graph_of_the_turtle(browser: Browser, served: str) -> None:
    page = browser.new_page()
    for path in (REC7, "doc/instrument/untoc/article-18", "doc/ontology", "doc/dataset/tipkg"):
        page.goto(f"{served}{path}.html")
        data = page.locator('script[type="application/ld+json"]').text_content()
        assert data
        from_page = Graph().parse(data=data, format="json-ld")
        with urlopen(f"{served}{path}.ttl") as response:  # noqa: S310 - our own local server
            turtle = Graph().parse(data=response.read().decode("utf-8"), format="turtle")
        assert len(from_page) > 0 and isomorphic(from_page, turtle), path
    page.close()


def test_pages_fit_a_phone(browser: Browser, served: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("index.html", f"{REC7}.html", "recommendations.html", "participants.html",
                 f"fr/{REC7}.html", "questions/external-links.html", "fr/index.html"):  # fmt: skip
        page.goto(f"{served}{path}")
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, path
    context.close()


def test_pictures_render_without_javascript(browser: Browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}pictures.html")
    pictures = page.locator("figure svg")
    assert pictures.count() == 3
    for i in range(3):
        box = pictures.nth(i).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    assert page.locator("figure svg title").count() > 50
    context.close()


def test_a_competency_question_from_the_query_page(
    browser: Browser, built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    """The live server (`tipkg serve`): home page of the site, then the query page, one of its
    ready examples run, its rows seen; then the site's recommendation 7 through its IRI."""
    from tipkg.web.launch import start_tipkg

    with start_tipkg(built[0], log_path=tmp_path / "serve.log") as running:
        page = browser.new_page()
        hosts = _watch_hosts(page)
        page.goto(running.base_url + "query")
        page.get_by_role("link", name="modality", exact=True).click()  # the question's page
        assert "?modality" in page.locator("pre.sparql").inner_text()
        page.get_by_role("link", name="Run it on the endpoint").click()
        with page.expect_navigation():  # the answer is a new page: rows are read once it is in
            page.get_by_role("button", name="Run").click()
        rows = [
            [cell.strip() for cell in row.split("\t")]
            for row in page.locator("table").last.locator("tbody tr").all_inner_texts()
        ]
        assert rows == [
            ["should", "14"],
            ["encouraged", "7"],
            ["should-consider", "4"],
            ["may-consider", "1"],
        ]
        page.goto(running.base_url + f"id/recommendation/{KEY}/7")
        assert REC7_TEXT in page.locator("main").inner_text()
        # an IRI in a query's results is a link to its page
        query = (
            "PREFIX tip: <https://w3id.org/tipkg/def/> "
            "SELECT ?r WHERE { ?r a tip:Recommendation ; tip:number 7 }"
        )
        page.goto(running.base_url + "query?" + urlencode({"query": query}))
        page.locator("table.results a.iri").first.click()
        page.wait_for_url(running.base_url + f"{REC7}.html")
        assert REC7_TEXT in page.locator("main").inner_text()
        assert hosts == {urlsplit(running.base_url).netloc}
        page.close()


# -- the site opened from disk (issue 17) -------------------------------------------------------


@pytest.fixture(scope="module")
def on_disk(built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The site published with its default (relative links), opened as files: no server."""
    out = tmp_path_factory.mktemp("disk") / "site"
    publish(built[0], out)
    return out.as_uri() + "/"


def test_the_site_opened_from_disk_is_styled_and_its_links_stay_local(
    browser: Browser, on_disk: str
) -> None:
    page = browser.new_page()
    requests: set[str] = set()
    page.on("request", lambda request: requests.add(urlsplit(request.url).scheme))
    page.goto(on_disk + "index.html")
    background = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert background == "rgb(11, 61, 94)"  # static/style.css applied
    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.wait_for_url(on_disk + "recommendations.html")
    page.get_by_role("link", name="Recommendation 7", exact=True).first.click()
    page.wait_for_url(on_disk + f"{REC7}.html")
    assert REC7_TEXT in page.locator("main").inner_text()
    page.get_by_role("link", name="Query (SPARQL)").click()
    page.wait_for_url(on_disk + "query.html")
    page.get_by_role("link", name="modality", exact=True).click()
    page.wait_for_url(on_disk + "questions/modality.html")
    assert "?modality" in page.locator("pre.sparql").inner_text()
    hrefs = page.evaluate("[...document.querySelectorAll('a[href], link[href]')].map(a => a.href)")
    ours = [h for h in hrefs if not h.startswith(("https://creativecommons.org", "https://www.un"))]
    assert ours and all(h.startswith("file://") for h in ours), ours
    assert requests == {"file"}, "nothing may be loaded from a server"
    page.close()


def test_the_language_switch_keeps_the_page(browser: Browser, on_disk: str) -> None:
    page = browser.new_page()
    page.goto(on_disk + f"{REC7}.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1 > span").first.inner_text() == "Recommendation 7"
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(on_disk + f"fr/{REC7}.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1 > span").first.inner_text() == "Recommandation 7"
    assert "Accueil" in page.locator("header nav").first.inner_text()
    assert REC7_TEXT in page.locator("main").inner_text()
    page.get_by_role("link", name="Recommandations", exact=True).first.click()
    page.wait_for_url(on_disk + "fr/recommendations.html")  # French pages link to French pages
    assert page.locator("h1").inner_text() == "Recommandations par section"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(on_disk + "recommendations.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


def test_previous_and_next_go_through_the_recommendations(browser: Browser, on_disk: str) -> None:
    page = browser.new_page()
    page.goto(on_disk + f"{REC7}.html")
    page.locator('a[rel="next"]').click()
    page.wait_for_url(on_disk + REC7.replace("/7", "/8") + ".html")
    page.locator('a[rel="prev"]').click()
    page.locator('a[rel="prev"]').click()
    page.wait_for_url(on_disk + REC7.replace("/7", "/6") + ".html")
    crumbs = page.locator("nav.crumbs").inner_text()
    assert "Home" in crumbs and "Recommendations" in crumbs and "Recommendation 6" in crumbs
    page.goto(on_disk + REC7.replace("/7", "/1") + ".html")
    assert page.locator('a[rel="prev"]').count() == 0
    page.close()


def _competency_answer(build_dir: Path, theme: str, strength: str) -> list[list[str]]:
    """recommendations.rq, the competency question, with the same filter as the page's."""
    from tipkg.paths import COMPETENCY_DIR
    from tipkg.store import open_read_only, select

    text = (COMPETENCY_DIR / "recommendations.rq").read_text(encoding="utf-8")
    marker = '  FILTER (lang(?text) = "fr")'
    assert marker in text
    filtered = text.replace(
        marker,
        f'  ?rec tip:theme/skos:notation "{theme}" ;\n'
        f'       tip:strength/skos:notation "{strength}" .\n' + marker,
    )
    table = select(open_read_only(build_dir / "store"), filtered)
    assert table.columns == ["number", "section", "modality", "text"]
    return [table.columns, *table.rows]


def test_a_combined_filter_exports_what_the_competency_question_answers(
    browser: Browser, on_disk: str, built: tuple[Path, BuildSummary]
) -> None:
    theme, strength = "international-cooperation", "should"
    page = browser.new_page()
    page.goto(on_disk + "recommendations.html")
    assert page.locator("article.rec:visible").count() == 26
    page.select_option("#f-theme", theme)
    page.select_option("#f-strength", strength)
    shown = page.locator("article.rec:visible").count()
    expected = _competency_answer(built[0], theme, strength)
    assert 0 < shown == len(expected) - 1 < 26
    assert page.locator("#rec-count").inner_text() == f"{shown} of 26 recommendations shown"
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == expected
    with page.expect_download() as download:
        page.locator("#download-json").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [str(r["number"]) for r in exported] == [row[0] for row in expected[1:]]
    assert all(theme in r["themes"] and r["modality"] == strength for r in exported)
    # the filter is kept in the address: reloading (or sharing it) shows the same
    assert f"theme={theme}" in page.url and f"strength={strength}" in page.url
    page.reload()
    assert page.locator("article.rec:visible").count() == shown
    page.locator('button[type="reset"]').click()
    page.wait_for_function("document.querySelectorAll('article.rec[hidden]').length === 0")
    page.close()


def test_the_filters_work_on_the_served_site(browser: Browser, served: str) -> None:
    page = browser.new_page()
    page.goto(f"{served}fr/recommendations.html?name=" + quote(SHERLOC, safe=""))
    assert page.locator("html").get_attribute("lang") == "fr"
    shown = page.locator("article.rec:visible").count()
    assert 0 < shown < 26
    assert page.locator("#rec-count").inner_text() == f"{shown} recommandations sur 26 affichées"
    databases = page.locator('#f-name optgroup[label="Bases de données"] option')
    assert SHERLOC in [databases.nth(i).get_attribute("value") for i in range(databases.count())]
    page.close()
