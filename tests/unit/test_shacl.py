"""SHACL shapes (shapes/*.ttl) and their runner (tipkg.validate.shacl).

Fixtures: tests/fixtures/shacl/<case>/{pass,fail}.ttl, one case per named node shape (each
SHACL-SPARQL constraint has a node shape of its own), <case> being the shape's local name in
kebab case without "Shape" (tipsh:RecommendationNumberUniqueShape: recommendation-number-unique).
Each fixture is validated against its shape alone (``select_shapes``), with the real ontology and
reference data as context: pass.ttl gives no result at all, fail.ttl at least one, all from the
shape under test. A new shape without a case folder, or a folder without a shape, fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node
from shacl_cases import (
    ALL_SHAPES,
    ARGENTINA,
    FIXTURES,
    ID,
    RECOMMENDATION,
    REPORT_KEY,
    Mutation,
    alpha3,
    case_name,
    no_text,
    planted,
    qid,
    two_sevens,
)

from tipkg.build import build, default_sources
from tipkg.ontology import load_ontology
from tipkg.paths import SHAPES_DIR
from tipkg.rdf.turtle import canonical_turtle
from tipkg.reference import load_reference
from tipkg.validate.shacl import (
    SH,
    SHAPES,
    Finding,
    ShaclReport,
    check_shapes,
    load_shapes,
    select_shapes,
    validate,
    validate_reports,
)
from tipkg.vocab import TIP

POSITIVE_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#positiveInteger")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def context() -> Graph:
    return load_ontology() + load_reference()


def _lines(report: ShaclReport) -> str:
    return "\n".join(f.line() for f in report.findings)


# -- the shapes graph --------------------------------------------------------------------------


def test_every_shape_has_a_case_and_every_case_a_shape() -> None:
    cases = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    shapes = {case_name(s) for s in ALL_SHAPES}
    assert sorted(shapes - cases) == [], "shapes without fixtures"
    assert sorted(cases - shapes) == [], "fixture folders without a shape"
    for case in cases:
        assert (FIXTURES / case / "pass.ttl").is_file(), case
        assert (FIXTURES / case / "fail.ttl").is_file(), case


def test_shapes_graph_conforms_to_shacl_shacl(shapes: Graph) -> None:
    report = check_shapes(shapes)
    assert report.conforms, _lines(report)
    assert report.findings == []


def test_shacl_shacl_check_catches_a_malformed_shape(shapes: Graph) -> None:
    broken = Graph()
    broken += shapes
    prop = BNode()
    broken.add((SHAPES.StateShape, SH.property, prop))
    broken.add((prop, SH.path, TIP.m49))
    broken.add((prop, SH.minCount, Literal("one")))
    assert not check_shapes(broken).conforms


def test_shapes_live_in_the_shapes_namespace() -> None:
    for shape in ALL_SHAPES:
        assert str(shape).startswith(str(SHAPES)), shape


def _languages(graph: Graph, node: Node, prop: URIRef) -> list[str]:
    return sorted(
        (o.language or "" for o in graph.objects(node, prop) if isinstance(o, Literal)),
    )


def test_every_named_shape_has_a_label_and_comment_in_french_and_english(shapes: Graph) -> None:
    for shape in ALL_SHAPES:
        assert _languages(shapes, shape, RDFS.label) == ["en", "fr"], shape
        assert _languages(shapes, shape, RDFS.comment) == ["en", "fr"], shape


def test_every_property_shape_has_a_name_message_and_severity(shapes: Graph) -> None:
    # The property shapes of the named node shapes; those nested inside a constraint (the
    # sh:node of a value) speak through the constraint that holds them.
    props = [(s, p) for s in ALL_SHAPES for p in shapes.objects(s, SH.property)]
    assert len(props) > 100
    for shape, prop in props:
        where = f"{case_name(shape)}: {shapes.value(prop, SH.path)}"
        assert _languages(shapes, prop, SH.name) == ["en", "fr"], where
        assert _languages(shapes, prop, SH.message) == ["en", "fr"], where
        assert shapes.value(prop, SH.severity) in (SH.Violation, SH.Warning, SH.Info), where


def test_every_sparql_constraint_has_a_message_severity_and_prefixes(shapes: Graph) -> None:
    constraints = list(shapes.objects(None, SH.sparql))
    assert len(constraints) >= 6
    for constraint in constraints:
        assert _languages(shapes, constraint, SH.message) == ["en", "fr"], constraint
        assert shapes.value(constraint, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
        assert shapes.value(constraint, SH.prefixes) == SHAPES[""]
        assert "$this" in str(shapes.value(constraint, SH.select))


def test_every_message_is_in_french_and_english_once(shapes: Graph) -> None:
    for node in set(shapes.subjects(SH.message, None)):
        assert _languages(shapes, node, SH.message) == ["en", "fr"], node


def _named_owner(shapes: Graph, node: Node) -> URIRef:
    while not isinstance(node, URIRef):
        node = next(iter(shapes.subjects(None, node)))
    return node


def _shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", _shape_files(), ids=lambda p: p.name)
def test_shape_file_documents_severity_and_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]  # the leading comment block, the only comments kept
    assert header.startswith("# "), "a first comment line says what the file holds"
    assert "Severity:" in header, "the leading comment documents the severities used"
    graph = Graph().parse(data=text, format="turtle")
    assert text == canonical_turtle(graph, header=header), "not canonical: run `make fmt`"


# -- fixtures, data-driven ------------------------------------------------------------------


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=case_name)
def test_pass_fixture_passes(shape: URIRef, shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / case_name(shape) / "pass.ttl", format="turtle")
    report = validate(data, context, "en", select_shapes(shapes, [shape]))
    assert report.findings == [], _lines(report)
    assert report.conforms


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=case_name)
def test_fail_fixture_fails_on_its_shape(shape: URIRef, shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / case_name(shape) / "fail.ttl", format="turtle")
    report = validate(data, context, "en", select_shapes(shapes, [shape]))
    assert report.findings, f"{case_name(shape)}/fail.ttl gives no result"
    assert {f.shape for f in report.findings} == {str(shape)}
    sources = {
        _named_owner(shapes, source)
        for source in report.results_graph.objects(None, SH.sourceShape)
    }
    assert shape in sources
    for result in report.results_graph.objects(None, SH.result):
        messages = report.results_graph.objects(result, SH.resultMessage)
        languages = sorted(m.language or "" for m in messages if isinstance(m, Literal))
        assert languages == ["en", "fr"], f"{case_name(shape)}: {languages}"


def test_external_links_flag_one_finding_per_bad_link(shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / "external-link" / "fail.ttl", format="turtle")
    report = validate(data, context, "en", select_shapes(shapes, [SHAPES.ExternalLinkShape]))
    assert sorted(f.value for f in report.violations) == [
        "http://metadata.un.org/sdg/8",
        "http://metadata.un.org/thesaurus/trafficking",
        "http://sherloc.unodc.org/cld/v3/sherloc/",
        "https://sherloc.unodc.org/cld/v3/htms/cldb/search.html?lng=en#?c=%7B%22filters%22:%5B"
        "%7B%22fieldName%22:%22en#caseLaw@country_label_s%22,%22value%22:%22France%22%7D%5D%7D",
        "https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=XVIII-12&chapter=18",
        "https://www.iom.int/",
        "https://www.wikidata.org/wiki/Q414",
    ]


def test_messages_follow_the_requested_language(shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / "recommendation-number-unique" / "fail.ttl")
    sub = select_shapes(shapes, [SHAPES.RecommendationNumberUniqueShape])
    french = validate(data, context, "fr", sub).findings[0].message
    english = validate(data, context, "en", sub).findings[0].message
    assert french.startswith("Le numéro de recommandation 7 est employé deux fois")
    assert english.startswith("Recommendation number 7 is used twice")


def test_a_blank_node_target_is_validated(shapes: Graph, context: Graph) -> None:
    data = Graph().parse(
        data="""
        @prefix tip: <https://w3id.org/tipkg/def/> .
        [] a tip:Participation ;
            tip:participant <https://w3id.org/tipkg/id/state/arg> ;
            tip:inMeeting [ a tip:Meeting ] .
        """,
        format="turtle",
    )
    report = validate(data, context, "en", select_shapes(shapes, [SHAPES.ParticipationShape]))
    assert [f.path for f in report.violations] == [str(TIP.role)]


def test_validation_leaves_data_and_context_untouched(shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / "participation" / "pass.ttl")
    before = (len(data), len(context))
    validate(data, context, "en", shapes)
    validate(context, context, "en", shapes)
    assert (len(data), len(context)) == before


# -- the real build --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Graph], Graph]:
    out = tmp_path_factory.mktemp("shacl") / "dist"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "1600000000"))
        build(default_sources(), out)
    reports = {p.stem: Graph().parse(p) for p in sorted((out / "reports").glob("*.ttl"))}
    context = Graph()
    for name in ("ontology.ttl", "reference.ttl", "build.ttl"):
        context.parse(out / name)
    return reports, context


def test_the_real_build_conforms(built: tuple[dict[str, Graph], Graph], shapes: Graph) -> None:
    reports, context = built
    assert REPORT_KEY in reports
    report = validate_reports(reports, context, "en", shapes)
    assert report.conforms, _lines(report)
    assert set(report.runs) == {"context", *reports}
    print(f"\nSHACL on the real build: {report.seconds:.2f} s; runs: {report.runs}")
    print(_lines(report))


PARTICIPATION = ID["meeting/wg-tip-2020/participation/arg/statement/item-2"]


def _no_role(reports: dict[str, Graph], context: Graph) -> None:
    reports[REPORT_KEY].remove((PARTICIPATION, TIP.role, None))


PLANTED: list[tuple[str, Mutation, URIRef, set[URIRef]]] = [
    ("recommendation-without-text", no_text, SHAPES.RecommendationShape, {RECOMMENDATION["1"]}),
    (
        "recommendation-without-french-text",
        no_text,
        SHAPES.RecommendationTextInReportLanguageShape,
        {RECOMMENDATION["1"]},
    ),
    (
        "two-recommendations-numbered-7",
        two_sevens,
        SHAPES.RecommendationNumberUniqueShape,
        {RECOMMENDATION["7"], RECOMMENDATION["8"]},
    ),
    ("state-alpha-3-AR1", alpha3, SHAPES.StateShape, {ARGENTINA}),
    ("wikidata-qid-X414", qid, SHAPES.WikidataIdShape, {ARGENTINA}),
    ("participation-without-role", _no_role, SHAPES.ParticipationShape, {PARTICIPATION}),
]


@pytest.mark.parametrize(
    ("mutate", "shape", "focus"),
    [case[1:] for case in PLANTED],
    ids=[case[0] for case in PLANTED],
)
def test_planted_fault_gives_a_violation_naming_the_focus_node(
    built: tuple[dict[str, Graph], Graph],
    shapes: Graph,
    mutate: Mutation,
    shape: URIRef,
    focus: set[URIRef],
) -> None:
    reports, context = planted(built, mutate)
    report = validate_reports(reports, context, "fr", shapes)
    assert not report.conforms
    hits: list[Finding] = [
        f for f in report.violations if f.shape == str(shape) and URIRef(f.focus) in focus
    ]
    assert {URIRef(f.focus) for f in hits} == focus, _lines(report)
    for finding in hits:
        assert finding.message, finding
    # A State is checked once, where it is described, not again in each report that names it.
    assert len(hits) == len(focus), _lines(report)


def test_a_recommendation_without_text_reads_well(
    built: tuple[dict[str, Graph], Graph], shapes: Graph
) -> None:
    reports, context = planted(built, no_text)
    english = validate_reports(reports, context, "en", shapes).violations
    french = validate_reports(reports, context, "fr", shapes).violations
    rec = RECOMMENDATION["1"]
    assert [f.line() for f in english] == [
        f"Violation: {rec} (Recommendation 1) {TIP.text}: A recommendation must have a text: a "
        "non-empty string with a language tag, at most one per language (tip:text).",
        f"Violation: {rec} (Recommendation 1) = 'fr': This recommendation has no text in the "
        "language fr, in which its report is published (tip:text with the language tag fr).",
    ]
    assert [f.line() for f in french] == [
        f"Violation: {rec} (Recommandation 1) {TIP.text}: Une recommandation doit avoir un "
        "texte : une chaîne non vide portant une étiquette de langue, au plus une par langue "
        "(tip:text).",
        f"Violation: {rec} (Recommandation 1) = 'fr': Cette recommandation n’a pas de texte "
        "dans la langue fr, dans laquelle son rapport est publié (tip:text avec l’étiquette de "
        "langue fr).",
    ]


def test_results_graph_is_one_validation_report(
    built: tuple[dict[str, Graph], Graph], shapes: Graph
) -> None:
    reports, context = planted(built, _no_role)
    report = validate_reports(reports, context, "en", shapes)
    graph = report.results_graph
    (top,) = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(top, SH.conforms) == Literal(False)
    assert len(list(graph.objects(top, SH.result))) == len(report.findings)


def test_a_report_restating_a_reference_type_is_checked_with_the_reference_data(
    built: tuple[dict[str, Graph], Graph], shapes: Graph
) -> None:
    def restate(reports: dict[str, Graph], context: Graph) -> None:
        reports[REPORT_KEY].add((ARGENTINA, RDF.type, TIP.State))

    reports, context = planted(built, restate)
    report = validate_reports(reports, context, "en", shapes)
    assert report.conforms, _lines(report)
    assert [f for f in report.findings if f.focus == str(ARGENTINA)] == []


def test_a_report_given_as_a_file_is_checked_as_its_graph(
    built: tuple[dict[str, Graph], Graph], shapes: Graph, tmp_path: Path
) -> None:
    reports, context = planted(built, two_sevens)
    path = tmp_path / f"{REPORT_KEY}.ttl"
    path.write_text(canonical_turtle(reports[REPORT_KEY]), encoding="utf-8")
    from_graph = validate_reports(reports, context, "en", shapes)
    from_file = validate_reports({REPORT_KEY: path}, context, "en", shapes)
    assert not from_file.conforms
    assert from_file.violations == from_graph.violations


SPARQL_DATA = """
PREFIX t: <https://example.org/t/>
t:a t:n 1 ; t:in t:r . t:b t:n 1 ; t:in t:r . t:c t:n 2 ; t:in t:r . t:d t:n 3 .
"""
SPARQL_QUERIES = {
    "a join on $this": """PREFIX t: <https://example.org/t/>
SELECT $this ?value ?other WHERE {
    $this t:in ?r ; t:n ?value . ?other t:in ?r ; t:n ?value . FILTER (?other != $this)
}""",
    "$this inside NOT EXISTS": """PREFIX t: <https://example.org/t/>
SELECT $this ?value WHERE { $this t:n ?value . FILTER NOT EXISTS { $this t:in ?r } }""",
    "an aggregate (answered by rdflib)": """PREFIX t: <https://example.org/t/>
SELECT $this (COUNT(?r) AS ?value) WHERE { $this t:n ?n . OPTIONAL { $this t:in ?r } }
GROUP BY $this""",
}


@pytest.mark.parametrize("name", sorted(SPARQL_QUERIES))
def test_sparql_constraints_get_the_rows_pre_binding_gives(name: str) -> None:
    """_PreparedQueryGraph runs a constraint once with $this free (in pyoxigraph) and hands each
    focus node its rows: the rows rdflib gives with $this pre-bound, node by node."""
    from tipkg.validate.shacl import _PreparedQueryGraph

    plain = Graph().parse(data=SPARQL_DATA, format="turtle")
    fast = _PreparedQueryGraph()
    fast += plain
    query = SPARQL_QUERIES[name]
    for focus in sorted(set(plain.subjects())):
        expected = sorted(
            tuple(sorted(r.asdict().items()))
            for r in plain.query(query, initBindings={"this": focus})
        )  # type: ignore[union-attr]
        got = sorted(
            tuple(sorted(r.asdict().items()))
            for r in fast.query(query, initBindings={"this": focus})
        )  # type: ignore[union-attr]
        assert got == expected, (name, focus)
