"""`tipkg publish` end to end (issue 6): every IRI dereferences, pages are safe HTML5 with their
own RDF embedded, dumps parse back to the build's graph, and `respond` negotiates like the
static rules."""

from __future__ import annotations

import getpass
import gzip
import hashlib
import html
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import html5rdf
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from tipkg import __version__
from tipkg.build import BuildSummary
from tipkg.errors import InputError
from tipkg.paths import COMPETENCY_DIR
from tipkg.publish import Responder, configure, negotiate, publish, respond
from tipkg.publish.negotiate import choose
from tipkg.publish.urls import FORMATS, doc_stem

BASE = "http://127.0.0.1:8000/tipkg/"
CANON = "https://w3id.org/tipkg/"
KEY = "wg-tip-2020-draft-report-addendum-1"
REC7 = f"{CANON}id/recommendation/{KEY}/7"
ART18 = f"{CANON}id/instrument/untoc/article-18"
VOID = "http://rdfs.org/ns/void#"
EXTS = ("html", "ttl", "jsonld", "nt", "rdf")
SYNTAX = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def build_graph(build_dir: Path) -> Graph:
    graph = Graph()
    manifest = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    for rel in manifest["graphs"].values():
        graph.parse(build_dir / rel, format="turtle")
    return graph


def minted(build_dir: Path) -> set[str]:
    found: set[str] = set()
    manifest = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    for rel in manifest["graphs"].values():
        for quad in ox.parse(path=str(build_dir / rel), format=ox.RdfFormat.TURTLE):
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(
                    (CANON + "id/", CANON + "def/")
                ):
                    found.add(term.value)
    return found


@pytest.fixture(scope="module")
def site(built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    summary = publish(built[0], out, BASE)
    assert summary.pages > 100 and summary.seconds < 30
    return out


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def doc_path(site: Path, iri: str, ext: str) -> Path:
    stem = doc_stem(iri)
    assert stem is not None, iri
    return site / f"{stem}.{ext}"


def embedded_jsonld(html: str) -> str:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return found[0]


# -- every IRI dereferences --------------------------------------------------------------------


def test_every_minted_iri_has_a_document_in_every_format(
    built: tuple[Path, BuildSummary], site: Path
) -> None:
    iris = minted(built[0])
    assert REC7 in iris and ART18 in iris and f"{CANON}def/Recommendation" in iris
    for iri in iris:
        for ext in EXTS:
            assert doc_path(site, iri, ext).is_file(), (iri, ext)


def test_a_document_holds_its_statements_and_those_pointing_to_it(site: Path) -> None:
    rec = Graph().parse(doc_path(site, REC7, "ttl"), format="turtle")
    assert (URIRef(REC7), URIRef(CANON + "def/citesProvision"), URIRef(ART18)) in rec
    assert any(str(s).startswith(REC7 + "#span-fr") for s in rec.subjects())
    article = Graph().parse(doc_path(site, ART18, "ttl"), format="turtle")
    assert (URIRef(REC7), URIRef(CANON + "def/citesProvision"), URIRef(ART18)) in article


def test_the_ontology_iri_gives_the_whole_ontology(
    built: tuple[Path, BuildSummary], site: Path
) -> None:
    ontology = Graph().parse(built[0] / "ontology.ttl", format="turtle")
    published = Graph().parse(site / "doc" / "ontology.ttl", format="turtle")
    assert isomorphic(ontology, published)
    assert doc_stem(f"{CANON}def/{__version__}/") == "doc/ontology"


def test_every_page_embeds_the_same_graph_as_its_turtle(site: Path) -> None:
    for page in sorted((site / "doc").rglob("*.html")):
        data = embedded_jsonld(page.read_text(encoding="utf-8"))
        assert "</" not in data
        from_html = Graph().parse(data=data, format="json-ld")
        turtle = Graph().parse(page.with_suffix(".ttl"), format="turtle")
        assert isomorphic(from_html, turtle), page


def test_the_four_rdf_formats_of_a_document_agree(site: Path) -> None:
    for iri in (REC7, ART18, f"{CANON}def/Recommendation", f"{CANON}def/theme/children"):
        graphs = [Graph().parse(doc_path(site, iri, ext), format=SYNTAX[ext]) for ext in SYNTAX]
        assert all(isomorphic(graphs[0], g) for g in graphs[1:]), iri


# -- dumps, checksums, description -------------------------------------------------------------


def test_dumps_parse_back_to_the_graph_of_the_build(
    built: tuple[Path, BuildSummary], site: Path
) -> None:
    whole = build_graph(built[0])
    dumps = site / "dumps"
    assert isomorphic(whole, Graph().parse(dumps / "tipkg.ttl", format="turtle"))
    assert isomorphic(whole, Graph().parse(dumps / "tipkg.jsonld", format="json-ld"))
    assert isomorphic(whole, Graph().parse(dumps / "tipkg.rdf", format="xml"))
    nt = gzip.decompress((dumps / "tipkg.nt.gz").read_bytes()).decode("utf-8")
    assert isomorphic(whole, Graph().parse(data=nt, format="nt"))
    ontology = Graph().parse(built[0] / "ontology.ttl", format="turtle")
    assert isomorphic(ontology, Graph().parse(dumps / "ontology.ttl", format="turtle"))
    assert (dumps / "shapes.ttl").is_file()
    Graph().parse(dumps / "shapes.ttl", format="turtle")


def test_sha256sums_name_every_dump_with_its_digest(site: Path) -> None:
    lines = (site / "dumps" / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    named = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        named[name] = digest
    files = {str(p.relative_to(site / "dumps")) for p in (site / "dumps").rglob("*") if p.is_file()}
    assert set(named) == files - {"SHA256SUMS"}
    for name, digest in named.items():
        assert hashlib.sha256((site / "dumps" / name).read_bytes()).hexdigest() == digest


def test_the_dataset_is_described_with_void_and_dcat(
    built: tuple[Path, BuildSummary], site: Path
) -> None:
    dataset = URIRef(f"{CANON}id/dataset/tipkg")
    g = Graph().parse(doc_path(site, str(dataset), "ttl"), format="turtle")
    manifest = json.loads((built[0] / "build.json").read_text(encoding="utf-8"))
    assert (dataset, RDF.type, DCAT.Dataset) in g
    assert (dataset, RDF.type, URIRef(VOID + "Dataset")) in g
    assert (dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    rights = g.value(dataset, DCTERMS.rights)
    assert any("United Nations terms of use" in str(o) for o in g.objects(rights, None))
    assert g.value(dataset, DCTERMS.publisher) is not None
    assert str(g.value(dataset, URIRef(str(DCAT) + "version"))) == __version__
    issued = Literal(manifest["time"], datatype=XSD.dateTime)
    assert (dataset, DCTERMS.issued, issued) in g and (dataset, DCTERMS.modified, issued) in g
    assert g.value(dataset, URIRef(VOID + "sparqlEndpoint")) == URIRef(CANON + "sparql")
    assert int(g.value(dataset, URIRef(VOID + "triples"))) == len(build_graph(built[0]))  # type: ignore[arg-type]
    assert int(g.value(dataset, URIRef(VOID + "entities"))) > 100  # type: ignore[arg-type]
    assert URIRef(REC7) in set(g.objects(dataset, URIRef(VOID + "exampleResource")))
    vocabularies = {str(v) for v in g.objects(dataset, URIRef(VOID + "vocabulary"))}
    assert {CANON + "def/", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    distributions = list(g.objects(dataset, DCAT.distribution))
    assert len(distributions) == 4
    for holder in (dataset, *g.objects(dataset, URIRef(VOID + "subset"))):
        for dist in g.objects(holder, DCAT.distribution):
            url = str(g.value(dist, DCAT.downloadURL))
            assert url.startswith(CANON + "dumps/"), "the RDF keeps canonical IRIs"
            path = site / url[len(CANON) :]
            assert int(g.value(dist, DCAT.byteSize)) == path.stat().st_size  # type: ignore[arg-type]
            assert str(g.value(dist, DCAT.mediaType)).startswith(
                "https://www.iana.org/assignments/media-types/"
            )


def test_the_rdf_keeps_canonical_iris_while_links_use_the_base_url(site: Path) -> None:
    turtle = doc_path(site, REC7, "ttl").read_text(encoding="utf-8")
    assert REC7 in turtle and BASE not in turtle
    page = doc_path(site, REC7, "html").read_text(encoding="utf-8")
    assert f'href="{BASE}doc/instrument/untoc/article-18.html"' in page
    assert f'href="{CANON}doc/' not in page
    assert REC7 in page  # the IRI itself is shown


# -- the pages -----------------------------------------------------------------------------------


class _Balance(HTMLParser):
    """Every element that is opened is closed, in order; ids are unique."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                if value in self.ids:
                    self.problems.append(f"duplicate id {value}")
                self.ids.add(value)
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS and tag not in {"rect", "path", "circle"}:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def check_page(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lang = "fr" if "/site/fr/" in path.as_posix() else "en"  # the French pages are under fr/
    assert text.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">'), path
    assert '<meta charset="utf-8">' in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert len(re.findall(r'<link rel="stylesheet"', text)) == 1
    assert re.search(r"<title>[^<]+</title>", text)
    html5rdf.HTMLParser(strict=True).parse(text.encode("utf-8"))
    balance = _Balance()
    balance.feed(text)
    assert not balance.problems and balance.stack == [], (path, balance.problems[:3])


def test_every_page_is_html5(site: Path) -> None:
    pages = html_pages(site)
    assert len(pages) > 600
    for page in pages:
        check_page(page)


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    loads = re.compile(
        r'<(?:img|script|link|iframe|source|audio|video)\b[^>]*?\b(?:src|href)="([^"]*)"'
    )
    for path in [*html_pages(site), *site.rglob("*.svg")]:
        text = path.read_text(encoding="utf-8")
        for url in loads.findall(text):
            assert url.startswith(BASE), (path, url)
        assert "@import" not in text and "url(" not in text
    css = (site / "static" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_french_text_is_marked_french(site: Path) -> None:
    page = doc_path(site, REC7, "html").read_text(encoding="utf-8")
    assert re.search(r'<blockquote class="text" lang="fr"><p>Les États parties', page)
    assert re.search(r'<pre class="quote" lang="fr">Les États parties', page)


def test_a_recommendation_page_shows_text_span_repairs_and_labels(site: Path) -> None:
    page = doc_path(site, REC7, "html").read_text(encoding="utf-8")
    assert "coopération internationale" in page
    assert "Characters 2347–2716" in page
    assert "Repairs of the extracted text" in page and "split-word" in page
    assert (
        ">Article 18 of the United Nations Convention against Transnational Organized Crime<"
        in page
    )
    assert ">cites provision<" in page and ">should act<" in page
    visible = re.sub(
        r"<[^>]+>", " ", re.sub(r'<script.*?</script>|title="[^"]*"', "", page, flags=re.S)
    )
    assert "https://w3id.org/tipkg/def/" not in visible.replace(REC7, "")


def test_links_out_to_wikidata(site: Path) -> None:
    page = doc_path(site, f"{CANON}id/organization/interpol", "html").read_text(encoding="utf-8")
    assert 'href="https://www.wikidata.org/wiki/Q8475"' in page


def _links_out(page: str) -> list[tuple[str, str, str]]:
    """(href, lang, text) of every link in the page's "Links out" section."""
    section = page.split('<section class="links-out">', 1)[1].split("</section>", 1)[0]
    return [
        (html.unescape(href), lang, html.unescape(text))
        for href, lang, text in re.findall(
            r'<a href="([^"]*)"(?: lang="([^"]*)")?[^>]*>([^<]*)</a>', section
        )
    ]


def test_the_page_of_france_links_to_its_sherloc_legislation_and_case_law(site: Path) -> None:
    """Issue 14: named for people, in English and in French (the page has French labels)."""
    from tipkg.locators import SHERLOC_STATE_SEARCHES

    page = doc_path(site, f"{CANON}id/state/fra", "html").read_text(encoding="utf-8")
    legislation, case_law = (search.locator("France") for search in SHERLOC_STATE_SEARCHES)
    links = _links_out(page)
    assert (legislation, "", "Legislation of France in SHERLOC") in links
    assert (case_law, "", "Trafficking case law of France in SHERLOC") in links
    assert (legislation, "fr", "Législation dans SHERLOC : France") in links
    assert (case_law, "fr", "Jurisprudence sur la traite dans SHERLOC : France") in links


def test_instrument_and_theme_pages_link_to_their_pages(site: Path) -> None:
    protocol = doc_path(site, f"{CANON}id/instrument/tip-protocol", "html").read_text("utf-8")
    assert any(
        text == "The Protocol in the United Nations Treaty Collection"
        and href.startswith("https://treaties.un.org/Pages/ViewDetails.aspx?")
        for href, _, text in _links_out(protocol)
    )
    theme = doc_path(site, f"{CANON}def/theme/trafficking-in-persons", "html").read_text("utf-8")
    assert (
        "https://sherloc.unodc.org/cld/v3/htms/",
        "",
        "Human Trafficking Knowledge Portal (SHERLOC)",
    ) in _links_out(theme)


def test_the_ontology_page_documents_every_term_in_french_and_english(
    built: tuple[Path, BuildSummary], site: Path
) -> None:
    page = (site / "doc" / "ontology.html").read_text(encoding="utf-8")
    ontology = Graph().parse(built[0] / "ontology.ttl", format="turtle")
    owl = "http://www.w3.org/2002/07/owl#"
    terms = [
        t
        for kind in ("Class", "ObjectProperty", "DatatypeProperty")
        for t in ontology.subjects(RDF.type, URIRef(owl + kind))
        if str(t).startswith(CANON + "def/")
    ]
    assert len(terms) > 50
    from html import unescape

    # Compared unescaped: an apostrophe may be written &#39; or &#x27;, both right.
    text = unescape(page)
    for term in terms:
        local = str(term)[len(CANON + "def/") :]
        assert f'id="{local}"' in page, local
        for predicate in (
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            URIRef("http://www.w3.org/2004/02/skos/core#definition"),
        ):
            for value in ontology.objects(term, predicate):
                assert str(value) in text, (local, value)


def test_index_pages(site: Path) -> None:
    by_section = (site / "recommendations.html").read_text(encoding="utf-8")
    assert by_section.count('<article class="rec"') == 26
    by_theme = (site / "recommendations-by-theme.html").read_text(encoding="utf-8")
    assert "non-punishment principle" in by_theme
    by_strength = (site / "recommendations-by-strength.html").read_text(encoding="utf-8")
    assert by_strength.index("should act") < by_strength.index("may consider acting")
    by_org = (site / "recommendations-by-organisation.html").read_text(encoding="utf-8")
    assert "International Criminal Police Organization" in by_org
    participants = (site / "participants.html").read_text(encoding="utf-8")
    assert "Argentina" in participants and "Ms. Bowen" in participants
    meetings = (site / "meetings.html").read_text(encoding="utf-8")
    assert "2020-09-10" in meetings and "Vienna" in meetings
    schemes = (site / "schemes.html").read_text(encoding="utf-8")
    assert "strengths of wording" in schemes and 'lang="fr"' in schemes


def test_search_works_without_a_server_and_lists_all_without_javascript(site: Path) -> None:
    index = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    assert len(index) == 26 and all(item["url"].startswith(BASE) for item in index)
    page = (site / "search.html").read_text(encoding="utf-8")
    assert page.count("<li data-n=") == 26
    assert '<form id="search" role="search" hidden>' in page
    inline = re.search(
        r'<script type="application/json" id="search-index">(.*?)</script>', page, re.S
    )
    assert inline and len(json.loads(inline.group(1))) == 26
    assert f'<script src="{BASE}static/search.js"></script>' in page


def test_pictures_are_accessible_svg(site: Path) -> None:
    svg = "{http://www.w3.org/2000/svg}"
    pictures = sorted((site / "pictures").glob("*.svg"))
    assert [p.name for p in pictures] == [
        "organisations-network.svg",
        "strengths.svg",
        "themes-matrix.svg",
    ]
    for path in pictures:
        root = ET.parse(path).getroot()
        title = root.find(f"{svg}title")
        assert title is not None and title.text
        marks = [e for e in root.iter() if e.tag in (f"{svg}path", f"{svg}circle")]
        marks += [e for e in root.iter(f"{svg}rect") if e.get("fill") != "#eef1f4"]
        assert marks and all(m.find(f"{svg}title") is not None for m in marks), path
    strengths = (site / "pictures" / "strengths.svg").read_text(encoding="utf-8")
    assert "should act: 14 recommendations" in strengths


def test_sitemap_lists_every_page(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(html_pages(site)) - 1  # not 404.html
    assert all(loc.startswith(BASE) for loc in locs)


def test_server_rules_for_apache_and_nginx(site: Path) -> None:
    htaccess = (site / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteBase /tipkg/" in htaccess
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle [NC]" in htaccess
    assert "RewriteRule ^id/(.+)$ doc/$1.ttl [R=303,L,E=TIPKG_VARY:1]" in htaccess
    assert "RewriteRule ^id/(.+)$ doc/$1.html [R=303,L,E=TIPKG_VARY:1]" in htaccess
    assert "AddType application/ld+json .jsonld" in htaccess
    nginx = (site / "nginx.conf").read_text(encoding="utf-8")
    assert "map $http_accept $tipkg_ext {" in nginx
    assert "return 303 /tipkg/doc/$tipkg_thing.$tipkg_ext;" in nginx
    # the nginx map, applied as nginx would (first matching regex), agrees with respond()
    rules = re.findall(r'"~\*([^"]+)" (\w+);', nginx)
    for accept in ("text/turtle", "application/ld+json", "application/n-triples",
                   "application/rdf+xml", "text/html,*/*;q=0.8", "*/*", ""):  # fmt: skip
        found = next((ext for rx, ext in rules if re.search(rx, accept, re.I)), "html")
        assert found == choose(accept), accept


# -- escaping --------------------------------------------------------------------------------------

EVIL = "<script>alert('x')</script> & </script><!-- \"quoted\""


def test_every_literal_is_escaped(built: tuple[Path, BuildSummary], tmp_path: Path) -> None:
    """Regression for issue 6: a label holding markup shows as text, everywhere."""
    build_dir = tmp_path / "build"
    shutil.copytree(built[0], build_dir, ignore=shutil.ignore_patterns("store"))
    evil = f"{CANON}id/organization/evil"
    extra = Graph()
    extra.add((URIRef(evil), RDF.type, URIRef(CANON + "def/IntergovernmentalOrganization")))
    extra.add(
        (
            URIRef(evil),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal(EVIL, lang="en"),
        )
    )
    extra.add(
        (
            URIRef(evil),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal(EVIL, lang="fr"),
        )
    )
    extra.add((URIRef(REC7), URIRef(CANON + "def/namesOrganization"), URIRef(evil)))
    with (build_dir / "reference.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n" + extra.serialize(format="nt"))
    out = tmp_path / "site"
    publish(build_dir, out, BASE)
    pages = [
        doc_path(out, evil, "html"),
        doc_path(out, REC7, "html"),
        out / "recommendations-by-organisation.html",
        out / "search.html",
        out / "pictures.html",
    ]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert text.count("</script>") == text.count("<script"), page
        check_page(page)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;" in pages[0].read_text(
        encoding="utf-8"
    )
    data = embedded_jsonld(pages[0].read_text(encoding="utf-8"))
    assert EVIL in {str(o) for o in Graph().parse(data=data, format="json-ld").objects()}
    svg = (out / "pictures" / "organisations-network.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg
    ET.fromstring(svg.encode("utf-8"))


# -- publish: all or nothing, deterministic ------------------------------------------------------


def test_same_build_publishes_the_same_bytes(
    built: tuple[Path, BuildSummary], site: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    publish(built[0], again, BASE)
    first = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_a_failed_publish_leaves_the_previous_site(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    publish(built[0], out, BASE)
    before = (out / "index.html").read_bytes()
    broken = tmp_path / "broken"
    shutil.copytree(built[0], broken, ignore=shutil.ignore_patterns("store"))
    (broken / "reference.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError):
        publish(broken, out, BASE)
    assert (out / "index.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]
    with pytest.raises(InputError):
        publish(tmp_path / "nothing", out, BASE)
    with pytest.raises(InputError):
        publish(built[0], built[0], BASE)


def test_an_english_report_is_marked_english(
    built_english: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    publish(built_english[0], out, "/")
    pages = [p for p in (out / "doc" / "recommendation").rglob("*.html")]
    assert pages
    text = pages[0].read_text(encoding="utf-8")
    assert '<blockquote class="text"><p>' in text  # English, like the page: no lang attribute


# -- respond -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def responders(built: tuple[Path, BuildSummary], site: Path) -> list[Responder]:
    return [Responder(build_dir=built[0], base_url=BASE), Responder(site_dir=site, base_url=BASE)]


THING = f"/id/recommendation/{KEY}/7"
DOC = f"doc/recommendation/{KEY}/7"


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("text/turtle;q=0.5, text/html;q=0.9", "html"),
        ("application/rdf+xml, */*;q=0.1", "rdf"),
        ("text/*", "html"),
        ("", "html"),
        ("*/*", "html"),
    ],
)
def test_a_thing_answers_303_to_its_document(
    responders: list[Responder], accept: str, ext: str
) -> None:
    for responder in responders:
        response = responder.respond(THING, accept)
        assert response.status == 303
        assert response.headers["Location"] == f"{BASE}{DOC}.{ext}"
        assert response.headers["Vary"] == "Accept"


def test_respond_serves_documents_terms_and_files(responders: list[Responder], site: Path) -> None:
    for r in responders:
        assert r.respond("/id/recommendation/none/1", "text/html").status == 404
        assert r.respond(THING, "image/png").status == 406
        assert r.respond("/def/Recommendation", "text/turtle").headers["Location"] == (
            f"{BASE}doc/def/Recommendation.ttl"
        )
        assert r.respond("/def/", "").headers["Location"] == f"{BASE}doc/ontology.html"
        assert r.respond(f"/def/{__version__}/", "text/turtle").headers["Location"] == (
            f"{BASE}doc/ontology.ttl"
        )
        assert r.respond("/.well-known/void", "text/turtle").headers["Location"] == (
            f"{BASE}doc/dataset/tipkg.ttl"
        )
        assert r.respond("/graph/ontology", "").headers["Location"] == f"{BASE}dumps/ontology.ttl"
        negotiated = r.respond(f"/{DOC}", "text/turtle")
        assert negotiated.status == 200
        assert negotiated.headers["Content-Type"] == "text/turtle; charset=utf-8"
        assert negotiated.headers["Content-Location"] == f"{BASE}{DOC}.ttl"
        assert negotiated.headers["Vary"] == "Accept"
        assert negotiated.body == (site / f"{DOC}.ttl").read_bytes()
        suffixed = r.respond(f"/{DOC}.jsonld", "text/html")
        assert suffixed.headers["Content-Type"] == "application/ld+json"
        assert suffixed.body == (site / f"{DOC}.jsonld").read_bytes()
        assert r.respond(f"/{DOC}.html", "").body == (site / f"{DOC}.html").read_bytes()
        home = r.respond("/", "text/html")
        assert home.status == 200 and home.body == (site / "index.html").read_bytes()
        assert (
            r.respond("/recommendations", "").body == (site / "recommendations.html").read_bytes()
        )
        assert r.respond("/dumps/tipkg.nt.gz", "").headers["Content-Type"] == "application/gzip"
        for bad in ("/../etc/passwd", "/doc/../../x", "/.htaccess", "/nope", "relative"):
            missing = r.respond(bad, "")
            assert missing.status == 404 and b"Not found" in missing.body, bad


def test_respond_without_a_build_says_so(tmp_path: Path) -> None:
    response = Responder(build_dir=tmp_path / "none").respond("/", "text/html")
    assert response.status == 503 and b"tipkg build" in response.body


def test_module_level_respond_renders_from_a_build(
    built: tuple[Path, BuildSummary], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(negotiate, "_default", None)  # restored after the test
    configure(build_dir=built[0])
    response = respond(THING, "text/turtle")
    assert response.status == 303 and response.headers["Location"] == f"/{DOC}.ttl"
    page = respond(f"/{DOC}.html", "text/html")
    assert page.status == 200 and b'href="/doc/instrument/untoc/article-18.html"' in page.body


# -- the static rules in a real server (where one is installed) -----------------------------------

NGINX = Path("/usr/sbin/nginx")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str, accept: str) -> tuple[int, str, str]:
    """Status, final URL and Content-Type, following redirects like a client."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.url, response.headers["Content-Type"]
    except urllib.error.HTTPError as err:
        return err.code, err.url, err.headers["Content-Type"]


@pytest.mark.skipif(
    not NGINX.exists(), reason="nginx is not installed (apt-get install nginx-light)"
)
def test_the_nginx_rules_negotiate_like_respond(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/tipkg/"
    root = tmp_path / "root"
    root.mkdir()
    publish(built[0], root / "tipkg", base)
    conf = (root / "tipkg" / "nginx.conf").read_text(encoding="utf-8")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("root /var/www/tipkg;", f"root {root};")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    temps = "".join(
        f"{name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "site.conf").write_text(conf, encoding="utf-8")
    (prefix / "nginx.conf").write_text(
        # workers as the test's user: pytest's temporary directories are private
        f"daemon off; user {getpass.getuser()}; pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\n"
        f"events {{}}\nhttp {{ access_log off; {temps} include {prefix / 'site.conf'}; }}\n",
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [str(NGINX), "-c", str(prefix / "nginx.conf"), "-p", str(prefix)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        for accept in ("text/html,*/*;q=0.8", "text/turtle", "application/ld+json",
                       "application/n-triples", "application/rdf+xml", ""):  # fmt: skip
            status, url, media_type = _fetch(base + THING.lstrip("/"), accept)
            ext = choose(accept)
            assert (status, url) == (200, f"{base}{DOC}.{ext}"), accept
            assert media_type.split(";")[0] == FORMATS[ext or "html"]
        assert _fetch(f"{base}def/", "text/turtle")[1] == f"{base}doc/ontology.ttl"
        assert _fetch(f"{base}def/{__version__}/", "")[1] == f"{base}doc/ontology.html"
        assert _fetch(f"{base}graph/ontology", "")[1] == f"{base}dumps/ontology.ttl"
        assert _fetch(f"{base}{DOC}", "text/turtle")[2].startswith("text/turtle")
        assert _fetch(f"{base}id/nothing/here", "")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


# -- a site that works where it is (issue 17) --------------------------------------------------

_LINK = re.compile(r'(?:href|src|action)="([^"]*)"')


@pytest.fixture(scope="module")
def relative_site(
    built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("relative") / "site"
    summary = publish(built[0], out)  # the default: relative links
    assert summary.base_url == "(relative links)"
    return out


NOT_FOUND_PREFIX = "/tipkg/"


def test_every_link_of_the_default_site_stays_inside_it_and_finds_its_file(
    relative_site: Path,
) -> None:
    """Opened from disk (file://) or served from any path, every link of ours resolves to a file
    of the site: no link leaves for w3id.org, none is absolute from the server's root."""
    checked = 0
    for path in [*relative_site.rglob("*.html"), *relative_site.rglob("*.svg")]:
        text = path.read_text(encoding="utf-8")
        for target in _LINK.findall(text):
            target = html.unescape(target)
            folder = path.parent
            if target.startswith(("http://", "https://", "mailto:")):
                assert not target.startswith(CANON), (path, target)
                continue
            if path.name == "404.html" and not target.startswith("#"):
                # served for missing paths at any depth: absolute from the site's path, the one
                # the server rules name (serverconf), never relative (issue 17)
                assert target.startswith(NOT_FOUND_PREFIX), (path, target)
                target = target[len(NOT_FOUND_PREFIX) :]
                folder = relative_site
            assert not target.startswith("/"), (path, target)
            local = target.split("#", 1)[0].split("?", 1)[0]
            if not local:
                continue
            if local.endswith("sparql"):  # the endpoint, where tipkg serve serves the site
                continue
            resolved = (folder / local).resolve()
            assert resolved.is_relative_to(relative_site.resolve()), (path, target)
            assert resolved.is_file(), (path, target)
            checked += 1
    assert checked > 10_000


def test_every_page_shares_one_navigation_with_the_query_page(relative_site: Path) -> None:
    index = (relative_site / "index.html").read_text(encoding="utf-8")
    rec = next((relative_site / "doc" / "recommendation").rglob("7.html")).read_text("utf-8")
    nav_index = re.search(r'<nav aria-label="Site">(.*?)</nav>', index, re.S)
    nav_rec = re.search(r'<nav aria-label="Site">(.*?)</nav>', rec, re.S)
    assert nav_index and nav_rec
    assert '<a href="query.html">' in nav_index.group(1)
    assert '<a href="../../../query.html">' in nav_rec.group(1)
    assert nav_rec.group(1).replace("../../../", "") == nav_index.group(1).replace(
        ' aria-current="page"', ""
    )
    assert '<link rel="stylesheet" href="../../../static/style.css">' in rec


def test_each_competency_question_has_a_page_with_its_sparql_answer_and_run_link(
    relative_site: Path, built: tuple[Path, BuildSummary]
) -> None:
    page = (relative_site / "questions" / "modality.html").read_text(encoding="utf-8")
    sparql = (COMPETENCY_DIR / "modality.rq").read_text(encoding="utf-8")
    assert html.escape(sparql, quote=False).replace('"', "&#34;") in page
    assert 'href="../query.html?example=modality"' in page
    expected = (Path("tests/expected/modality.csv")).read_text(encoding="utf-8").splitlines()[1:]
    cells = re.findall(r"<td><span[^>]*>([^<]*)</span></td><td><span[^>]*>([^<]*)</span>", page)
    assert [",".join(c) for c in cells] == expected
    query = (relative_site / "query.html").read_text(encoding="utf-8")
    assert 'href="questions/modality.html"' in query
    linked = (relative_site / "questions" / "external-links.html").read_text(encoding="utf-8")
    assert '<a class="iri" href="../doc/' in linked


def test_a_recommendation_links_its_official_document_where_the_symbol_is_known(
    built: tuple[Path, BuildSummary],
) -> None:
    """tip:documentSymbol is never guessed: no symbol, no link; a symbol, a link to undocs.org."""
    from tipkg.publish import vocab
    from tipkg.publish.site import Site

    site = Site(built[0])
    page = f"doc/recommendation/{KEY}/7.html"
    assert 'class="official"' not in site.get_required(page).decode("utf-8")
    report = ox.NamedNode(f"{CANON}id/report/{KEY}")
    symbol = ox.Literal("CTOC/COP/WG.4/2020/3/Add.1")
    site.data.out.entries.setdefault(report, []).append(
        ox.Triple(report, ox.NamedNode(vocab.TIP + "documentSymbol"), symbol)
    )
    html = site.get_required(page).decode("utf-8")
    assert '<a href="https://undocs.org/CTOC/COP/WG.4/2020/3/Add.1">' in html


def test_the_recommendations_filter_by_mechanism_across_families(
    built_all: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    # Issue 17: with a second family in, the filters combine with the mechanism that made each
    # recommendation; its counts are the graph's own, per body that wrote the report.
    import json
    import re

    from tipkg.store import open_read_only, select

    out = tmp_path / "site"
    publish(built_all[0], out, BASE)
    page = (out / "recommendations.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="rec-index">(.*?)</script>', page, re.S)
    assert raw is not None
    index = json.loads(raw[1].replace("\\u003c", "<"))
    shown: dict[str, int] = {}
    for rec in index:
        shown[rec["mechanism"]] = shown.get(rec["mechanism"], 0) + 1
    rows = select(
        open_read_only(built_all[0] / "store"),
        "PREFIX tip: <https://w3id.org/tipkg/def/> PREFIX dct: <http://purl.org/dc/terms/> "
        "SELECT ?body (COUNT(?r) AS ?n) WHERE { ?r a tip:Recommendation ; tip:inReport ?report . "
        "?report dct:creator ?body } GROUP BY ?body",
    ).rows
    assert shown == {body: int(n) for body, n in rows}
    assert len(shown) == 2
    mechanism = re.search(r'<select[^>]*name="mechanism".*?</select>', page, re.S)
    assert mechanism is not None
    for body in shown:
        assert f'value="{body}"' in mechanism[0]
