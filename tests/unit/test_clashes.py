"""The OWL clash scan (tipkg.validate.clashes): exact for the constructs it models, which it
proves here case by case against HermiT, and refusing the ones it does not."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Namespace

from tipkg import iris
from tipkg.ontology import load_ontology
from tipkg.reference import load_reference
from tipkg.validate import gate
from tipkg.validate.clashes import ClashScan, NodeTypes, UnsupportedAxioms
from tipkg.validate.owl import check_consistency

TIP = Namespace(str(iris.DEF))
PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX t: <https://example.org/t/>
"""
SCHEMA = (
    PREFIXES
    + """
t:Agent a owl:Class .
t:Country a owl:Class ; rdfs:subClassOf t:Agent .
t:Person a owl:Class ; rdfs:subClassOf t:Agent .
t:Text a owl:Class .
t:Note a owl:Class ; owl:equivalentClass t:Remark .
t:Remark a owl:Class ; rdfs:subClassOf t:Text .
[] a owl:AllDisjointClasses ; owl:members ( t:Country t:Person t:Text ) .
t:author a owl:ObjectProperty ; rdfs:domain t:Text ;
    rdfs:range [ a owl:Class ; owl:unionOf ( t:Country t:Person ) ] .
t:leadAuthor a owl:ObjectProperty ; rdfs:subPropertyOf t:author .
t:pages a owl:DatatypeProperty ; rdfs:range xsd:positiveInteger .
t:title a owl:DatatypeProperty ; rdfs:range xsd:string .
t:issued a owl:DatatypeProperty ; rdfs:range xsd:date .
"""
)
CASES = {
    "clean": "t:r t:author t:p ; t:pages 3 ; t:title 'A' . t:p a t:Person .",
    "two disjoint types": "t:x a t:Country , t:Person .",
    "a type through a subclass and an equivalent class": "t:x a t:Note , t:Country .",
    "a domain through a subproperty": "t:x a t:Person ; t:leadAuthor t:y .",
    "a union range all of whose members are excluded": "t:r t:author t:n . t:n a t:Remark .",
    "a union range one member of which fits": "t:r t:author t:n . t:n a t:Agent .",
    "sameAs carries types across": "t:x a t:Person . t:y a t:Country . t:x owl:sameAs t:y .",
    "a literal out of its datatype range": "t:r t:pages 0 .",
    "a language-tagged literal where xsd:string is the range": "t:r t:title 'A'@fr .",
    "an opaque datatype is not checked": "t:r t:issued 'soon' .",
    "owl:Nothing": "t:x a owl:Nothing .",
}


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def scan() -> ClashScan:
    return ClashScan(_graph(SCHEMA))


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_scan_agrees_with_hermit(scan: ClashScan, case: str) -> None:
    data = _graph(PREFIXES + CASES[case])
    hermit = check_consistency(_graph(SCHEMA) + data)
    found = scan.scan(data).clashes
    assert (not found) == hermit.consistent, (case, found, hermit.explanation)


def test_a_clash_names_the_node_its_classes_and_why(scan: ClashScan) -> None:
    clashes = scan.scan(_graph(PREFIXES + CASES["a domain through a subproperty"])).clashes
    assert clashes == [
        "t:x is a t:Person (typed t:Person) and a t:Text (subject of t:leadAuthor), "
        "which are disjoint"
    ]


def test_the_scan_refuses_axioms_it_does_not_model() -> None:
    schema = _graph(SCHEMA + "t:author a owl:FunctionalProperty .")
    with pytest.raises(UnsupportedAxioms, match="FunctionalProperty"):
        ClashScan(schema)
    restriction = "t:Text rdfs:subClassOf [ a owl:Restriction ; owl:onProperty t:author ] ."
    with pytest.raises(UnsupportedAxioms, match="Restriction"):
        ClashScan(_graph(SCHEMA + restriction))


def test_schema_axioms_in_data_are_refused_not_a_clash(scan: ClashScan) -> None:
    # issue 13: a refusal to decide is not an inconsistency
    found = scan.scan(_graph(PREFIXES + "t:Remark owl:disjointWith t:Person ."))
    assert found.clashes == []
    assert found.refused and "only HermiT decides" in found.refused[0]


def test_an_ill_typed_literal_is_a_clash(scan: ClashScan) -> None:
    data = _graph(PREFIXES + 't:x t:count "abc"^^xsd:integer ; t:day "x"^^xsd:date .')
    found = scan.scan(data).clashes
    assert len(found) == 1 and '"abc"' in found[0] and "ill-typed" in found[0]


def test_tipkg_ontology_and_reference_data_are_within_what_the_scan_models() -> None:
    scan = ClashScan(load_ontology() + load_reference())
    assert scan.own_clashes() == []
    data = Graph()
    data.add((iris.state("ARG"), RDF.type, TIP.Person))
    clashes = scan.scan(data, "any-report").clashes
    assert len(clashes) == 1 and "tip:Person" in clashes[0] and "tip:State" in clashes[0]


def test_a_clash_across_reports_needs_both(scan: ClashScan) -> None:
    first = scan.scan(_graph(PREFIXES + "t:r1 t:author t:x ."), "one")
    second = scan.scan(_graph(PREFIXES + "t:x t:author t:r2 ."), "two")
    assert first.clashes == [] and second.clashes == []
    across = scan.across({"one": first.shared, "two": second.shared})
    assert len(across) == 1 and "t:x" in across[0] and "in two" in across[0]


def test_shared_types_survive_the_manifest(scan: ClashScan) -> None:
    shared = scan.scan(_graph(PREFIXES + "t:r1 t:author t:x ."), "one").shared
    again = {node: NodeTypes.from_json(types.to_json()) for node, types in shared.items()}
    assert again == shared


def test_the_gate_scans_every_report_and_hermit_only_small_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gate, "OWL_DATA_LIMIT", 0)
    ontology, reference = load_ontology(), load_reference()
    bad = Graph()
    bad.add((iris.state("ARG"), RDF.type, TIP.Person))
    report = gate.run_gate(ontology, reference, {"clean": Graph(), "bad": bad}, [], only="owl")
    assert report.owl is not None and not report.owl.consistent
    method = "HermiT over the ontology and reference data; clash scan of 2 reports"
    assert report.owl.method == method
    assert "state/arg" in report.owl.explanation
    clean = gate.run_gate(ontology, reference, {"clean": Graph()}, [], only="owl")
    assert clean.owl is not None and clean.owl.ok
