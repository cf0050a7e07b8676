"""`tipkg validate` over a build: passes the real one, fails on planted faults with their focus."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, Graph

from tipkg.build import BuildSummary
from tipkg.cli import main
from tipkg.validate.fidelity import check_fidelity

REPORT = "reports/wg-tip-2020-draft-report-addendum-1.ttl"
REC7 = "https://w3id.org/tipkg/id/recommendation/wg-tip-2020-draft-report-addendum-1/7"


def _planted(built: Path, tmp: Path, old: str, new: str) -> Path:
    copy = tmp / "dist"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("store"))
    path = copy / REPORT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_the_real_build_passes(
    built: tuple[Path, BuildSummary], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--build", str(built[0])]) == 0
    out = capsys.readouterr().out
    assert "qc: passed" in out and "fidelity: passed" in out and "owl: consistent" in out


def test_a_text_that_differs_from_its_source_fails_fidelity(
    built: tuple[Path, BuildSummary], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _planted(
        built[0], tmp_path, "l’article 18 de la Convention", "l’article 19 de la Convention"
    )
    assert main(["validate", "--build", str(copy), "--only", "fidelity"]) == 1
    out = capsys.readouterr().out
    assert f"recommendation 7 <{REC7}>" in out
    assert "text differs from the source span" in out


def test_a_wrong_quote_fails_fidelity(
    built: tuple[Path, BuildSummary], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _planted(
        built[0],
        tmp_path,
        "faciliter le retour en toute sécurité, et de préférence volontaire, des v ictimes",
        "faciliter le retour en toute sécurité, et de préférence volontaire, des victimes",
    )
    assert main(["validate", "--build", str(copy), "--only", "fidelity"]) == 1
    assert "quoted text is not the source's" in capsys.readouterr().out


def test_an_undeclared_term_in_the_data_fails_qc(
    built: tuple[Path, BuildSummary], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _planted(built[0], tmp_path, "tip:inSection", "tip:inSectoin")
    assert main(["validate", "--build", str(copy), "--only", "qc"]) == 1
    out = capsys.readouterr().out
    assert "term-undeclared" in out and "inSectoin" in out


def test_an_inconsistent_file_fails_owl(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "owl" / "inconsistent.ttl"
    assert main(["validate", str(fixture), "--only", "owl"]) == 1
    assert "INCONSISTENT" in capsys.readouterr().out


def test_infer_writes_types_into_their_own_graph(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    copy = tmp_path / "dist"
    shutil.copytree(built[0], copy)
    assert main(["validate", "--build", str(copy), "--only", "owl", "--infer"]) == 0
    from tipkg.store import open_read_only, select

    rows = select(
        open_read_only(copy / "store"),
        """SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/tipkg/id/state/arg>
             a <https://w3id.org/tipkg/def/Actor> } }""",
    ).rows
    assert rows == [["https://w3id.org/tipkg/graph/inferred"]]


def test_json_and_turtle_formats(
    built: tuple[Path, BuildSummary], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["validate", "--build", str(built[0]), "--only", "shacl", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["shacl"]["conforms"] is True
    assert (
        main(["validate", "--build", str(built[0]), "--only", "shacl", "--format", "turtle"]) == 0
    )
    results = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(results) > 0


def test_links_check_passes_on_the_build(
    built: tuple[Path, BuildSummary], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["links", "--check", "--list", "--build", str(built[0])]) == 0
    out = capsys.readouterr().out
    assert "links: passed" in out
    assert "<https://w3id.org/tipkg/id/state/ven> → <http://www.wikidata.org/entity/Q717>" in out


def test_regression_issue_13_schema_axioms_too_large_for_hermit_are_undecided_not_inconsistent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Axioms the clash scan does not model, in data too large for HermiT: the check cannot
    decide, which is exit 2 with the reason, never "INCONSISTENT" and exit 1."""
    from tipkg.validate import gate

    monkeypatch.setattr(gate, "OWL_DATA_LIMIT", 0)  # any data is "too large" for HermiT
    data = tmp_path / "axioms.ttl"
    data.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/A> owl:disjointWith <https://example.org/B> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(data), "--only", "owl"]) == 2
    out, err = capsys.readouterr()
    assert "owl: UNDECIDED" in out and "INCONSISTENT" not in out
    assert err.startswith("tipkg: error: the OWL check could not decide: data uses the schema")


def test_regression_issue_13_the_full_dump_is_data_and_its_own_context(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    """The ontology and reference data inside a file are recognised, blank-node unions and
    lists included, and taken out of the data; what is left is the reports, links and
    provenance."""

    from tipkg.ontology import load_ontology
    from tipkg.reference import load_reference
    from tipkg.validate.gate import ContextStatements

    context = load_ontology() + load_reference()
    report = Graph().parse(built[0] / REPORT, format="turtle")
    together = Graph()
    for path in ("ontology.ttl", "reference.ttl", REPORT):
        together.parse(built[0] / path, format="turtle")
    stripped = ContextStatements(context).strip(together)
    assert len(stripped) == len(report - context)
    assert not any(p in (OWL.unionOf, RDFS.domain) for _, p, _ in stripped)


def test_page_furniture_left_in_a_text_fails_fidelity_whatever_the_repairs_say(
    built: tuple[Path, BuildSummary], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression, issue 12: the gate replayed the extraction's own repairs, so a repair never
    # made could not fail it. Furniture in a published text fails on its own.
    copy = _planted(
        built[0],
        tmp_path,
        "l’article 18 de la Convention",
        "l’article 18 4/6 V.20-04765 CTOC/COP/WG.4/2020/L.1/Add.1 de la Convention",
    )
    assert main(["validate", "--build", str(copy), "--only", "fidelity"]) == 1
    assert "page furniture left in the text: 4/6 V.20-04765" in capsys.readouterr().out


def test_fidelity_reads_the_text_the_build_passes_and_fails_on_it_as_on_the_file(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    # Issue 18: the build hands the gate the text it has just read (a PDF is not read twice);
    # the check must judge the graph against that text exactly as against the file.
    source = next((built[0] / "sources").glob("wg-tip-2020-*.txt"))
    key = (source.name, hashlib.sha256(source.read_bytes()).hexdigest())
    text = source.read_text(encoding="utf-8")
    report = (built[0] / REPORT).read_text(encoding="utf-8")
    graph = Graph().parse(data=report, format="turtle")
    assert check_fidelity(graph, [], {key: text}) == []
    assert check_fidelity(graph, [], {(source.name, "0" * 64): text}) != []  # not that file
    old, new = "l’article 18 de la Convention", "l’article 19 de la Convention"
    planted = Graph().parse(data=report.replace(old, new, 1), format="turtle")
    problems = {f.problem for f in check_fidelity(planted, [], {key: text})}
    assert any("text differs from the source span" in p for p in problems)
    assert problems == {f.problem for f in check_fidelity(planted, [source.parent])}
