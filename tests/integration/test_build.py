"""`tipkg build` end to end: summary, determinism, all-or-nothing output, bad input, English."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tipkg.build import BuildSummary, build, default_sources
from tipkg.cli import main
from tipkg.errors import InputError
from tipkg.paths import ROOT, SOURCES_DIR
from tipkg.store import open_read_only, select

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources"
REAL = SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt"


def _copy_source(tmp: Path, text: str | bytes, name: str = "bad.fr.txt") -> Path:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    meta = REAL.with_name(REAL.name.removesuffix(".txt") + ".meta.toml")
    shutil.copy(meta, path.with_name(name.removesuffix(".txt") + ".meta.toml"))
    return path


def test_summary_counts(built: tuple[Path, BuildSummary]) -> None:
    _, summary = built
    assert summary.documents == 1
    assert summary.recommendations == 26
    # 11 States with statements, Iran, 4 observer organisations, 4 States represented,
    # 2 panellists and the Chair.
    assert summary.participants == 23
    assert summary.triples > 1000
    assert summary.warnings == []


def test_every_source_builds_both_families(built_all: tuple[Path, BuildSummary]) -> None:
    out, summary = built_all
    assert summary.documents == 3  # the 2020 report, A/HRC/43/15 and A/HRC/43/15/Add.1
    assert summary.recommendations == 26 + 215
    # The 2020 report's 23; the review's 81 delegations that made statements (its troika,
    # Bangladesh, Denmark and Egypt, spoke too).
    assert summary.participants == 23 + 81
    assert sorted(p.name for p in (out / "reports").glob("*.ttl")) == [
        "a-hrc-43-15-add-1.ttl",
        "a-hrc-43-15.ttl",
        "wg-tip-2020-draft-report-addendum-1.ttl",
    ]
    # Every warning names a file and a line; none says a part could not be read.
    assert all(w.line for w in summary.warnings)
    assert not [w for w in summary.warnings if "recommending State" in w.problem]


def test_the_2020_report_builds_alike_with_or_without_the_review(
    built: tuple[Path, BuildSummary], built_all: tuple[Path, BuildSummary]
) -> None:
    """A second family beside it changes nothing in the 2020 report's graph (its build activity
    aside, which fingerprints the build's inputs)."""
    name = "reports/wg-tip-2020-draft-report-addendum-1.ttl"
    alone = (built[0] / name).read_text(encoding="utf-8")
    beside = (built_all[0] / name).read_text(encoding="utf-8")
    assert alone == beside


def test_same_inputs_give_byte_identical_output(tmp_path: Path) -> None:
    first = build(default_sources(), tmp_path / "a")
    second = build(default_sources(), tmp_path / "b")
    assert first.triples == second.triples
    for name in (
        "reports/wg-tip-2020-draft-report-addendum-1.ttl",
        "ontology.ttl",
        "reference.ttl",
        "build.ttl",
        "build.json",
    ):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_failed_build_leaves_the_previous_one_untouched(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(default_sources(), out)
    before = (out / "reports" / "wg-tip-2020-draft-report-addendum-1.ttl").read_bytes()
    bad = _copy_source(tmp_path, "Rien ici.\n")
    with pytest.raises(InputError):
        build([REAL, bad], out)
    assert (out / "reports" / "wg-tip-2020-draft-report-addendum-1.ttl").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.fr.meta.toml", "bad.fr.txt", "dist"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("Recommandation 1\n\nLes États parties devraient agir.\n".encode("latin-1"), "not UTF-8"),
        ("II. Recommandations\n\nA. Générales\n\nRien.\n", "no recommendations"),
        (
            "II. R\n\nA. G\n\nRecommandation 1\n\nUn.\n\nRecommandation 1\n\nDeux.\n",
            "numbered twice",
        ),
        ("II. R\n\nA. G\n\nRecommandation 1\n\nUn.\n\nRecommandation 3\n\nTrois.\n", "missing 2"),
        ("II. R\n\nA. G\n\nRecommandation 1\n\n\n\nRecommandation 2\n\nDeux.\n", "has no text"),
    ],
)
def test_bad_input_names_the_file_and_exits_2(
    tmp_path: Path, content: str | bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _copy_source(tmp_path, content)
    code = main(["build", str(bad), "--out", str(tmp_path / "dist")])
    err = capsys.readouterr().err
    assert code == 2
    assert str(bad) in err
    assert message in err
    assert not (tmp_path / "dist").exists()


def test_an_unknown_country_is_a_warning_naming_the_line(tmp_path: Path) -> None:
    text = REAL.read_text(encoding="utf-8").replace("Iraq, Kenya", "Iraq, Atlantide, Kenya")
    source = _copy_source(tmp_path, text, "unknown.fr.txt")
    summary = build([source], tmp_path / "dist")
    messages = [str(w) for w in summary.warnings]
    assert len(messages) == 1
    assert "Atlantide" in messages[0] and f"{source}:" in messages[0]


def test_cli_prints_the_recommendations_as_csv(built: tuple[Path, BuildSummary]) -> None:
    out, _ = built
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tipkg",
            "query",
            "recommendations",
            "--format",
            "csv",
            "--build",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "number,section,modality,text"
    assert len(lines) == 27
    for damage in ("droi ts", "v ictimes", "équitab le", "le s victimes", "l ’", "d ’"):
        assert damage not in result.stdout
    assert "sont encouragés faire en sorte" in result.stdout


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["query"])
    assert raised.value.code == 2
    assert main(["query", "no-such-question"]) == 2
    assert "known names" in capsys.readouterr().err


def test_english_report(built_english: tuple[Path, BuildSummary]) -> None:
    out, summary = built_english
    assert summary.recommendations == 5
    assert summary.warnings == []
    store = open_read_only(out / "store")
    rows = select(
        store,
        (Path(__file__).parents[2] / "queries/competency/recommendations.rq")
        .read_text()
        .replace('"fr"', '"en"'),
    ).rows
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("1", "A", "should"),
        ("2", "A", "should-consider"),
        ("3", "B", "encouraged"),
        ("4", "B", "may-consider"),
        ("5", "B", "should"),
    ]
    assert rows[0][3].startswith("States parties should ensure that victims of trafficking")
    assert (
        rows[3][3]
        == "States parties may consider training prosecutors in a trauma-informed approach."
    )
    cited = select(
        store, (Path(__file__).parents[2] / "queries/competency/provision-citations.rq").read_text()
    ).rows
    assert [r[:3] for r in cited] == [
        ["2", "United Nations Convention against Transnational Organized Crime", "18"]
    ]
    roles = select(
        store, (Path(__file__).parents[2] / "queries/competency/participation.rq").read_text()
    ).rows
    assert ["Venezuela (Bolivarian Republic of)", "VEN", "statement", "3"] in roles
    assert ["Iran (Islamic Republic of)", "IRN", "observer", ""] in roles
    assert ["State of Palestine", "PSE", "represented", ""] in roles
    assert ["Ms. Bowen", "", "panelist", "3"] in roles
    assert ["Chair of the meeting", "", "chair", "3"] in roles


def test_a_report_with_the_damage_of_a_pdf_builds_to_its_clean_texts(tmp_path: Path) -> None:
    # Regression, issue 12: the same report with other page breaks, running headers, job and
    # page numbers, hyphenation and split words published damaged text with exit 0.
    spec = importlib.util.spec_from_file_location("damage", ROOT / "scripts" / "damage.py")
    assert spec is not None and spec.loader is not None
    damage = importlib.util.module_from_spec(spec)
    sys.modules["damage"] = damage
    spec.loader.exec_module(damage)
    damaged = damage.damage_file(REAL, 7, "pdf", tmp_path / "sources")
    truth = json.loads(damage.truth_path(damaged).read_text(encoding="utf-8"))
    assert truth["damage"].get("page-break", 0) > 0

    out = tmp_path / "dist"
    summary = build([damaged], out)
    table = select(
        open_read_only(out / "store"),
        "PREFIX tip: <https://w3id.org/tipkg/def/> SELECT ?n ?text "
        "WHERE { ?r a tip:Recommendation ; tip:number ?n ; tip:text ?text }",
    )
    texts = {int(n): text for n, text in table.rows}
    assert texts == {rec["number"]: rec["text"] for rec in truth["recommendations"]}
    assert summary.gate is not None and summary.gate.ok


def test_one_graph_whatever_the_input_text_or_pdf(tmp_path: Path) -> None:
    # Issue 16: the same document built from its PDF and from a clean text of it gives the same
    # recommendations, texts and structure. The PDF is the English fixture typeset in pages with
    # a running header, job and page numbers in the footer.
    from pdfs import text_pdf

    text_source = FIXTURES / "wg-tip-2099-report.en.txt"
    body = text_source.read_text(encoding="utf-8").split("\n", 1)[1]
    pdf_source = tmp_path / "sources" / "wg-tip-2099-report.en.pdf"
    pdf_source.parent.mkdir()
    pdf_source.write_bytes(
        text_pdf(body, "CTOC/COP/WG.4/2099/L.1/Add.1", "V.99-01234 (E)", lines_per_page=17)
    )
    shutil.copy(
        text_source.with_name("wg-tip-2099-report.en.meta.toml"),
        pdf_source.with_name("wg-tip-2099-report.en.meta.toml"),
    )
    query = (
        "PREFIX tip: <https://w3id.org/tipkg/def/> SELECT ?n ?section ?text WHERE { "
        "?r a tip:Recommendation ; tip:number ?n ; tip:inSection ?section ; tip:text ?text } "
        "ORDER BY ?n"
    )
    answers = []
    for source, out in ((text_source, tmp_path / "from-text"), (pdf_source, tmp_path / "from-pdf")):
        summary = build([source], out)
        assert summary.gate is not None and summary.gate.ok
        answers.append(select(open_read_only(out / "store"), query).rows)
    assert answers[0] == answers[1] and len(answers[0]) == 5
    selectors = select(
        open_read_only(tmp_path / "from-pdf" / "store"),
        "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?value WHERE { "
        "?s a oa:FragmentSelector ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?value }",
    ).rows
    assert selectors and all(value.startswith("page=") for [value] in selectors)
