"""Incremental and parallel builds: unchanged reports are reused, the output is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

from tipkg.build import build
from tipkg.paths import SOURCES_DIR

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
    import pytest

    from tipkg.errors import InputError

    sources = _two_sources(tmp_path)
    sources[1].write_text("Rien.\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        build(sources, tmp_path / "dist", jobs=2)
    assert str(sources[1]) in str(raised.value)
    assert "no recommendations" in str(raised.value)
    assert not (tmp_path / "dist").exists()
