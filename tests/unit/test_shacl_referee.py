"""The gate's SHACL engine (shapes compiled to SPARQL, tipkg.validate.compiled) against pyshacl.

pyshacl is the reference: on every shape's pass and fail fixture (tests/fixtures/shacl/), on the
planted faults and on the real build, both engines must report the same results, compared as
(focus node, result path, source shape, constraint component, severity, value) and as the
findings the gate prints (labels and messages included). A difference fails, whichever engine
has it: a fix goes to the compiler, or to the shape if pyshacl is the one that is wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node
from shacl_cases import (
    ALL_SHAPES,
    FIXTURES,
    ID,
    RECOMMENDATION,
    REPORT_KEY,
    XSD,
    Mutation,
    alpha3,
    case_name,
    no_text,
    planted,
    qid,
    two_sevens,
)

from tipkg.build import BuildSummary
from tipkg.ontology import load_ontology
from tipkg.reference import load_reference
from tipkg.store import n_triples, statements
from tipkg.validate import shacl
from tipkg.validate.compiled import Present, UnsupportedShape, compile_shapes
from tipkg.validate.shacl import (
    SH,
    SHAPES,
    ShaclReport,
    load_shapes,
    select_shapes,
    validate,
    validate_reports,
)
from tipkg.vocab import TIP

Key = tuple[str, str, str, str, str, str]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def context() -> Graph:
    return load_ontology() + load_reference()


def results(report: ShaclReport, shapes: Graph) -> set[Key]:
    """Each result as (focus, path, source shape, component, severity, value). A blank source
    shape is named by its owner and its own path, the same in both engines' results."""
    graph = report.results_graph
    found: set[Key] = set()
    for top in graph.subjects(RDF.type, SH.ValidationReport):
        for result in graph.objects(top, SH.result):
            path = graph.value(result, SH.resultPath)
            source = graph.value(result, SH.sourceShape)
            assert source is not None
            owner = shacl._owner(shapes, source)
            found.add(
                (
                    str(graph.value(result, SH.focusNode)),
                    shacl._path(graph, path, shapes) if path is not None else "",
                    f"{owner} {shacl._path(shapes, shapes.value(source, SH.path), shapes)}"
                    if isinstance(source, BNode) and (source, SH.path, None) in shapes
                    else str(source),
                    str(graph.value(result, SH.sourceConstraintComponent)),
                    str(graph.value(result, SH.resultSeverity)),
                    "" if (value := graph.value(result, SH.value)) is None else str(value),
                )
            )
    return found


def assert_same(fast: ShaclReport, reference: ShaclReport, shapes: Graph, where: str) -> None:
    ours, theirs = results(fast, shapes), results(reference, shapes)
    only_ours = "\n".join(map(str, sorted(ours - theirs)))
    only_theirs = "\n".join(map(str, sorted(theirs - ours)))
    assert ours == theirs, f"{where}\ncompiled only:\n{only_ours}\npyshacl only:\n{only_theirs}"
    assert fast.findings == reference.findings, where
    assert fast.conforms == reference.conforms, where


# -- fixtures: each shape alone, and every shape at once ------------------------------------


@pytest.mark.parametrize("kind", ["pass", "fail"])
@pytest.mark.parametrize("shape", ALL_SHAPES, ids=case_name)
def test_both_engines_agree_on_the_fixture(
    shape: URIRef, kind: str, shapes: Graph, context: Graph
) -> None:
    data = Graph().parse(FIXTURES / case_name(shape) / f"{kind}.ttl", format="turtle")
    for chosen in (select_shapes(shapes, [shape]), shapes):
        fast = validate(data, context, "en", chosen, engine="sparql")
        reference = validate(data, context, "en", chosen, engine="pyshacl")
        assert_same(fast, reference, shapes, f"{case_name(shape)}/{kind}.ttl")
        # As the build checks a report: from the N-Triples document it has written of it.
        written = validate(
            data, context, "en", chosen, engine="sparql", written=n_triples(statements(data))
        )
        assert_same(written, reference, shapes, f"{case_name(shape)}/{kind}.ttl, as written")
        if kind == "fail" and chosen is not shapes:
            assert fast.findings, "a fail fixture that fails neither engine compares nothing"


def test_french_messages_agree(shapes: Graph, context: Graph) -> None:
    data = Graph().parse(FIXTURES / "recommendation-number-unique" / "fail.ttl")
    fast = validate(data, context, "fr", shapes, engine="sparql")
    reference = validate(data, context, "fr", shapes, engine="pyshacl")
    assert fast.findings and fast.findings == reference.findings


# -- planted faults on the real build ----------------------------------------------------------


@pytest.fixture(scope="module")
def real(built_all: tuple[Path, BuildSummary]) -> tuple[dict[str, Graph], Graph]:
    """Every report of the real build (the 2020 report, the UPR reports) and its context."""
    out = built_all[0]
    reports = {p.stem: Graph().parse(p) for p in sorted((out / "reports").glob("*.ttl"))}
    context = Graph()
    for name in ("ontology.ttl", "reference.ttl", "build.ttl"):
        context.parse(out / name)
    return reports, context


def _report(reports: dict[str, Graph]) -> Graph:
    return reports[REPORT_KEY]


def _first(graph: Graph, cls: URIRef) -> Node:
    return sorted(graph.subjects(RDF.type, cls), key=str)[0]


def _number_zero(reports: dict[str, Graph], context: Graph) -> None:
    # Ill-typed: 0 is no xsd:positiveInteger (rdflib decides, for both engines).
    zero = Literal("0", datatype=XSD.positiveInteger)
    _report(reports).set((RECOMMENDATION["3"], TIP.number, zero))


def _number_as_text(reports: dict[str, Graph], context: Graph) -> None:
    _report(reports).set((RECOMMENDATION["4"], TIP.number, Literal("4")))


def _number_written_05(reports: dict[str, Graph], context: Graph) -> None:
    # An xsd:integer, not a positiveInteger, written "05": pyoxigraph alone would store it as
    # "5"^^xsd:integer, and as the value at fault pyshacl reports "05".
    _report(reports).set((RECOMMENDATION["4"], TIP.number, Literal("05", datatype=XSD.integer)))


def _strength_outside(reports: dict[str, Graph], context: Graph) -> None:
    _report(reports).set(
        (RECOMMENDATION["5"], TIP.strength, URIRef("https://w3id.org/tipkg/def/strength/must"))
    )


def _text_untagged(reports: dict[str, Graph], context: Graph) -> None:
    graph = _report(reports)
    text = graph.value(RECOMMENDATION["6"], TIP.text)
    graph.add((RECOMMENDATION["6"], TIP.text, Literal(f"{text} (bis)", lang="fr")))


def _theme_unexplained(reports: dict[str, Graph], context: Graph) -> None:
    _report(reports).add((RECOMMENDATION["2"], TIP.theme, ID["theme/not-a-theme"]))


def _no_role(reports: dict[str, Graph], context: Graph) -> None:
    graph = _report(reports)
    graph.remove((_first(graph, TIP.Participation), TIP.role, None))


def _span_reversed(reports: dict[str, Graph], context: Graph) -> None:
    # A text position whose start is after its end (sh:lessThan).
    graph = _report(reports)
    OA = Namespace("http://www.w3.org/ns/oa#")  # noqa: N806
    selector = _first(graph, OA.TextPositionSelector)
    graph.set((selector, OA.start, Literal(10**9, datatype=XSD.nonNegativeInteger)))


def _review_item_without_state(reports: dict[str, Graph], context: Graph) -> None:
    # A review's recommendation without its recommending States (sh:xone: neither form).
    graph = next(g for key, g in sorted(reports.items()) if key != REPORT_KEY)
    recommendation = _first(graph, TIP.Recommendation)
    graph.remove((recommendation, TIP.recommendedBy, None))


PLANTED: dict[str, Mutation] = {
    "recommendation-without-text": no_text,
    "two-recommendations-numbered-7": two_sevens,
    "recommendation-number-0": _number_zero,
    "recommendation-number-as-text": _number_as_text,
    "recommendation-number-05-integer": _number_written_05,
    "strength-outside-the-four": _strength_outside,
    "two-french-texts": _text_untagged,
    "theme-without-assignment": _theme_unexplained,
    "state-alpha-3-AR1": alpha3,
    "wikidata-qid-X414": qid,
    "participation-without-role": _no_role,
    "text-position-start-after-end": _span_reversed,
    "review-recommendation-without-state": _review_item_without_state,
}


def test_both_engines_find_nothing_in_the_real_build(
    real: tuple[dict[str, Graph], Graph], shapes: Graph
) -> None:
    reports, context = real
    assert len(reports) >= 3
    fast = validate_reports(reports, context, "en", shapes, jobs=1, engine="sparql")
    reference = validate_reports(reports, context, "en", shapes, jobs=1, engine="pyshacl")
    assert_same(fast, reference, shapes, "the real build")
    assert fast.conforms and not fast.violations and not fast.warnings


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_both_engines_agree_on_the_planted_fault(
    name: str, real: tuple[dict[str, Graph], Graph], shapes: Graph
) -> None:
    reports, context = planted(real, PLANTED[name])
    fast = validate_reports(reports, context, "en", shapes, jobs=1, engine="sparql")
    reference = validate_reports(reports, context, "en", shapes, jobs=1, engine="pyshacl")
    assert not reference.conforms, f"{name}: pyshacl finds no violation, nothing is compared"
    assert_same(fast, reference, shapes, name)
    for key, graph in reports.items():  # as the build checks a report: from its N-Triples
        alone = validate(graph, context, "en", shapes, engine="sparql")
        document = n_triples(statements(graph))
        written = validate(graph, context, "en", shapes, engine="sparql", written=document)
        assert_same(written, alone, shapes, f"{name}: {key}, as written")


# -- the compiler refuses what it does not translate ------------------------------------------


@pytest.mark.parametrize(
    ("predicate", "value"),
    [
        (SH.closed, Literal(True)),
        (SH.minInclusive, Literal(1)),
        (SH.qualifiedValueShapesDisjoint, Literal(True)),
    ],
    ids=["closed", "minInclusive", "qualifiedValueShapesDisjoint"],
)
def test_an_untranslated_term_is_refused_not_skipped(
    shapes: Graph, predicate: URIRef, value: Literal
) -> None:
    broken = Graph()
    broken += select_shapes(shapes, [SHAPES.StateShape])
    prop = next(iter(broken.objects(SHAPES.StateShape, SH.property)))
    broken.add((prop, predicate, value))
    with pytest.raises(UnsupportedShape, match=str(predicate).rsplit("#", 1)[1]):
        compile_shapes(broken)


def test_a_count_above_the_compiled_limit_is_refused(shapes: Graph) -> None:
    broken = Graph()
    broken += select_shapes(shapes, [SHAPES.StateShape])
    prop = next(iter(broken.objects(SHAPES.StateShape, SH.property)))
    broken.add((prop, SH.maxCount, Literal(99)))
    with pytest.raises(UnsupportedShape, match="count of 100"):
        compile_shapes(broken)


def test_the_gate_checks_data_without_pyshacl(
    shapes: Graph, context: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default engine, which the gate uses, never calls pyshacl (and still finds faults)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyshacl called")

    monkeypatch.setattr(shacl.pyshacl, "validate", refuse)
    data = Graph().parse(FIXTURES / "participation" / "fail.ttl")
    assert not validate(data, context, "en", shapes).conforms


@pytest.mark.parametrize(
    ("select", "refusal"),
    [
        ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this ?p ?x } GROUP BY $this", "pre-binding"),
        ("SELECT ?value WHERE { ?value ?p ?o }", "does not select"),
    ],
    ids=["aggregate", "no-this"],
)
def test_a_sparql_constraint_whose_rows_could_differ_is_refused(
    shapes: Graph, select: str, refusal: str
) -> None:
    """Run once with $this free, a query must give the rows pre-binding $this gives: one with
    a GROUP BY (or a subquery, LIMIT, MINUS, VALUES), or that does not select $this, may not."""
    broken = Graph()
    broken += select_shapes(shapes, [SHAPES.RecommendationNumberUniqueShape])
    constraint = next(iter(broken.objects(SHAPES.RecommendationNumberUniqueShape, SH.sparql)))
    broken.set((constraint, SH.select, Literal(select)))
    with pytest.raises(UnsupportedShape, match=refusal):
        compile_shapes(broken)


NESTED_PAIRS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:SpanShape a sh:NodeShape ;
    sh:targetClass ex:Span ;
    sh:message "A span's start comes before its end, or equals its same value; it shares one."@en ;
    sh:or (
        [ sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ]
        [ sh:property [ sh:path ex:start ; sh:equals ex:same ] ]
    ) ;
    sh:not [ sh:property [ sh:path ex:start ; sh:disjoint ex:end ] ] .
"""

SPANS = """
@prefix ex: <https://example.org/> .
ex:ordered a ex:Span ; ex:start 1 ; ex:end 2 .
ex:reversed a ex:Span ; ex:start 3 ; ex:end 2 ; ex:same 4 .
ex:same a ex:Span ; ex:start 3 ; ex:end 2 ; ex:same 3 .
ex:disjoint a ex:Span ; ex:start 5 ; ex:end 6 .
"""


def test_both_engines_agree_on_property_pairs_inside_nested_shapes(context: Graph) -> None:
    """A property pair (sh:lessThan, sh:equals, sh:disjoint) inside sh:or and sh:not is
    compiled as the existence of a row of its top-level form; both engines find the same."""
    shapes = Graph().parse(data=NESTED_PAIRS, format="turtle")
    data = Graph().parse(data=SPANS, format="turtle")
    fast = validate(data, context, "en", shapes, engine="sparql")
    reference = validate(data, context, "en", shapes, engine="pyshacl")
    assert_same(fast, reference, shapes, "nested property pairs")
    # reversed: neither ordered nor equal to ex:same; ordered and disjoint: start and end share
    # no value, which the sh:not forbids; same: 3 and 2 share none either.
    focus = {f for f, *_ in results(fast, shapes)}
    assert focus == {
        "https://example.org/reversed",
        "https://example.org/ordered",
        "https://example.org/same",
        "https://example.org/disjoint",
    }


TARGETS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:NamedShape a sh:NodeShape ;
    sh:targetClass ex:Agent ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "An agent has a name."@en ] .
ex:CitedShape a sh:NodeShape ;
    sh:targetObjectsOf ex:cites ;
    sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:message "What is cited has a title."@en ] .
ex:UnusedShape a sh:NodeShape ;
    sh:targetClass ex:Nowhere ;
    sh:targetSubjectsOf ex:nothing ;
    sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:message "Never asked."@en ] .
"""

TARGETED = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:State rdfs:subClassOf ex:Organisation .
ex:Organisation rdfs:subClassOf ex:Agent .
ex:slovenia a ex:State ; ex:cites ex:protocol .
"""


def test_a_check_runs_when_its_target_binds_through_subclasses(context: Graph) -> None:
    """The compiled engine skips a check whose target cannot bind in the data (no instance of
    its class or a subclass, no triple of its predicate): a focus node reached only through
    two subclass axioms, or as an object of a targetObjectsOf predicate, is still checked, as
    pyshacl checks it."""
    shapes = Graph().parse(data=TARGETS, format="turtle")
    data = Graph().parse(data=TARGETED, format="turtle")
    fast = validate(data, context, "en", shapes, engine="sparql")
    reference = validate(data, context, "en", shapes, engine="pyshacl")
    assert_same(fast, reference, shapes, "targets through subclasses")
    assert {f.focus for f in fast.findings} == {
        "https://example.org/slovenia",
        "https://example.org/protocol",
    }


def test_a_check_whose_target_cannot_bind_is_not_run() -> None:
    shapes = Graph().parse(data=TARGETS, format="turtle")
    data = Graph().parse(data=TARGETED, format="turtle")
    present = Present.of(data)
    ran = {
        str(check.owner)
        for check in compile_shapes(shapes).checks
        if check.target.may_bind(present)
    }
    assert ran == {"https://example.org/NamedShape", "https://example.org/CitedShape"}


def test_a_stub_whose_iri_pyoxigraph_would_refuse_is_left_out_as_any_stub(
    shapes: Graph, context: Graph
) -> None:
    """A node the report only mentions, typed in the context, is a stub however its IRI is
    written: one with two '#' (a web page's address), which pyoxigraph refuses to build as a
    term, is read leniently and its results left out, as pyshacl's are."""
    odd = URIRef("https://example.org/page#part#section")
    described = Graph()
    described += context
    described.add((odd, RDF.type, TIP.State))
    data = Graph()
    data.add((URIRef("https://example.org/note"), RDFS.seeAlso, odd))
    fast = validate(data, described, "en", shapes, engine="sparql")
    reference = validate(data, described, "en", shapes, engine="pyshacl")
    assert_same(fast, reference, shapes, "a stub with two '#'")
    assert not any(f.focus == str(odd) for f in fast.findings)


SCREENED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:code ; sh:maxCount 1 ; sh:message "One code."@en ] ,
        [ sh:path ex:secret ; sh:maxCount 0 ; sh:message "No secret."@en ] ,
        [ sh:path ex:label ; sh:uniqueLang true ; sh:message "One label a language."@en ] ,
        [ sh:path ex:size ; sh:datatype xsd:positiveInteger ; sh:message "A count."@en ] ,
        [ sh:path ex:page ; sh:nodeKind sh:IRI ; sh:message "A page is an IRI."@en ] ,
        [ sh:path ex:name ; sh:minCount 1 ; sh:message "A name."@en ] ,
        [ sh:path ex:kind ; sh:class ex:Kind ; sh:message "A kind."@en ] .
"""

SCREENED_PASSING = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
ex:Special rdfs:subClassOf ex:Thing .
ex:Subkind rdfs:subClassOf ex:Kind .
ex:a a ex:Thing ; ex:code "a" ; ex:label "a"@en , "a"@fr ; ex:size "3"^^xsd:positiveInteger ;
    ex:page ex:pa ; ex:name "a" ; ex:kind ex:k1 .
ex:b a ex:Special ; ex:code "b" ; ex:label "b"@en , "b"@fr ; ex:size "4"^^xsd:positiveInteger ;
    ex:page ex:pb ; ex:name "b" ; ex:kind ex:k2 .
ex:k1 a ex:Kind .
ex:k2 a ex:Subkind .
ex:other ex:code "c" , "d" ; ex:label "x"@en , "y"@en ; ex:size 0 ; ex:page "text" ;
    ex:kind ex:k3 .
"""
# ex:other is no ex:Thing: its values make every check on values run, and none finds a fault.

SCREENED_FAILING = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
ex:a a ex:Thing ; ex:code "a" ; ex:label "a"@en ; ex:size "3"^^xsd:positiveInteger ;
    ex:page ex:pa ; ex:name "a" ; ex:kind ex:k1 .
ex:Special rdfs:subClassOf ex:Thing .
ex:b a ex:Special ; ex:code "b" , "bb" ; ex:secret "s" ; ex:label "b"@en , "bb"@en ;
    ex:size "0"^^xsd:positiveInteger ; ex:page "https://example.org/pb" ; ex:kind ex:k2 .
ex:k1 a ex:Kind .
"""


SCREENED_LITERAL = """
@prefix ex: <https://example.org/> .
ex:a a ex:Thing ; ex:name "a" ; ex:kind ex:k1 , "k2" .
ex:k1 a ex:Kind .
"""
"""Every IRI value of ex:kind is an ex:Kind: the literal alone fails sh:class."""


def test_a_check_its_values_cannot_fail_is_not_run() -> None:
    """The compiled engine skips a check on the values of an IRI path that the data's values
    cannot fail (Needs): sh:maxCount where no node has two values, sh:uniqueLang where none has
    two in one language, sh:datatype where every value is a well-typed literal of that type,
    sh:nodeKind where every value is of the kind, sh:class where every value is an instance of
    the class, any of them where the path is not used; sh:minCount 1 where every instance of
    the target classes has a value. Values of a node outside the target still make the check
    run (Needs reads every value); a focus node reached through a subclass counts."""
    shapes = Graph().parse(data=SCREENED, format="turtle")
    checks = compile_shapes(shapes).checks
    assert len(checks) == 7 and all(check.needs is not None for check in checks)

    def running(data: str) -> set[str]:
        present = Present.of(Graph().parse(data=data, format="turtle"))
        return {
            str(check.path)
            for check in checks
            if check.needs is not None and check.needs.may_fail(present)
        }

    every = {f"https://example.org/{name}" for name in ("code", "label", "size", "page", "kind")}
    assert running(SCREENED_PASSING.split("ex:other")[0]) == set()
    assert running(SCREENED_PASSING) == every
    assert running(SCREENED_FAILING) == every | {
        "https://example.org/secret",
        "https://example.org/name",
    }
    assert running(SCREENED_LITERAL) == {"https://example.org/kind"}


@pytest.mark.parametrize(
    "data",
    [SCREENED_PASSING, SCREENED_FAILING, SCREENED_LITERAL],
    ids=["passing", "failing", "literal"],
)
def test_both_engines_agree_on_checks_their_values_decide(context: Graph, data: str) -> None:
    shapes = Graph().parse(data=SCREENED, format="turtle")
    graph = Graph().parse(data=data, format="turtle")
    fast = validate(graph, context, "en", shapes, engine="sparql")
    reference = validate(graph, context, "en", shapes, engine="pyshacl")
    assert_same(fast, reference, shapes, "checks screened by their values")
    faults = {(f.focus, f.path) for f in fast.findings}
    if data is SCREENED_PASSING:
        assert faults == set()
    elif data is SCREENED_LITERAL:
        assert faults == {("https://example.org/a", "https://example.org/kind")}
    else:
        b = "https://example.org/b"
        assert faults == {
            (b, f"https://example.org/{name}")
            for name in ("code", "secret", "label", "size", "page", "name", "kind")
        }
