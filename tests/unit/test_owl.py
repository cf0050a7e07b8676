"""OWL consistency with HermiT (tipkg.validate.owl).

These tests need Java: without it they fail (ReasonerUnavailable), they are never skipped, since
a missing reasoner must not pass the gate silently.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import owlready2
import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from tipkg import iris
from tipkg.paths import ONTOLOGY_DIR, REFERENCE_DIR, ROOT
from tipkg.validate.owl import (
    ReasonerError,
    ReasonerUnavailable,
    check_consistency,
    infer_types,
)

TIP = Namespace(str(iris.DEF))
FIXTURES = ROOT / "tests" / "fixtures" / "owl"


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _ontology_files() -> list[Path]:
    """The real ontology once it exists; until then the fixture that stands in for it."""
    if (ONTOLOGY_DIR / "tipkg.ttl").exists():
        return sorted(ONTOLOGY_DIR.glob("*.ttl"))
    return [FIXTURES / "vocabulary.ttl"]


def test_ontology_and_reference_data_are_consistent() -> None:
    files = [*_ontology_files(), *sorted(REFERENCE_DIR.glob("*.ttl"))]
    result = check_consistency(_parse(*files))
    assert result.consistent, result.explanation
    assert result.unsatisfiable == [], result.explanation
    assert result.ok
    assert result.seconds > 0


def test_a_state_typed_person_makes_ontology_and_reference_data_inconsistent() -> None:
    """The ontology itself (or its stand-in) must declare States and Persons disjoint."""
    graph = _parse(*_ontology_files(), REFERENCE_DIR / "states.ttl")
    graph.add((iris.state("ARG"), RDF.type, TIP.Person))
    result = check_consistency(graph)
    assert not result.consistent
    assert "state/arg" in result.explanation


def test_individual_in_two_disjoint_classes_is_inconsistent() -> None:
    result = check_consistency(_parse(FIXTURES / "inconsistent.ttl"))
    assert not result.consistent
    assert not result.ok
    assert "inconsistent" in result.explanation
    assert "state/arg" in result.explanation and "disjoint" in result.explanation


def test_unsatisfiable_class_is_reported() -> None:
    result = check_consistency(_parse(FIXTURES / "unsatisfiable.ttl"))
    assert result.consistent
    assert result.unsatisfiable == [str(TIP.StatePerson)]
    assert not result.ok
    assert str(TIP.StatePerson) in result.explanation


def test_infer_types_returns_new_types_with_their_named_superclasses() -> None:
    inferred = infer_types(_parse(FIXTURES / "inferable.ttl"))
    assert set(inferred) == {
        (iris.state("ARG"), RDF.type, TIP.State),
        (iris.state("ARG"), RDF.type, TIP.Actor),
        (iris.organization("cop-untoc"), RDF.type, TIP.ConferenceOfTheParties),
    }


def test_infer_types_refuses_an_inconsistent_graph() -> None:
    with pytest.raises(ReasonerError, match="inconsistent"):
        infer_types(_parse(FIXTURES / "inconsistent.ttl"))


def test_checks_do_not_leak_into_owlready2_default_world() -> None:
    check_consistency(_parse(FIXTURES / "inconsistent.ttl"))
    assert owlready2.default_world.search_one(iri=str(iris.state("ARG"))) is None


def test_owl_imports_are_not_fetched() -> None:
    graph = _parse(FIXTURES / "unsatisfiable.ttl")
    owl = Namespace("http://www.w3.org/2002/07/owl#")
    ontology = URIRef("https://example.invalid/onto")
    graph.add((ontology, RDF.type, owl.Ontology))
    graph.add((ontology, owl.imports, URIRef("https://example.invalid/never-fetched.owl")))
    assert check_consistency(graph).consistent


def test_no_java_on_path_raises_reasoner_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    graph = _parse(FIXTURES / "unsatisfiable.ttl")
    with pytest.raises(ReasonerUnavailable, match="java"):
        check_consistency(graph)
    with pytest.raises(ReasonerUnavailable):
        infer_types(graph)


def test_java_that_does_not_start_raises_reasoner_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    java = tmp_path / "java"
    java.write_text(
        "#!/bin/sh\necho 'Error: Could not create the Java Virtual Machine.' >&2\nexit 1\n",
        encoding="utf-8",
    )
    java.chmod(java.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    with pytest.raises(ReasonerUnavailable, match="did not start"):
        check_consistency(_parse(FIXTURES / "unsatisfiable.ttl"))


def test_regression_issue_13_an_ill_typed_literal_is_inconsistent_not_a_crash() -> None:
    graph = Graph().parse(ROOT / "tests" / "fixtures" / "cli" / "ill-typed.ttl", format="turtle")
    result = check_consistency(graph)
    assert not result.consistent
    assert '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>' in result.explanation
