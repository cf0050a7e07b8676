"""Shared fixtures: one build of the real 2020 report per test session, in a temporary directory,
and one of every source of data/sources/ (the 2020 report and the UPR review of Slovenia)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipkg.build import BuildSummary, build, default_sources
from tipkg.paths import SOURCES_DIR

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = Path(__file__).parent / "expected"


WG_TIP_2020 = SOURCES_DIR / "wg-tip-2020-draft-report-add1.fr.txt"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    """The 2020 report alone: the answers under tests/expected/ read from it."""
    out = tmp_path_factory.mktemp("build") / "dist"
    return out, build([WG_TIP_2020], out)


@pytest.fixture(scope="session")
def built_all(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    """Every source (`tipkg build` without arguments): both families, the cross-mechanism
    answers under tests/expected/ read from the three documents."""
    out = tmp_path_factory.mktemp("build-all") / "dist"
    return out, build(default_sources(), out)


@pytest.fixture(scope="session")
def built_english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    out = tmp_path_factory.mktemp("build-en") / "dist"
    return out, build([FIXTURES / "sources" / "wg-tip-2099-report.en.txt"], out)
