"""Link sets (data/mappings/*.sssom.tsv): parsing, compiling to RDF, checking, coverage
(issues 7 and 14).

The real tables must pass every check over the real build; each planted error of
tests/fixtures/links/ must fail with a problem naming the resource the bad link starts from,
in the library and through `tipkg links --check`. Nothing here reaches the network:
`check_online` is never called.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import FOAF

from tipkg import iris
from tipkg.build import BuildSummary
from tipkg.cli import main
from tipkg.errors import InputError
from tipkg.links import (
    CHECKED_DIR,
    MAPPINGS_DIR,
    NO_TERM_FOUND,
    Mapping,
    built_graph,
    check_links,
    check_rows,
    compile_links,
    coverage,
    coverage_lines,
    links_table,
    load_mappings,
    read_table,
    report_states,
)
from tipkg.locators import (
    SHERLOC_FIXED,
    SHERLOC_HOME,
    SHERLOC_HTKP,
    SHERLOC_STATE_SEARCHES,
    SHERLOC_TEMPLATES,
    TREATY_PAGES,
    UNODC_CTOC,
    UNTC_TIP_PROTOCOL,
    LocatorError,
    address_names,
)
from tipkg.paths import COMPETENCY_DIR, ROOT
from tipkg.store import select
from tipkg.vocab import TIP

FIXTURES = Path(__file__).parents[1] / "fixtures" / "links"
EXPECTED = Path(__file__).parents[1] / "expected" / "external-links.csv"
WIKIDATA = "http://www.wikidata.org/entity/"
UNBIS = "http://metadata.un.org/thesaurus/"
SDG = "http://metadata.un.org/sdg/"


@pytest.fixture(scope="module")
def mappings() -> list[Mapping]:
    return load_mappings()


@pytest.fixture(scope="module")
def links(mappings: list[Mapping]) -> Graph:
    return compile_links(mappings)


@pytest.fixture(scope="module")
def data(built: tuple[Path, BuildSummary]) -> Graph:
    """Ontology + reference + reports of the real build (links not yet part of the build)."""
    return built_graph(built[0])


def _checked(name: str) -> list[dict[str, str]]:
    with (CHECKED_DIR / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _table(mappings: list[Mapping], name: str) -> list[Mapping]:
    return [m for m in mappings if Path(m.path).name == f"{name}.sssom.tsv"]


# --- the tables --------------------------------------------------------------------------------


def test_one_table_per_target(mappings: list[Mapping]) -> None:
    names = sorted(p.name for p in MAPPINGS_DIR.glob("*.sssom.tsv"))
    targets = ("sdg", "sherloc", "treaties", "unbis", "wikidata")
    assert names == [f"{t}.sssom.tsv" for t in targets]
    for name in targets:
        rows = _table(mappings, name)
        assert rows, name
        assert {m.mapping_set_id for m in rows} == {
            f"https://w3id.org/tipkg/mappings/{name}.sssom.tsv"
        }
        for m in rows:
            assert m.comment, f"{m.path}:{m.line}: every row says why"
            assert m.mapping_justification == "semapv:ManualMappingCuration"


def test_compiled_predicates_follow_the_strength_of_each_target(
    mappings: list[Mapping], links: Graph
) -> None:
    expected = {
        "wikidata": {OWL.sameAs},
        "sherloc": {RDFS.seeAlso},
        "unbis": {SKOS.closeMatch},
        "sdg": {SKOS.closeMatch},
        "treaties": {RDFS.seeAlso},
    }
    for name, predicates in expected.items():
        for m in _table(mappings, name):
            assert m.predicate in predicates, f"{m.path}:{m.line}"
            if not m.unmapped:
                assert (m.subject, m.predicate, m.object) in links
    assert (None, None, NO_TERM_FOUND) not in links
    assert len(links) == sum(1 for m in mappings if not m.unmapped)
    assert set(links.predicates()) == {OWL.sameAs, RDFS.seeAlso, SKOS.closeMatch}


def test_curies_expand_with_the_tables_curie_map(links: Graph) -> None:
    assert (iris.state("FRA"), OWL.sameAs, URIRef(WIKIDATA + "Q142")) in links
    assert (iris.organization("interpol"), OWL.sameAs, URIRef(WIKIDATA + "Q8475")) in links
    assert (iris.theme("trafficking-in-persons"), RDFS.seeAlso, URIRef(SHERLOC_HTKP)) in links


# --- checks over the real build ----------------------------------------------------------------


def test_real_links_pass_every_check(mappings: list[Mapping], links: Graph, data: Graph) -> None:
    assert check_links(links, data) == []
    assert check_rows(mappings, data) == []


def test_every_state_and_organisation_of_the_report_carries_its_checked_qid(
    links: Graph, data: Graph
) -> None:
    checked = _checked("wikidata.tsv")
    by_iso3 = {row["iso3"]: row["qid"] for row in checked if row["kind"] == "state"}
    by_name = {_norm(row["name"]): row["qid"] for row in checked if row["kind"] != "state"}
    actors: set[URIRef] = set(report_states(data))
    for prop in (TIP.participant, TIP.namesOrganization):
        actors.update(o for o in data.objects(None, prop) if isinstance(o, URIRef))
    found = 0
    for actor in sorted(actors):
        qid = None
        codes = [str(c) for c in data.objects(actor, TIP.iso3166Alpha3)]
        if codes:
            qid = by_iso3.get(codes[0])
        else:
            qid = next((by_name[n] for n in _names(data, actor) if n in by_name), None)
        if qid is None:
            continue
        found += 1
        items = set(links.objects(actor, OWL.sameAs))
        assert items == {URIRef(WIKIDATA + qid)}, f"{actor}: {items}"
    # The States whose item was checked (the 2020 report's 18; the UPR review's other States have
    # no checked item, so no link) + INTERPOL, Europol, IOM, PAM, UN.
    with_item = [
        state
        for state in report_states(data)
        if any(str(code) in by_iso3 for code in data.objects(state, TIP.iso3166Alpha3))
    ]
    assert len(with_item) >= 18
    assert found == len(with_item) + 5


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _names(data: Graph, actor: URIRef) -> set[str]:
    """English names, and 'name (short name)' as data/reference/checked/wikidata.tsv writes."""
    labels = [str(v) for v in data.objects(actor, RDFS.label) if getattr(v, "language", "") == "en"]
    alts = [
        str(v) for v in data.objects(actor, SKOS.altLabel) if getattr(v, "language", "") == "en"
    ]
    names = {_norm(n) for n in labels + alts}
    names |= {_norm(f"{label} ({alt})") for label in labels for alt in alts}
    return names


def test_tables_and_reference_wikidata_ids_agree(links: Graph, data: Graph) -> None:
    from_tables = {(s, str(o).removeprefix(WIKIDATA)) for s, o in links.subject_objects(OWL.sameAs)}
    from_reference = {(s, str(o)) for s, o in data.subject_objects(TIP.wikidataId)}
    assert from_tables == from_reference


def test_themes_carry_their_unbis_and_sdg_matches(links: Graph) -> None:
    matches = {
        (str(s).removeprefix(str(iris.theme(""))), str(o))
        for s, o in links.subject_objects(SKOS.closeMatch)
    }
    assert matches == {
        ("trafficking-in-persons", UNBIS + "1006622"),
        ("international-cooperation", UNBIS + "1003291"),
        ("mutual-legal-assistance", UNBIS + "1003479"),
        ("trafficking-in-persons", SDG + "8.7"),
        ("children", SDG + "16.2"),
    }
    assert not list(links.subject_objects(SKOS.exactMatch)), "no UNBIS gloss is certain"


def test_every_state_has_its_two_sherloc_searches_or_a_reason(
    mappings: list[Mapping], links: Graph, data: Graph
) -> None:
    states = sorted(data.subjects(RDF.type, TIP.State))
    assert len(states) == 195
    rows = _table(mappings, "sherloc")
    unmapped = {m.subject: m.comment for m in rows if m.unmapped}
    linked = 0
    for state in states:
        searches = {
            str(o) for o in links.objects(state, RDFS.seeAlso) if str(o).startswith("https://sher")
        }
        english = next(str(v) for v in data.objects(state, RDFS.label) if v.language == "en")
        if state in unmapped:
            assert not searches, state
            assert "names differ" in unmapped[state] and english in unmapped[state]
        else:
            linked += 1
            assert searches == {s.locator(english) for s in SHERLOC_STATE_SEARCHES}, state
    assert (linked, len(unmapped)) == (174, 21)
    # The two labels sherloc.md shows SHERLOC using are linked whatever ISO calls the State.
    assert iris.state("ARG") not in unmapped and iris.state("USA") not in unmapped
    # A State whose UN, ISO and common names differ is not guessed.
    for code in ("GBR", "VEN", "IRN", "PSE", "VNM", "RUS", "NLD"):
        assert iris.state(code) in unmapped, code


def test_france_links_to_its_legislation_and_case_law_in_sherloc(links: Graph) -> None:
    france = set(map(str, links.objects(iris.state("FRA"), RDFS.seeAlso)))
    assert france == {
        "https://sherloc.unodc.org/cld/v3/sherloc/legdb/search.html?lng=en#?c="
        "%7B%22filters%22:%5B%7B%22fieldName%22:%22en%23legislation@country_label_s%22,"
        "%22value%22:%22France%22%7D%5D,%22sortings%22:%22%22%7D",
        "https://sherloc.unodc.org/cld/v3/htms/cldb/search.html?lng=en#?c="
        "%7B%22filters%22:%5B%7B%22fieldName%22:%22en%23caseLaw@country_label_s%22,"
        "%22value%22:%22France%22%7D%5D%7D",
    }
    names = sorted(address_names(url, "France", "France")["en"] for url in france)
    assert names == [
        "Legislation of France in SHERLOC",
        "Trafficking case law of France in SHERLOC",
    ]


def test_state_searches_write_the_documented_json_and_read_it_back() -> None:
    text = (CHECKED_DIR / "sherloc.md").read_text(encoding="utf-8")
    for search in SHERLOC_STATE_SEARCHES:
        assert search.documented in text, search.kind
        assert search.json(search.example_label) == search.example
        for label in ("Argentina", "Côte d’Ivoire", "Türkiye", "Lao People's Democratic Republic"):
            address = search.locator(label)
            assert search.label_of(address) == label
            assert not set(address.split("#", 1)[1]) & set('{}"# []')


@pytest.mark.parametrize(
    ("fragment", "phrase"),
    [
        ('{"filters":[]}', "does not decode: a character outside"),
        ("%7B%22filters%22:%5B%5D%7", "does not decode: a character outside"),
        ("%7b%22filters%22:%5B%5D%7D", "does not decode: a character outside"),
        ("%FF%FE", "does not decode to JSON"),
        ("%7B%22filters%22:%5B%5D%7D", "does not decode to the documented JSON"),
        ("%5B1,2%5D", "does not decode to the documented JSON"),
    ],
)
def test_a_fragment_that_does_not_decode_is_refused(fragment: str, phrase: str) -> None:
    search = SHERLOC_STATE_SEARCHES[0]
    with pytest.raises(LocatorError, match=phrase):
        search.label_of(f"{search.page}#?c={fragment}")


def test_wikidata_rows_name_the_item_as_the_checked_list_does(mappings: list[Mapping]) -> None:
    names = {row["qid"]: row["name"] for row in _checked("wikidata.tsv")}
    for m in _table(mappings, "wikidata"):
        if not m.unmapped:
            assert m.object_label == names[m.object_id.removeprefix("wikidata:")], m.line


def test_bodies_not_found_are_recorded_with_the_reason(mappings: list[Mapping]) -> None:
    not_found = {m.subject: m.comment for m in _table(mappings, "wikidata") if m.unmapped}
    assert set(not_found) == {
        iris.organization("unodc"),
        iris.organization("cop-untoc"),
        iris.organization("wg-tip"),
        iris.organization("srtip"),
        iris.instrument("untoc"),
        iris.instrument("tip-protocol"),
    }
    assert all("not found" in why for why in not_found.values())


def test_treaties_link_to_their_pages(links: Graph) -> None:
    protocol, untoc = iris.instrument("tip-protocol"), iris.instrument("untoc")
    assert set(links.objects(protocol, RDFS.seeAlso)) == {URIRef(UNTC_TIP_PROTOCOL)}
    assert set(links.objects(untoc, RDFS.seeAlso)) == {URIRef(UNODC_CTOC)}
    text = (CHECKED_DIR / "sherloc.md").read_text(encoding="utf-8")
    assert all(page in text for page in TREATY_PAGES)


def test_coverage_counts_and_explains_every_gap(
    mappings: list[Mapping], links: Graph, data: Graph
) -> None:
    report = {c.scheme: c for c in coverage(mappings, links, data)}
    assert list(report) == ["sherloc", "wikidata", "unbis", "sdg", "treaties"]
    sherloc = report["sherloc"]
    assert dict((k, (s, d)) for k, s, d in sherloc.kinds)["States"] == (195, 174)
    assert len(sherloc.gaps) == 21 and all("names differ" in g.reason for g in sherloc.gaps)
    wikidata = report["wikidata"]
    assert wikidata.linked == 40  # 19 States, 21 organisations
    assert len(wikidata.gaps) == wikidata.should - 40
    assert all(gap.reason for target in report.values() for gap in target.gaps)
    treaties = report["treaties"]
    assert (treaties.should, treaties.linked) == (2, 2)
    assert [g.resource for g in treaties.also_not_found] == [str(iris.instrument("untoc"))]
    lines = coverage_lines(list(report.values()))
    assert lines[0] == "SHERLOC: 179 of 200 linked (90 %)"
    assert "  States 174 of 195" in lines[1]
    assert any(line.startswith("treaty collection: 2 of 2 linked") for line in lines)


def test_recommendation_20_links_the_database_it_names(links: Graph, data: Graph) -> None:
    rec = iris.recommendation("wg-tip-2020-draft-report-addendum-1", 20)
    sherloc = iris.database("sherloc")
    assert set(data.objects(rec, TIP.namesDatabase)) == {sherloc}
    assert set(data.objects(sherloc, FOAF.page)) == {URIRef(SHERLOC_HOME)}
    assert set(links.objects(rec, RDFS.seeAlso)) == {URIRef(SHERLOC_HOME)}
    assert (sherloc, RDF.type, TIP.Database) in data


def test_sherloc_address_forms_stand_verbatim_in_sherloc_md() -> None:
    text = (CHECKED_DIR / "sherloc.md").read_text(encoding="utf-8")
    for form in SHERLOC_FIXED + SHERLOC_TEMPLATES:
        assert form in text, form
    for search in SHERLOC_STATE_SEARCHES:
        assert search.documented in text, search.kind


def test_sherloc_table_is_up_to_date(built: tuple[Path, BuildSummary]) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_mappings.py"),
            "--check",
            "--dist",
            str(built[0]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


# --- planted errors ----------------------------------------------------------------------------

PLANTED = {
    "malformed-qid": (iris.organization("unodc"), "not a Wikidata item address"),
    "malformed-locator": (iris.state("FRA"), "not a SHERLOC address form documented"),
    "fragment-undecodable": (iris.state("FRA"), "the fragment does not decode"),
    "fragment-not-documented": (iris.state("FRA"), "does not decode to the documented JSON"),
    "search-other-label": (iris.state("FRA"), "not on the State's English label 'France'"),
    "sameas-sherloc": (iris.state("FRA"), "owl:sameAs to a SHERLOC locator"),
    "two-qids": (iris.state("FRA"), "more than one Wikidata item"),
    "not-in-graph": (
        iris.recommendation("wg-tip-2020-draft-report-addendum-1", 27),
        "not in the graph",
    ),
    "not-in-graph-unmapped": (iris.state("XYZ"), "is about a resource not in the graph"),
    "unknown-iso": (iris.theme("trafficking-in-persons"), "'xyz' is not the ISO 3166 code"),
    "unbis-unlisted": (iris.theme("training"), "not in data/reference/checked/unbis.tsv"),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_planted_error_fails_naming_the_resource(
    case: str, mappings: list[Mapping], data: Graph
) -> None:
    resource, phrase = PLANTED[case]
    planted = read_table(FIXTURES / f"{case}.sssom.tsv")
    rows = mappings + planted
    problems = check_rows(rows, data) + check_links(compile_links(rows), data)
    assert problems, case
    assert any(p.resource == str(resource) and phrase in p.problem for p in problems), problems
    assert all(p.resource in (str(resource), str(iris.state("USA"))) for p in problems), problems


# One planted fault of each kind the issue names, through the command line.
CLI_PLANTED = (
    "malformed-locator",
    "malformed-qid",
    "not-in-graph",
    "not-in-graph-unmapped",
    "fragment-undecodable",
)


def test_links_check_passes_on_the_build(
    built: tuple[Path, BuildSummary], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["links", "--check", "--build", str(built[0])]) == 0
    out = capsys.readouterr().out
    assert "SHERLOC: 179 of 200 linked" in out
    assert "links: passed" in out


@pytest.mark.parametrize("case", CLI_PLANTED)
def test_links_check_fails_on_a_planted_fault(
    case: str,
    built: tuple[Path, BuildSummary],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for table in MAPPINGS_DIR.glob("*.sssom.tsv"):
        (tmp_path / table.name).write_bytes(table.read_bytes())
    (tmp_path / f"planted-{case}.sssom.tsv").write_bytes(
        (FIXTURES / f"{case}.sssom.tsv").read_bytes()
    )
    code = main(["links", "--check", "--build", str(built[0]), "--mappings", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1, out
    resource, phrase = PLANTED[case]
    assert f"links: {resource} -> " in out and phrase in out
    assert "links: failed" in out


def test_valid_fixture_passes(mappings: list[Mapping], data: Graph) -> None:
    valid = read_table(FIXTURES / "valid.sssom.tsv")
    assert check_links(compile_links(mappings + valid), data) == []


def test_every_fixture_is_a_case() -> None:
    assert {p.name.removesuffix(".sssom.tsv") for p in FIXTURES.glob("*.sssom.tsv")} == set(
        PLANTED
    ) | {"valid"}


def test_a_reference_id_the_tables_lack_is_a_problem(links: Graph, data: Graph) -> None:
    without_france = Graph()
    for triple in links:
        if triple[0] != iris.state("FRA"):
            without_france.add(triple)
    problems = check_links(without_france, data)
    assert [p.resource for p in problems] == [str(iris.state("FRA"))]
    assert "tip:wikidataId Q142" in problems[0].problem


def test_a_qid_on_the_wrong_state_is_a_problem(data: Graph) -> None:
    swapped = Graph()
    swapped.add((iris.state("FRA"), OWL.sameAs, URIRef(WIKIDATA + "Q30")))
    problems = check_links(swapped, data)
    assert any(
        p.resource == str(iris.state("FRA")) and "Q30 is the item of" in p.problem for p in problems
    )


# --- parse errors ------------------------------------------------------------------------------

HEAD = """#curie_map:
#  tipstate: https://w3id.org/tipkg/id/state/
#  wikidata: http://www.wikidata.org/entity/
#mapping_set_id: https://example.org/test
#license: https://creativecommons.org/licenses/by/4.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence
"""
GOOD = "tipstate:fra\towl:sameAs\twikidata:Q142\tsemapv:ManualMappingCuration\t1.0\n"


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        (HEAD + GOOD.replace("tipstate:", "state:"), 7, "not in the curie_map"),
        (HEAD + GOOD.replace("owl:sameAs", "skos:broadMatch"), 7, "not one tipkg compiles"),
        (HEAD + GOOD.replace("1.0", "1.5"), 7, "not a number in [0, 1]"),
        (HEAD + GOOD.replace("semapv:Manual", "semapv:Hand"), 7, "not a SEMAPV justification"),
        (HEAD + GOOD + GOOD, 8, "the same mapping as line 7"),
        (HEAD + GOOD.replace("\t1.0", ""), 7, "4 fields where the header has 5"),
        (HEAD + GOOD.replace("wikidata:Q142", "Q142"), 7, "not a CURIE"),
        (HEAD.replace("#license:", "#licence:"), 5, "unsupported mapping set slot 'licence'"),
        (HEAD.replace("confidence", "predicate_modifier"), 6, "unsupported column"),
        (HEAD.replace("\tmapping_justification", ""), 6, "no 'mapping_justification' column"),
        (HEAD.replace("#  tipstate:", "#  owl:"), 2, "built-in prefix 'owl'"),
        ("subject_id\n", 1, "no metadata block"),
    ],
)
def test_malformed_table_names_file_and_line(
    tmp_path: Path, text: str, line: int, phrase: str
) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_table(path)
    assert raised.value.line == line, raised.value
    assert phrase in raised.value.problem
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_missing_license_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(HEAD.replace("#license: https://creativecommons.org/licenses/by/4.0/\n", ""))
    with pytest.raises(InputError, match="no 'license'"):
        read_table(path)


def test_no_tables_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no link sets"):
        load_mappings(tmp_path)


# --- the competency question and the table for `tipkg links` -----------------------------------


def _expected() -> tuple[list[str], list[list[str]]]:
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_external_links_query_answers_the_reading(
    built: tuple[Path, BuildSummary], links: Graph
) -> None:
    store = ox.Store()
    for path in sorted(built[0].rglob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(path.as_uri()))
    store.load(
        links.serialize(format="nt").encode("utf-8"),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(str(iris.named_graph("links", ""))),
    )
    query = (COMPETENCY_DIR / "external-links.rq").read_text(encoding="utf-8")
    table = select(store, query)
    columns, rows = _expected()
    assert table.columns == columns == ["resource", "label", "target", "scheme"]
    assert table.rows == rows


def test_links_table_gives_the_same_rows(links: Graph, data: Graph) -> None:
    _, rows = _expected()
    assert [list(row) for row in links_table(links, data, "en")] == rows


def test_links_table_labels_in_french(links: Graph, data: Graph) -> None:
    by_resource = {row[0]: row[1] for row in links_table(links, data, "fr")}
    assert (
        by_resource[str(iris.state("GBR"))] == "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord"
    )
    assert by_resource[str(iris.theme("children"))] == "enfants"
