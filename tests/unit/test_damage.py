"""The damage generator (scripts/damage.py) and the fidelity benchmark (bench/fidelity.py) of
issue 12: deterministic per seed, the truth is the clean source's texts, every damage class is
applied, and the benchmark runs end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from loading import script

from tipkg.paths import ROOT

damage = script("scripts/damage.py", "damage")

REPORT_2020 = ROOT / "data" / "sources" / "wg-tip-2020-draft-report-add1.fr.txt"
FIXTURE_EN = ROOT / "tests" / "fixtures" / "sources" / "wg-tip-2099-report.en.txt"
SOURCES = (REPORT_2020, FIXTURE_EN)
SEEDS = range(1, 9)
#: Enough seeds to meet the rare classes (one part heading follows a text in the 2020 report).
CLASS_SEEDS = range(1, 25)

WORD_CLASSES = {
    "split-word",
    "split-word-words",
    "detached-apostrophe",
    "detached-hyphen",
    "rewrap",
    "glued-recommendation",
    "glued-section",
    "glued-part",
}
PDF_CLASSES = WORD_CLASSES | {"page-break", "hyphenation", "hyphenation-compound"}


def _damaged(source: Path, seed: int, level: str) -> Any:
    meta_text = damage.meta_path(source).read_text(encoding="utf-8")
    return damage.damage(
        source.read_text(encoding="utf-8"),
        meta_text,
        damage.read_meta(source),
        seed,
        level,
        source.name,
    )


@pytest.mark.parametrize("level", damage.LEVELS)
def test_deterministic_per_seed(tmp_path: Path, level: str) -> None:
    first = damage.damage_file(REPORT_2020, 5, level, tmp_path / "a")
    again = damage.damage_file(REPORT_2020, 5, level, tmp_path / "b")
    other = damage.damage_file(REPORT_2020, 6, level, tmp_path / "c")
    for suffix in (".txt", ".meta.toml", ".truth.json"):
        name = first.name.removesuffix(".txt") + suffix
        assert (first.parent / name).read_bytes() == (again.parent / name).read_bytes()
    assert first.read_text(encoding="utf-8") != other.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
@pytest.mark.parametrize("level", damage.LEVELS)
def test_truth_is_the_clean_texts(source: Path, level: str) -> None:
    clean = damage.truth_of_clean(
        source.read_text(encoding="utf-8"), damage.read_meta(source)["language"]
    )
    for seed in SEEDS:
        truth = _damaged(source, seed, level).truth
        got = [(r["number"], r["part"], r["section"], r["text"]) for r in truth["recommendations"]]
        assert got == [(r["number"], r["part"], r["section"], r["text"]) for r in clean]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_truth_of_clean_source_is_the_extraction(source: Path) -> None:
    """The generator's own heading grammar agrees with tipkg's extraction on the clean files."""
    from tipkg.extract.report import extract
    from tipkg.extract.source import read_source

    fidelity = script("bench/fidelity.py", "fidelity")
    report, _ = extract(read_source(source), fidelity.rules())
    truth = damage.truth_of_clean(
        source.read_text(encoding="utf-8"), damage.read_meta(source)["language"]
    )
    assert [(r["number"], r["part"], r["section"], r["text"]) for r in truth] == [
        (r.number, r.part, r.section, " ".join(r.text.split())) for r in report.recommendations
    ]


@pytest.mark.parametrize(("level", "classes"), [("words", WORD_CLASSES), ("pdf", PDF_CLASSES)])
def test_every_damage_class_is_applied(level: str, classes: set[str]) -> None:
    applied: Counter[str] = Counter()
    for seed in CLASS_SEEDS:
        applied.update(_damaged(REPORT_2020, seed, level).truth["damage"])
    assert classes <= set(applied), classes - set(applied)
    if level == "words":
        assert not {"page-break", "hyphenation", "hyphenation-compound"} & set(applied)


def test_words_recoverable() -> None:
    """Undoing the word damage (joining what was split) gives back the truth's words."""
    for seed in SEEDS:
        result = _damaged(REPORT_2020, seed, "words")
        text = " ".join(result.text.split())
        squeezed = text.replace(" ", "")
        for rec in result.truth["recommendations"]:
            assert rec["text"].replace(" ", "") in squeezed


def test_pdf_furniture_has_its_forms(tmp_path: Path) -> None:
    texts = "".join(_damaged(REPORT_2020, seed, "pdf").text for seed in SEEDS)
    assert "CTOC/COP/WG.4/2020/L.1/Add.1" in texts  # derived: the meta has no symbol
    assert "\f" in texts
    assert any(form in texts for form in ("V.20-", "GE.20-"))


def test_metadata_marked_synthetic(tmp_path: Path) -> None:
    path = damage.damage_file(REPORT_2020, 3, "pdf", tmp_path)
    meta = damage.read_meta(path)
    assert meta["synthetic"] is True
    assert meta["language"] == "fr" and meta["symbol"] == ""
    text = damage.meta_path(path).read_text(encoding="utf-8")
    assert text.startswith("# SYNTHETIC") and "seed 3, level pdf" in text
    truth = json.loads(damage.truth_path(path).read_text(encoding="utf-8"))
    assert len(truth["recommendations"]) == 26
    first, last = truth["recommendations"][0]["lines"]
    assert 0 < first <= last


def test_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "damage.py"),
            str(FIXTURE_EN),
            "--seed",
            "2",
            "--level",
            "words",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "5 recommendations" in done.stdout
    assert (tmp_path / "wg-tip-2099-report-words-s2.en.truth.json").exists()


def test_fidelity_bench_runs_end_to_end() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fidelity.py"), "--variants", "2", "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    assert "texts exact" in out and "no warning" in out
    for source in SOURCES:
        for level in ("clean", "words", "pdf"):
            assert any(
                line.startswith(source.name) and f" {level} " in line for line in out.splitlines()
            )
    clean_rows = [line for line in out.splitlines() if " clean " in line and "%" in line]
    assert len(clean_rows) == 2
    assert all("100.0 %" in row for row in clean_rows)
