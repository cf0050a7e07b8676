"""Issue 13: every `tipkg` command on bad input ends in a message and exit 2 (usage or input) or
1 (a check failed), never a traceback, and writes nothing. The cases are data
(tests/fixtures/cli/cases.toml); each runs the command as a user would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tipkg.build import BuildSummary
from tipkg.cli import _COMMANDS
from tipkg.publish import publish

ROOT = Path(__file__).parents[2]
FIXTURES = Path("tests/fixtures/cli")  # relative: the messages name the paths as given
CASES: list[dict[str, Any]] = tomllib.loads((ROOT / FIXTURES / "cases.toml").read_text())["case"]


@pytest.fixture(scope="module")
def site(built: tuple[Path, BuildSummary], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-site") / "site"
    publish(built[0], out)
    return out


def _fill(text: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


def tipkg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TIPKG_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "tipkg", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["args"]) or "(none)" for c in CASES])
def test_bad_input_gets_a_message_and_its_exit_code(
    case: dict[str, Any], built: tuple[Path, BuildSummary], site: Path, tmp_path: Path
) -> None:
    places = {"fixtures": str(FIXTURES), "build": str(built[0]), "site": str(site)}
    places["tmp"] = str(tmp_path)
    before = sorted(p.name for p in (ROOT / FIXTURES).rglob("*"))
    done = tipkg(*(_fill(arg, places) for arg in case["args"]))
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == case["exit"], done.stderr
    first = done.stderr.splitlines()[0] if done.stderr else ""
    if "stderr" in case:
        assert first.startswith(_fill(case["stderr"], places)), done.stderr
    if case["exit"] == 0:
        assert "error" not in done.stderr, done.stderr
    if "stderr_has" in case:
        assert _fill(case["stderr_has"], places) in first
    if "stdout" in case:
        assert _fill(case["stdout"], places) in done.stdout
    if "absent" in case:
        assert not Path(_fill(case["absent"], places)).exists(), "a failed command wrote output"
    assert sorted(p.name for p in (ROOT / FIXTURES).rglob("*")) == before, "fixtures touched"


def test_every_command_has_bad_input_cases() -> None:
    covered = {case["args"][0] for case in CASES if case["args"]}
    assert set(_COMMANDS) <= covered, set(_COMMANDS) - covered


def test_every_fixture_is_used() -> None:
    used = " ".join(arg for case in CASES for arg in case["args"])
    used = _fill(used, {"fixtures": str(FIXTURES)})
    for path in sorted((ROOT / FIXTURES).rglob("*")):
        if path.is_file() and not path.name.endswith(".toml"):  # metadata goes with its source
            relative = path.relative_to(ROOT)
            assert str(relative) in used or str(relative.parent) in used, relative
