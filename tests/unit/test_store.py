"""The new store of a build (NewStore, load): every graph in its named graph whatever the order,
the form (text or file) and the batches it came in, blank nodes kept apart, counted as the store
counts them; nothing on disk before the first full batch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from quads import store_quads
from rdflib import XSD, BNode, Graph, Literal, URIRef

import tipkg.store
from tipkg.paths import ROOT
from tipkg.store import NewStore, load, n_quads, n_triples, quads, statements

REPORT_2020 = Path(__file__).parents[1] / "fixtures" / "turtle"
REPORT_2020 /= "wg-tip-2020-draft-report-addendum-1.ttl"
GRAPH = "https://example.org/graph/"
SAME_LABELS = (
    "@prefix ex: <https://example.org/> .\nex:a ex:p _:b0 .\n_:b0 ex:q _:b1 .\n_:b1 ex:r 1 .\n"
)
"""Two files with these blank node labels have six triples between them, not three."""


def _files(tmp: Path) -> list[tuple[str, Path]]:
    """A report (no blank node), the ontology (blank nodes: its restrictions and unions) and
    twice the same blank node labels."""
    files = [(GRAPH + "report", REPORT_2020), (GRAPH + "ontology", ROOT / "ontology" / "tipkg.ttl")]
    for name in ("one", "two"):
        path = tmp / f"{name}.ttl"
        path.write_text(SAME_LABELS, encoding="utf-8")
        files.append((GRAPH + name, path))
    return files


def _quads(store_dir: Path) -> list[str]:
    return store_quads(ox.Store.read_only(str(store_dir)))


def _file_quads(files: list[tuple[str, Path]]) -> list[str]:
    """The files' triples as quads of their named graphs, each file read on its own into a
    store in memory (which writes values as the store on disk does: a dateTime's "+00:00" as
    "Z"), blank nodes unlabelled."""
    quads = []
    for name, path in files:
        one = ox.Store()
        one.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
        quads.extend(store_quads(one))
    return sorted(quads)


@pytest.mark.parametrize("batch", [1, 3, 100_000])
def test_a_new_store_holds_every_graph_whatever_the_order_form_and_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """As a build fills it: the reports' Turtle text as they come, in any order, the other
    graphs' files at the end; against `load` of the files in order with the usual batches, and
    against each file parsed alone."""
    files = _files(tmp_path)
    expected = load(tmp_path / "loaded", files)
    assert expected == {
        name: len(list(ox.parse(path=path, format=ox.RdfFormat.TURTLE)))
        for name, path in sorted(files)
    }
    assert expected[GRAPH + "one"] == expected[GRAPH + "two"] == 3, "blank nodes kept apart"

    monkeypatch.setattr(tipkg.store, "LOAD_BATCH", batch)
    store = NewStore(tmp_path / "new")
    for name, path in reversed(files[:2]):
        store.add(name, path.read_text(encoding="utf-8"))
    for name, path in files[2:]:
        store.add(name, path)
    sizes = store.finish()
    assert sizes == expected
    assert list(sizes) == sorted(sizes)
    counted = Counter(quad.graph_name.value for quad in ox.Store.read_only(str(tmp_path / "new")))
    assert counted == expected
    assert _quads(tmp_path / "new") == _quads(tmp_path / "loaded") == _file_quads(files)


def test_nothing_is_on_disk_before_the_first_full_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps a new store safe to fill in a process that forks (tipkg.build): RocksDB is
    not open, nor its directory made, until a batch is loaded."""
    monkeypatch.setattr(tipkg.store, "LOAD_BATCH", 5)
    store = NewStore(tmp_path / "store")
    store.add(GRAPH + "one", SAME_LABELS)
    assert not (tmp_path / "store").exists()
    store.add(GRAPH + "two", SAME_LABELS)
    assert (tmp_path / "store" / "CURRENT").exists()
    assert store.finish() == {GRAPH + "one": 3, GRAPH + "two": 3}


def test_a_graph_added_twice_is_refused(tmp_path: Path) -> None:
    store = NewStore(tmp_path / "store")
    store.add(GRAPH + "one", SAME_LABELS)
    assert GRAPH + "one" in store and GRAPH + "two" not in store
    with pytest.raises(ValueError, match="added twice"):
        store.add(GRAPH + "one", SAME_LABELS)


def test_a_store_closed_unfinished_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed build closes its new store before it removes it: RocksDB, which refuses a
    second opening of a store this process holds, opens it again."""
    monkeypatch.setattr(tipkg.store, "LOAD_BATCH", 1)
    store = NewStore(tmp_path / "store")
    store.add(GRAPH + "one", SAME_LABELS)
    with pytest.raises(OSError):
        ox.Store(str(tmp_path / "store"))
    store.close()
    assert len(ox.Store(str(tmp_path / "store"))) == 3


def _awkward() -> Graph:
    """Terms whose N-Triples text is easy to get wrong: quotes, backslashes, line breaks, a PDF's
    form feed, tabs, non-Latin letters, language tags, datatypes, a lexical form pyoxigraph
    keeps by its value, a blank node."""
    ex = "https://example.org/"
    graph = Graph()
    texts = ['say "no"', "a\\b", "line\nbreak\r\n", "page\x0cbreak", "tab\there", "élan — 人"]
    for index, text in enumerate(texts):
        graph.add((URIRef(f"{ex}s{index}"), URIRef(f"{ex}text"), Literal(text)))
        graph.add((URIRef(f"{ex}s{index}"), URIRef(f"{ex}label"), Literal(text, lang="fr")))
    graph.add(
        (
            URIRef(f"{ex}n"),
            URIRef(f"{ex}number"),
            Literal("05", datatype=XSD.integer, normalize=False),
        )
    )
    graph.add((URIRef(f"{ex}n"), URIRef(f"{ex}number"), Literal("5", datatype=XSD.integer)))
    graph.add((URIRef(f"{ex}n"), URIRef(f"{ex}date"), Literal("2020-10-13", datatype=XSD.date)))
    graph.add((URIRef(f"{ex}n"), URIRef(f"{ex}part"), BNode("partOne")))
    return graph


@pytest.mark.parametrize("which", ["awkward", "report"])
def test_statements_read_back_as_the_terms_they_were_written_from(which: str) -> None:
    graph = _awkward() if which == "awkward" else Graph().parse(REPORT_2020, format="turtle")
    read = ox.Store()
    read.load(n_triples(statements(graph)), ox.RdfFormat.N_TRIPLES)
    built = ox.Store()
    built.extend(quads(graph))
    assert store_quads(read) == store_quads(built)
    assert len(read) == len(graph) - (1 if which == "awkward" else 0), '"05" and "5" are one'


def test_a_graph_added_as_n_quads_is_held_as_its_turtle(tmp_path: Path) -> None:
    """What a build's workers send (tipkg.build): each report's statements as N-Quads in its
    named graph, counted as the store counts them; the store holds what loading the Turtle
    gives."""
    graph = Graph().parse(REPORT_2020, format="turtle")
    graph += _awkward()
    turtle = tmp_path / "report.ttl"
    graph.serialize(turtle, format="turtle")
    name = GRAPH + "report"
    store = NewStore(tmp_path / "new")
    store.add_n_quads(name, n_quads(statements(graph), name), len(graph) - 1)
    assert store.finish() == load(tmp_path / "loaded", [(name, turtle)])
    assert _quads(tmp_path / "new") == _quads(tmp_path / "loaded")
