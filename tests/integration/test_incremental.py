"""Incremental and parallel builds: unchanged reports are reused, the output is the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from quads import graph_triples, store_quads
from rdflib import Graph, Literal, URIRef

import tipkg.build
import tipkg.store
from tipkg.build import CheckFailed, ReportOutcome, build
from tipkg.errors import InputError
from tipkg.paths import SOURCES_DIR
from tipkg.store import NewStore
from tipkg.validate.gate import GateContext, ReportChecks

TIPKG = "https://w3id.org/tipkg/def/"
PROV = "http://www.w3.org/ns/prov#"

REAL = SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt"


def _two_sources(tmp: Path) -> list[Path]:
    """The real report twice, the second as if of a 2021 meeting (its metadata says so)."""
    meta = REAL.with_name(REAL.name.removesuffix(".txt") + ".meta.toml")
    paths = []
    for year in (2020, 2021):
        text = tmp / f"report-{year}.fr.txt"
        shutil.copy(REAL, text)
        (tmp / f"report-{year}.fr.meta.toml").write_text(
            meta.read_text(encoding="utf-8").replace("year = 2020", f"year = {year}"),
            encoding="utf-8",
        )
        paths.append(text)
    return paths


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*.ttl")) + [out / "build.json"]
    }


def test_unchanged_reports_are_reused_and_the_output_is_the_same(tmp_path: Path) -> None:
    sources = _two_sources(tmp_path)
    out = tmp_path / "dist"
    first = build(sources, out, jobs=2)
    assert (first.documents, first.rebuilt, first.recommendations) == (2, 2, 52)
    before = _outputs(out)

    again = build(sources, out, jobs=2)
    assert again.rebuilt == 0
    assert _outputs(out) == before

    changed = (
        sources[1]
        .read_text(encoding="utf-8")
        .replace("Les États parties devraient établir", "Les États parties devraient instituer")
    )
    sources[1].write_text(changed, encoding="utf-8")
    third = build(sources, out, jobs=2)
    assert third.rebuilt == 1
    fresh = build(sources, tmp_path / "fresh", jobs=1)
    assert fresh.rebuilt == 2
    assert _outputs(out) == _outputs(tmp_path / "fresh")


def test_a_bad_source_among_many_stops_the_build_with_its_name(tmp_path: Path) -> None:
    sources = _two_sources(tmp_path)
    sources[1].write_text("Rien.\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        build(sources, tmp_path / "dist", jobs=2)
    assert str(sources[1]) in str(raised.value)
    assert "no recommendations" in str(raised.value)
    assert not (tmp_path / "dist").exists()


def _quads(store_dir: Path) -> list[str]:
    return store_quads(ox.Store.read_only(str(store_dir)))


def test_regression_issue_18_what_did_not_change_is_not_rechecked_or_rewritten(
    tmp_path: Path,
) -> None:
    """After one report changed: the context's checks are read back (their fingerprint holds),
    the unchanged report's file is the same file (a hard link, never rewritten), the store is
    the last one with the changed report's graph replaced, and all of it is what a fresh build
    writes."""
    import os

    sources = _two_sources(tmp_path)
    out = tmp_path / "dist"
    first = build(sources, out, jobs=2)
    assert not first.context_reused and not first.store_updated
    keys = sorted(p.name for p in (out / "reports").glob("*.ttl"))
    inode = {name: os.stat(out / "reports" / name).st_ino for name in keys}

    again = build(sources, out, jobs=2)
    assert (again.rebuilt, again.context_reused, again.store_updated) == (0, True, True)
    assert {name: os.stat(out / "reports" / name).st_ino for name in keys} == inode

    text = sources[1].read_text(encoding="utf-8")
    sources[1].write_text(text.replace("devraient établir", "devraient instituer"), "utf-8")
    third = build(sources, out, jobs=2)
    assert (third.rebuilt, third.context_reused, third.store_updated) == (1, True, True)
    after = {name: os.stat(out / "reports" / name).st_ino for name in keys}
    assert sum(after[name] == inode[name] for name in keys) == 1, "only the changed one rewritten"

    fresh = build(sources, tmp_path / "fresh", jobs=1)
    assert not fresh.context_reused and not fresh.store_updated
    assert _outputs(out) == _outputs(tmp_path / "fresh")
    assert _quads(out / "store") == _quads(tmp_path / "fresh" / "store")
    assert third.triples == fresh.triples == len(_quads(out / "store"))
    assert third.gate is not None and third.gate.ok and "qc" in third.gate.ran


def test_regression_issue_18_a_build_that_fails_while_writing_leaves_the_last_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is updated in a checkpoint of the last one: a failure after its graphs were
    replaced leaves the last build, store included, as it was."""
    sources = _two_sources(tmp_path)
    out = tmp_path / "dist"
    build(sources, out, jobs=2)
    before, quads = _outputs(out), _quads(out / "store")
    real = tipkg.build.update_store

    def update_then_fail(*args: object, **kwargs: object) -> dict[str, int]:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk full")

    monkeypatch.setattr(tipkg.build, "update_store", update_then_fail)
    text = sources[0].read_text(encoding="utf-8")
    sources[0].write_text(text.replace("devraient établir", "devraient instituer"), "utf-8")
    with pytest.raises(OSError, match="disk full"):
        build(sources, out, jobs=2)
    assert _outputs(out) == before
    assert _quads(out / "store") == quads
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []


def test_regression_issue_18_a_store_changed_since_its_build_is_loaded_anew(
    tmp_path: Path,
) -> None:
    """`tipkg validate --infer` adds a named graph to the store: the next build does not carry
    it over (nor any other change made to the store after its build), it loads a new store."""
    sources = _two_sources(tmp_path)[:1]
    out = tmp_path / "dist"
    build(sources, out, jobs=1)
    quads = _quads(out / "store")
    store = ox.Store(str(out / "store"))
    thing = ox.NamedNode("https://example.org/x")
    store.add(ox.Quad(thing, thing, thing, ox.NamedNode("https://w3id.org/tipkg/graph/inferred")))
    store.flush()
    del store
    again = build(sources, out, jobs=1)
    assert not again.store_updated
    assert _quads(out / "store") == quads


def test_regression_issue_18_the_context_is_checked_again_when_its_fingerprint_changes(
    tmp_path: Path,
) -> None:
    from tipkg.build import CONTEXT_CACHE

    sources = _two_sources(tmp_path)[:1]
    out = tmp_path / "dist"
    build(sources, out, jobs=1)
    cache = out / CONTEXT_CACHE
    kept = json.loads(cache.read_text(encoding="utf-8"))
    assert set(kept["report"]["seconds"]) == {"shacl", "qc", "owl"}, "the context's alone"
    assert list(kept["report"]["shacl"]["runs"]) == ["context"]
    cache.write_text(json.dumps({**kept, "key": "another"}), encoding="utf-8")
    assert not build(sources, out, jobs=1).context_reused
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] == kept["key"]
    assert build(sources, out, jobs=1).context_reused


def test_regression_issue_18_provenance_apart_finds_what_the_whole_context_finds(
    tmp_path: Path,
) -> None:
    """The context's SHACL is kept without the build's provenance, which is checked apart as
    data: together they give the findings of one run over all of it, with or without a fault
    in the provenance."""
    from dataclasses import replace

    from tipkg.links import compile_links, load_mappings
    from tipkg.ontology import load_ontology
    from tipkg.reference import load_reference
    from tipkg.validate.gate import check_context, check_provenance, gate_context
    from tipkg.validate.shacl import combine

    out = tmp_path / "dist"
    build(_two_sources(tmp_path)[:1], out, jobs=1)
    links = Graph().parse(out / "links.ttl")
    gate = gate_context(load_ontology(), load_reference(), compile_links(load_mappings()))
    good = Graph().parse(out / "build.ttl")
    bad = Graph().parse(out / "build.ttl")
    run = next(iter(bad.subjects(URIRef("https://w3id.org/tipkg/def/softwareVersion"))))
    bad.add((run, URIRef("http://www.w3.org/ns/prov#startedAtTime"), Literal("yesterday")))
    static = check_context(replace(gate, extra=links), None, only="shacl").shacl
    assert static is not None
    for provenance in (good, bad):
        whole = check_context(replace(gate, extra=provenance + links), None, only="shacl").shacl
        apart = check_provenance(gate, provenance).shacl
        assert whole is not None and apart is not None
        assert combine([static, apart]).findings == whole.findings
    assert any(f.severity == "Violation" for f in apart.findings)


def _every_file(out: Path) -> dict[str, bytes]:
    """Every file of a build directory, its store's included."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _watch_loading(
    monkeypatch: pytest.MonkeyPatch, interrupt: bool = False
) -> list[tuple[str, bool]]:
    """Each report the build loads into its new store while the others are checked, and whether
    the store was then open on disk (every report its own batch, so from the first on); with
    `interrupt`, Ctrl-C after the first."""
    monkeypatch.setattr(tipkg.store, "LOAD_BATCH", 1)
    loaded: list[tuple[str, bool]] = []
    real = tipkg.build._load_report

    def load_report(new_store: NewStore | None, outcome: ReportOutcome) -> None:
        real(new_store, outcome)
        assert new_store is not None, "a new store: the last build's is not updated"
        loaded.append((outcome.key, (new_store.store_dir / "CURRENT").exists()))
        if interrupt:
            raise KeyboardInterrupt

    monkeypatch.setattr(tipkg.build, "_load_report", load_report)
    return loaded


def test_regression_issue_18_a_new_store_is_loaded_while_the_reports_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build with no store to update fills a new one with each report as its worker returns
    it: the store holds each named graph exactly as the file the manifest names for it, and the
    manifest counts what the store holds."""
    loaded = _watch_loading(monkeypatch)
    out = tmp_path / "dist"
    summary = build(_two_sources(tmp_path), out, jobs=2)
    assert not summary.store_updated
    keys = ["wg-tip-2020-draft-report-addendum-1", "wg-tip-2021-draft-report-addendum-1"]
    assert sorted(loaded) == [(key, True) for key in keys]

    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    files = ox.Store()
    for name, file in manifest["graphs"].items():
        # Read into a store too, which writes values as the store on disk does ("Z" for a
        # dateTime's "+00:00").
        files.load(path=out / file, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
    stored = graph_triples(ox.Store.read_only(str(out / "store")))
    assert stored == graph_triples(files)
    assert len(stored) == 4 + len(keys)
    assert manifest["graph_triples"] == {name: len(triples) for name, triples in stored.items()}
    assert summary.triples == manifest["triples"] == sum(manifest["graph_triples"].values())


@pytest.mark.parametrize("failure", ["gate", "same key", "interrupted"])
def test_regression_issue_18_a_build_that_fails_after_loading_reports_leaves_the_last_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """A new store is filled in the staging directory while the reports are checked: a build
    that fails afterwards, at the gate, on two reports of the same key, or interrupted, leaves
    the last build as it was to the byte and no staging directory."""
    sources = _two_sources(tmp_path)
    out = tmp_path / "dist"
    build(sources, out, jobs=2)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    # As if built by an older tipkg: its store is not updated but replaced, its reports rebuilt.
    manifest.update(version="0.0.1", inputs="older")
    (out / "build.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    before = _every_file(out)

    loaded = _watch_loading(monkeypatch, interrupt=failure == "interrupted")
    expected: type[BaseException] = KeyboardInterrupt
    if failure == "gate":
        real = tipkg.build.check_provenance

        def with_a_fault(gate: GateContext, provenance: Graph) -> ReportChecks:
            run = next(iter(provenance.subjects(URIRef(f"{TIPKG}softwareVersion"))))
            provenance.add((run, URIRef(f"{PROV}startedAtTime"), Literal("yesterday")))
            return real(gate, provenance)

        monkeypatch.setattr(tipkg.build, "check_provenance", with_a_fault)
        expected = CheckFailed
    elif failure == "same key":
        again = tmp_path / "report-2020-again.fr.txt"
        shutil.copy(sources[0], again)
        shutil.copy(
            tmp_path / "report-2020.fr.meta.toml", tmp_path / "report-2020-again.fr.meta.toml"
        )
        sources = [sources[0], again]
        expected = InputError
    with pytest.raises(expected) as raised:
        build(sources, out, jobs=2)
    if failure == "gate":
        assert "startedAtTime" in str(raised.value)
    elif failure == "same key":
        assert "same document key" in str(raised.value)
    assert loaded and loaded[0][1], "a report loaded into the new store, open on disk"
    assert _every_file(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist-")] == []
