"""Shared fixtures: one build of the real report per test session, in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipkg.build import BuildSummary, build, default_sources

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    out = tmp_path_factory.mktemp("build") / "dist"
    return out, build(default_sources(), out)


@pytest.fixture(scope="session")
def built_english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    out = tmp_path_factory.mktemp("build-en") / "dist"
    return out, build([FIXTURES / "sources" / "wg-tip-2099-report.en.txt"], out)
