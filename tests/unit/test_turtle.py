"""Canonical Turtle (issue 18): the direct writer for graphs without blank nodes gives the bytes
rdflib's canonical path gives, on the build's own files, on the 2020 report as it was built
before the writer existed, and on random graphs; a build twice gives the same bytes."""

from __future__ import annotations

import os
import random
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from tipkg.build import BuildSummary, build, default_sources
from tipkg.paths import ROOT
from tipkg.rdf.turtle import _ground_turtle, canonical_turtle, rdflib_canonical_turtle

FIXTURE = Path(__file__).parents[1] / "fixtures" / "turtle"
REPORT_2020 = FIXTURE / "wg-tip-2020-draft-report-addendum-1.ttl"
"""dist/reports/ of `tipkg build` at commit ba7d3f7 (rdflib's writer), SOURCE_DATE_EPOCH from
that commit: 1796165532."""
EPOCH_2020 = "1796165532"
_BUILD_ID = re.compile(rb"/build/[0-9a-f]{16}>")


def _header(text: str) -> str:
    return text.split("\n\n", 1)[0]


def test_the_2020_report_as_built_before_is_written_to_the_same_bytes() -> None:
    text = REPORT_2020.read_text(encoding="utf-8")
    graph = Graph().parse(data=text, format="turtle")
    assert _ground_turtle(graph) is not None, "the report has no blank node: the direct writer"
    assert canonical_turtle(graph, _header(text)) == text
    assert rdflib_canonical_turtle(graph, _header(text)) == text


@pytest.fixture(scope="module")
def built_2020(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    out = tmp_path_factory.mktemp("turtle") / "dist"
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH_2020
    try:
        return out, build(default_sources(), out, jobs=1)
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def test_the_build_writes_the_2020_report_as_before(built_2020: tuple[Path, BuildSummary]) -> None:
    """The same bytes as before the direct writer, but for the build's identifier, which
    digests the code (tipkg.build.inputs_fingerprint) and so changes with every commit."""
    out, _ = built_2020
    now = (out / "reports" / REPORT_2020.name).read_bytes()
    assert _BUILD_ID.sub(b"/build/X>", now) == _BUILD_ID.sub(b"/build/X>", REPORT_2020.read_bytes())


def test_a_build_twice_gives_the_same_bytes(
    built_2020: tuple[Path, BuildSummary], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = built_2020
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2020)
    again = tmp_path / "dist"
    build(default_sources(), again, jobs=2)
    files = sorted(p.relative_to(out) for p in out.rglob("*.ttl"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.ttl"))
    for name in files:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_every_file_the_build_writes_is_the_reference_paths_bytes(
    built_2020: tuple[Path, BuildSummary],
) -> None:
    out, _ = built_2020
    files = sorted(out.rglob("*.ttl"))
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        graph = Graph().parse(data=text, format="turtle")
        assert canonical_turtle(graph, _header(text)) == text, path.name
        assert rdflib_canonical_turtle(graph, _header(text)) == text, path.name


def test_committed_turtle_sources_are_the_reference_paths_bytes() -> None:
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        if _ground_turtle(graph) is not None:
            assert canonical_turtle(graph) == rdflib_canonical_turtle(graph), path.name


EX = Namespace("http://example.org/")
TIP = Namespace("https://w3id.org/tipkg/def/")
_SUBJECTS = [
    URIRef("https://w3id.org/tipkg/id/a"),
    URIRef("https://w3id.org/tipkg/id/state/arg"),
    URIRef("https://w3id.org/tipkg/def/"),
    EX["x(1)"],
    EX["y%2"],
    EX["z."],
    URIRef("http://example.org/ns#"),
    RDFS.Class,
    TIP.Report,
]
# One predicate outside the known namespaces at most: with two, rdflib numbers the prefixes it
# makes up (ns1, ns2) in the order of a Python set, which changes from one process to the next.
_PREDICATES = [RDF.type, RDFS.label, TIP.text, TIP.number, RDFS.comment, EX["other/p"]]
_LITERALS = [
    Literal("a"),
    Literal("a", lang="fr"),
    Literal("a", lang="en"),
    Literal("b\nc"),
    Literal('q"uote"'),
    Literal("x\\y"),
    Literal('ends"\n"'),
    Literal(3),
    Literal(10),
    Literal("03", datatype=XSD.integer),
    Literal(Decimal("1.50")),
    Literal(2.5),
    Literal(True),
    Literal("2020-01-01", datatype=XSD.date),
    Literal("x", datatype=XSD.string),
    Literal("1", datatype=XSD.string),
    Literal("z", datatype=EX.dt),
    Literal(float("inf")),
    Literal("é\r\t"),
]
_OBJECTS = [*_SUBJECTS, *_LITERALS, RDFS.Class, RDF.nil, TIP.Report]


@pytest.mark.parametrize("seed", range(150))
def test_random_ground_graphs_give_the_reference_paths_bytes(seed: int) -> None:
    rng = random.Random(seed)
    graph = Graph()
    if seed % 3 == 0:
        graph.bind("ex", EX)
    if seed % 5 == 0:
        graph.bind("_x", EX["other/"])
    for _ in range(rng.randint(1, 40)):
        graph.add((rng.choice(_SUBJECTS), rng.choice(_PREDICATES), rng.choice(_OBJECTS)))
    assert canonical_turtle(graph, "# h") == rdflib_canonical_turtle(graph, "# h")


def test_a_graph_with_a_blank_node_takes_the_reference_path() -> None:
    graph = Graph()
    graph.add((TIP.x, RDFS.domain, BNode()))
    assert _ground_turtle(graph) is None
    assert canonical_turtle(graph) == rdflib_canonical_turtle(graph)


def test_regression_issue_15_a_form_feed_in_a_literal_stays_in_the_literal() -> None:
    """A PDF's page break (form feed) inside quoted source characters was split into a new line by
    str.splitlines(), leaving a line jump inside a short string: Oxigraph refused the file."""
    graph = Graph()
    text = "end of page\n\x0c\nA/HRC/43/15\n"
    graph.add((URIRef("urn:x"), URIRef("urn:p"), Literal(text)))
    turtle = canonical_turtle(graph)
    store = ox.Store()
    store.load(turtle.encode(), ox.RdfFormat.TURTLE)
    assert [q.object.value for q in store] == [text]
    parsed = Graph().parse(data=turtle, format="turtle")
    assert str(next(iter(parsed.objects()))) == text


def test_an_iri_met_as_a_subject_before_as_a_predicate_gets_its_generated_prefix() -> None:
    """The writer asks each term's prefixed name once, in the order rdflib meets them: a
    subject's name is looked up, a predicate's may be made up (ns1:); the same IRI as both is
    asked both ways, else its prefix is missing from the output."""
    graph = Graph()
    graph.add((EX["other/p"], RDFS.label, Literal("p")))
    graph.add((EX["z"], EX["other/p"], Literal("v")))
    text = canonical_turtle(graph, "# h")
    assert text == rdflib_canonical_turtle(graph, "# h")
    assert Graph().parse(data=text, format="turtle").isomorphic(graph)
