"""The pages of reviews and States (issue 15) and the links to the official PDF (issue 16) in a
real browser: headless Chromium over the site published from the default build (every source of
data/sources/, the review of Slovenia read from its official PDFs), opened from disk.

Never skipped (tests/browser/conftest.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from tipkg.build import BuildSummary
from tipkg.publish import publish

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REVIEW = "doc/meeting/upr-wg-34-svn.html"
SVN = "doc/state/svn.html"
REC = "doc/recommendation/a-hrc-43-15/121.1.html"
REC_FIRST_WORDS = "Ratify the International Convention for the Protection of All Persons"


@pytest.fixture(scope="module")
def pdf_site(built_all: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The site published with its default (relative links), opened as files: no server."""
    out = tmp_path_factory.mktemp("disk-pdf") / "site"
    publish(built_all[0], out)
    return out.as_uri() + "/"


def test_a_state_page_from_disk_filters_exports_and_leads_to_recommending_states(
    browser: Browser, pdf_site: str
) -> None:
    page = browser.new_page()
    schemes: set[str] = set()
    page.on("request", lambda request: schemes.add(urlsplit(request.url).scheme))
    page.goto(pdf_site + "index.html")
    page.get_by_role("link", name="States & reviews").first.click()
    page.wait_for_url(pdf_site + "states.html")
    page.get_by_role("link", name="Slovenia", exact=True).first.click()
    page.wait_for_url(pdf_site + SVN)
    assert page.locator("h1").inner_text().startswith("Slovenia")
    received = page.locator("#received article.rec")
    assert received.count() == 215
    page.select_option("#f-response", "noted")
    assert page.locator("#received article.rec:visible").count() == 33
    assert page.locator("#rec-count").inner_text() == "33 of 215 recommendations shown"
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert rows[0] == [
        "mechanism",
        "document",
        "number",
        "recommended_by",
        "response",
        "response_document",
        "response_paragraph",
        "text",
    ]
    assert len(rows) == 34 and {r[4] for r in rows[1:]} == {"noted"}
    # a recommending State's name leads to its page, with the recommendations it made
    page.locator("#received article.rec:visible dd a", has_text="Costa Rica").first.click()
    page.wait_for_url(pdf_site + "doc/state/cri.html")
    assert page.locator("h1").inner_text().startswith("Costa Rica")
    assert page.locator("section[id^='made-'] article.rec").count() > 0
    assert schemes == {"file"}, "nothing may be loaded from a server"
    page.close()


def test_a_review_page_switches_language_and_keeps_the_page(
    browser: Browser, pdf_site: str
) -> None:
    page = browser.new_page()
    page.goto(pdf_site + REVIEW)
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Troika" in page.locator("main").inner_text()
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(pdf_site + "fr/" + REVIEW)
    assert page.locator("html").get_attribute("lang") == "fr"
    main = page.locator("main").inner_text()
    assert "Troïka" in main and "État examiné" in main and "Slovénie" in main
    assert page.locator("article.rec").count() == 215
    page.get_by_role("link", name="English").click()
    page.wait_for_url(pdf_site + REVIEW)
    page.close()


def test_a_recommendation_links_to_its_page_of_the_local_pdf(
    browser: Browser, pdf_site: str
) -> None:
    from pdfminer.high_level import extract_text

    page = browser.new_page()
    page.goto(pdf_site + REC)
    link = page.locator("p.pdf a").first
    assert link.inner_text() == "page 11 of upr-a-hrc-43-15.en.pdf"
    href = link.evaluate("a => a.href")  # resolved by the browser, as a click would
    parts = urlsplit(href)
    assert parts.scheme == "file" and parts.fragment.startswith("page=11&viewrect=")
    pdf = Path(unquote(parts.path))
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
    # the page it opens holds the recommendation (pdfminer counts pages from 0)
    text = " ".join(extract_text(str(pdf), page_numbers=[10]).split())
    assert REC_FIRST_WORDS in text
    # the Working Group's 2020 report is a text: no PDF link at all
    page.goto(pdf_site + "doc/recommendation/wg-tip-2020-draft-report-addendum-1/7.html")
    assert page.locator("p.pdf").count() == 0
    page.close()
