"""The pages of reviews and States (issue 15) and the links to the official PDF (issue 16),
checked against the graph's own answers (SPARQL over the default build: every source of
data/sources/, the review of Slovenia read from its official PDFs), and escaped whatever the
graph holds."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.build import BuildSummary
from tipkg.paths import COMPETENCY_DIR
from tipkg.publish.questions import store_of
from tipkg.publish.site import Site

PREFIXES = """
PREFIX tip: <https://w3id.org/tipkg/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ID = "https://w3id.org/tipkg/id/"
REVIEW = "doc/meeting/upr-wg-34-svn.html"
SVN = "doc/state/svn.html"
EVIL = "<script>alert('x')</script> & \"quoted\""


@pytest.fixture(scope="module")
def site(built_all: tuple[Path, BuildSummary]) -> Site:
    return Site(built_all[0])


@pytest.fixture(scope="module")
def store(site: Site) -> ox.Store:
    return store_of(site.data.triples)


def _select(store: ox.Store, query: str, prefixes: str = PREFIXES) -> list[dict[str, str]]:
    solutions = store.query(prefixes + query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def _page(site: Site, path: str) -> str:
    return site.get_required(path).decode("utf-8")


def _articles(text: str, section_id: str = "") -> list[str]:
    """The printed numbers of the recommendations listed (in one section if given)."""
    if section_id:
        text = text.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<article class="rec" data-i="\d+"><h3><a [^>]*>([^<]+)</a>', text)


def _index(text: str) -> list[dict[str, object]]:
    found = re.search(r'<script type="application/json" id="rec-index">(.*?)</script>', text, re.S)
    assert found
    entries: list[dict[str, object]] = json.loads(found.group(1))
    return entries


def test_the_review_page_counts_what_the_graph_counts(site: Site, store: ox.Store) -> None:
    text = _page(site, REVIEW)
    recs = _select(
        store,
        """SELECT ?printed WHERE {
             ?review tip:stateUnderReview <https://w3id.org/tipkg/id/state/svn> .
             ?rec a tip:Recommendation ; tip:inReport/tip:reportOf ?review ;
                  tip:printedNumber ?printed }""",
    )
    assert len(recs) == 215
    assert sorted(_articles(text)) == sorted(r["printed"] for r in recs)
    positions = _select(
        store,
        """SELECT ?notation (COUNT(?answer) AS ?n) WHERE {
             ?answer tip:respondsTo ?rec ; tip:position/skos:notation ?notation .
           } GROUP BY ?notation""",
    )
    counts = {p["notation"]: int(p["n"]) for p in positions}
    assert counts == {"supported": 182, "noted": 33}  # the addendum's own figures: 58 + 124, 33
    for notation, n in counts.items():
        assert re.search(rf">{notation}</a>: <strong>{n}</strong>", text), notation
    index = Counter(str(e["response"]) for e in _index(text))
    assert index == Counter(counts)
    # session, cycle and troika are the graph's
    facts = _select(
        store,
        """SELECT ?session ?cycle WHERE {
             <https://w3id.org/tipkg/id/meeting/upr-wg-34-svn> tip:session ?session ;
                                                               tip:cycle ?cycle }""",
    )[0]
    assert f"<dd>{facts['session']}</dd>" in text and f"<dd>{facts['cycle']}</dd>" in text
    troika = _select(
        store,
        """SELECT ?label WHERE {
             ?p tip:inMeeting <https://w3id.org/tipkg/id/meeting/upr-wg-34-svn> ;
                tip:role <https://w3id.org/tipkg/def/role/troika> ;
                tip:participant/rdfs:label ?label .
             FILTER (lang(?label) = "en") }""",
    )
    dd = text.split(">Troika</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert sorted(re.findall(r">([^<]+)</a>", dd)) == sorted(t["label"] for t in troika)
    assert len(troika) == 3


def test_the_state_under_review_lists_what_it_received_and_what_all_parties_got(
    site: Site, store: ox.Store
) -> None:
    text = _page(site, SVN)
    received = _articles(text, "received")
    assert len(received) == 215
    parties = _select(
        store,
        """SELECT ?rec WHERE { ?rec tip:addressee
             <https://w3id.org/tipkg/def/addressee/states-parties> }""",
    )
    section = text.split('id="states-parties"', 1)[1].split("</section>", 1)[0]
    assert len(re.findall(r'<a href="[^"]*doc/recommendation/', section)) == len(parties) == 26
    # the competency question's answer for Slovenia: its recommendations on trafficking in
    # persons and the Working Group's; the page's index has each of the first
    cq = (COMPETENCY_DIR / "trafficking-recommendations-to-state.rq").read_text("utf-8")
    rows = _select(store, cq, prefixes="")
    on_tip = [e for e in _index(text) if "trafficking-in-persons" in e["theme"]]  # type: ignore[operator]
    upr_rows = [r for r in rows if r["document"] == "A/HRC/43/15"]
    assert sorted(str(e["printed"]) for e in on_tip) == sorted(r["number"] for r in upr_rows)
    assert len(rows) - len(upr_rows) == len(parties)
    for entry in on_tip:  # the CSV's columns are the question's
        row = next(r for r in upr_rows if r["number"] == entry["printed"])
        for column in ("recommended_by", "response", "response_document", "text"):
            assert str(entry[column]) == row.get(column, ""), (column, entry["printed"])


def test_every_recommending_state_lists_what_it_made(site: Site, store: ox.Store) -> None:
    made = _select(
        store,
        """SELECT ?state (COUNT(?rec) AS ?n) WHERE { ?rec tip:recommendedBy ?state }
           GROUP BY ?state""",
    )
    assert len(made) > 50
    listing = _page(site, "states.html")
    for row in made:
        key = row["state"].rsplit("/", 1)[1]
        text = _page(site, f"doc/state/{key}.html")
        shown = [n for m in re.findall(r'id="made-\d+"', text) for n in _articles(text, m[4:-1])]
        assert len(shown) == int(row["n"]), key
        cells = re.search(
            rf'state/{key}\.html"[^>]*>[^<]*</a></th><td><code>\w*</code></td>'
            r"<td>(\d+)</td><td>(\d+)</td>",
            listing,
        )
        assert cells and int(cells.group(2)) == int(row["n"]), key


def test_recommending_states_link_to_their_pages(site: Site) -> None:
    text = _page(site, "doc/recommendation/a-hrc-43-15/121.1.html")
    by = text.split(">Recommended by</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert re.findall(r'href="([^"]+)"', by) == [
        "../../../doc/state/fra.html",
        "../../../doc/state/ltu.html",
    ]
    assert 'href="../../../doc/meeting/upr-wg-34-svn.html"' in text
    assert site.has("doc/state/fra.html") and site.has("fr/doc/state/fra.html")


def test_each_recommendation_links_to_its_page_of_the_pdf(site: Site, store: ox.Store) -> None:
    rows = _select(
        store,
        """SELECT ?rec ?name ?value WHERE {
             ?rec a tip:Recommendation ; tip:sourceSpan ?span .
             ?span oa:hasSource ?file ; oa:hasSelector ?selector .
             ?file dct:format "application/pdf" ; tip:fileName ?name .
             ?selector a oa:FragmentSelector ; rdf:value ?value }""",
    )
    assert len({r["rec"] for r in rows}) == 215  # a few run across two pages: two selectors
    spanning = [r for r in rows if sum(1 for o in rows if o["rec"] == r["rec"]) > 1]
    assert spanning
    for row in rows[:30] + spanning:
        path = row["rec"].removeprefix(ID)
        text = _page(site, f"doc/{path}.html")
        depth = path.count("/") + 1
        href = "../" * depth + f"sources/{row['name']}#{row['value']}"
        assert f'href="{html.escape(href)}"' in text, path
        assert site.get_required(f"sources/{row['name']}").startswith(b"%PDF-")
    # a text source: no link to a PDF, no broken link
    text = _page(site, "doc/recommendation/wg-tip-2020-draft-report-addendum-1/7.html")
    assert "#page=" not in text and ".pdf" not in text


def test_the_file_node_links_to_the_pdf_itself(site: Site, store: ox.Store) -> None:
    files = _select(
        store,
        """SELECT ?file ?name WHERE { ?file dct:format "application/pdf" ; tip:fileName ?name }""",
    )
    assert len(files) == 2
    for row in files:
        path = row["file"].removeprefix(ID)
        text = _page(site, f"doc/{path}.html")
        assert f'href="{"../" * (path.count("/") + 1)}sources/{row["name"]}"' in text
    report = _page(site, "doc/report/a-hrc-43-15.html")
    assert 'href="../../sources/upr-a-hrc-43-15.en.pdf"' in report


def test_the_new_pages_escape_what_the_graph_holds(site: Site) -> None:
    """Markup in a State's, a review's and a position's label comes out as text everywhere
    the new pages print them, the embedded filter index included."""
    labels = site.data.labels.entries
    saved = {k: dict(labels[k]) for k in (f"{ID}state/svn", f"{ID}state/fra")}
    try:
        for key in saved:
            labels[key] = {"en": EVIL, "fr": EVIL}
        for path in (REVIEW, SVN, "doc/state/fra.html", "states.html", "fr/" + REVIEW):
            text = _page(site, path)
            assert "<script>alert" not in text, path
            assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in text
    finally:
        labels.update(saved)


def test_the_new_pages_are_in_french_too(site: Site) -> None:
    for path in (REVIEW, SVN, "states.html"):
        english, french = _page(site, path), _page(site, "fr/" + path)
        assert '<html lang="en">' in english and '<html lang="fr">' in french
        assert f'href="{"../" * path.count("/")}fr/{path}"' in english  # the switch keeps the page
    french = _page(site, "fr/" + REVIEW)
    assert "État examiné" in french and "Troïka" in french and "appuyée" in french


def test_issue17_pictures_and_dataset_statistics_are_in_french_on_french_pages(site: Site) -> None:
    french = _page(site, "fr/pictures.html")
    for heading in ("Thèmes × recommandations", "Recommandations par force"):
        assert f"<h2>{heading}</h2>" in french and f">{heading}</title>" in french
    assert "Recommendations per strength" not in french and ">count</text>" not in french
    english = _page(site, "pictures.html")
    assert "<h2>Recommendations per strength</h2>" in english
    dataset = _page(site, "fr/doc/dataset/tipkg.html")
    assert "Triplets <code>void:triples</code>" in dataset
    assert "Sujets distincts <code>void:distinctSubjects</code>" in dataset
    assert '<html lang="fr">' in dataset and "<h1>Recommandations du Groupe" in dataset
    assert " a <code>dcat:Dataset</code>" not in dataset
    assert "Le graphe entier (Turtle)" in dataset and "Graphe nommé ontology (Turtle)" in dataset


def test_issue17_the_404_page_works_at_any_depth_of_a_static_server(site: Site) -> None:
    """The one 404.html a static server answers for every missing path: its links are absolute
    from the path the generated server rules serve the site under, never relative."""
    text = _page(site, "404.html")
    targets = re.findall(r'(?:href|src)="([^"]+)"', text)
    ours = [t for t in targets if not t.startswith(("#", "https://"))]
    assert ours and all(t.startswith("/tipkg/") for t in ours), ours
    assert "ErrorDocument 404 /tipkg/404.html" in _page(site, ".htaccess")
    # tipkg serve renders it for the path asked, where relative links work
    deep = site.get("404.html", here="doc/nothing/here.html")
    assert deep is not None and b'href="../../static/style.css"' in deep
