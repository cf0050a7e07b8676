"""`tipkg validate` over a build: passes the real one, fails on planted faults with their focus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tipkg.build import BuildSummary
from tipkg.cli import main

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
