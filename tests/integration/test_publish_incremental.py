"""`tipkg publish` over a previous site (issue 18): only the files whose reads of the build
changed are rendered, the others are linked from the previous site, and the result is the same,
byte for byte, as a publish from scratch of the same build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from loading import script

from tipkg.build import build
from tipkg.publish import PublishSummary, indexes, publish
from tipkg.publish import site as site_module
from tipkg.publish.incremental import SITE_MANIFEST

BASE = "http://127.0.0.1:8000/tipkg/"
REPORTS = ("wg-tip-3000-draft-report-addendum-1", "wg-tip-3001-draft-report-addendum-3")


def _files(site: Path) -> dict[str, Path]:
    return {str(p.relative_to(site)): p for p in sorted(site.rglob("*")) if p.is_file()}


def _inodes(site: Path) -> dict[str, int]:
    return {rel: path.stat().st_ino for rel, path in _files(site).items()}


def _same_as_from_scratch(build_dir: Path, site: Path, scratch: Path) -> None:
    """The site holds exactly the files, and the bytes, of a publish from scratch."""
    if scratch.exists():
        shutil.rmtree(scratch)
    publish(build_dir, scratch, BASE)
    ours, theirs = _files(site), _files(scratch)
    assert sorted(ours) == sorted(theirs)
    different = [rel for rel in ours if ours[rel].read_bytes() != theirs[rel].read_bytes()]
    assert different == []


def _republish(build_dir: Path, site: Path) -> tuple[PublishSummary, set[str]]:
    """Publish over the site; the paths linked from the previous site (same inode)."""
    before = _inodes(site)
    summary = publish(build_dir, site, BASE)
    after = _inodes(site)
    kept = {rel for rel, inode in after.items() if before.get(rel) == inode}
    assert summary.rendered + summary.reused == summary.files
    assert len(kept) == summary.reused
    return summary, kept


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three synthetic reports of five recommendations (scripts/make_corpus.py)."""
    make_corpus = script("scripts/make_corpus.py", "make_corpus")
    out = tmp_path_factory.mktemp("corpus")
    for report in make_corpus.generate(3, seed=1, recommendations=5):
        report.write(out)
    return out


def _reword_first_recommendation(source: Path) -> None:
    """An edit that changes the report's graph: a word added to a recommendation's text."""
    lines = source.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip() == "Recommandation 1")
    line = next(i for i in range(first + 1, len(lines)) if lines[i].strip())
    lines[line] = lines[line].rstrip() + " résolument"
    source.write_text("\n".join(lines), encoding="utf-8")


def test_a_publish_after_a_change_renders_what_changed_and_equals_one_from_scratch(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = tmp_path / "sources"
    shutil.copytree(corpus, sources)
    dist, site, scratch = tmp_path / "dist", tmp_path / "site", tmp_path / "scratch"
    build(sorted(sources.glob("*.txt")), dist, jobs=1)
    first = publish(dist, site, BASE)
    assert (first.rendered, first.reused) == (first.files, 0)

    # Nothing changed: every file is the previous one.
    same, kept = _republish(dist, site)
    assert (same.rendered, same.reused) == (0, same.files)

    # One report changed: its pages are rendered, and those that show it (its recommendations'
    # themes, the indexes), the rest is kept; the other reports' dumps are kept.
    changed = dist / "reports" / f"{REPORTS[1]}.ttl"
    before = changed.read_bytes()
    _reword_first_recommendation(next(sources.glob("wg-tip-3001-*.txt")))
    assert build(sorted(sources.glob("*.txt")), dist, jobs=1).rebuilt == 1
    assert changed.read_bytes() != before
    summary, kept = _republish(dist, site)
    _same_as_from_scratch(dist, site, scratch)
    assert summary.reused > summary.files * 0.8, summary.lines()
    assert f"dumps/report/{REPORTS[0]}.ttl" in kept
    # a State's page lists the recommendations to all States parties, not their texts: it reads
    # the fields it shows, not whole records
    assert "doc/state/fra.html" in kept
    assert f"dumps/report/{REPORTS[1]}.ttl" not in kept
    assert f"doc/report/{REPORTS[0]}.html" in kept
    assert f"doc/recommendation/{REPORTS[1]}/1.html" not in kept
    assert "dumps/tipkg.ttl" not in kept and "index.html" not in kept

    # A label of the reference data that pages show: the pages that show it are rendered.
    reference = dist / "reference.ttl"
    text = reference.read_text(encoding="utf-8")
    assert '"France"@en' in text
    reference.write_text(text.replace('"France"@en', '"France (renamed)"@en'), encoding="utf-8")
    summary, kept = _republish(dist, site)
    _same_as_from_scratch(dist, site, scratch)
    assert "doc/state/fra.html" not in kept
    assert summary.reused > summary.files / 2, summary.lines()

    # What every page reads (the build's time, in each page's footer): every page is rendered,
    # the RDF documents are kept.
    manifest = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    manifest["time"] = "2031-01-01T00:00:00+00:00"
    (dist / "build.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    summary, kept = _republish(dist, site)
    _same_as_from_scratch(dist, site, scratch)
    assert not [rel for rel in kept if rel.endswith(".html")]
    assert f"doc/report/{REPORTS[0]}.ttl" in kept

    # Another base URL changes every page's links: nothing is kept.
    summary = publish(dist, site, "https://example.org/tipkg/")
    assert summary.reused == 0


def test_a_failed_publish_over_a_site_leaves_it_and_its_manifest(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after files were already linked from the site and others rendered."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dist, site = tmp_path / "dist", tmp_path / "site"
    build(sorted(corpus.glob("*.txt"))[:1], dist, jobs=1)
    publish(dist, site, BASE)
    before = {rel: path.read_bytes() for rel, path in _files(site).items()}
    inodes = _inodes(site)
    assert SITE_MANIFEST in before
    manifest = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    manifest["time"] = "2031-01-01T00:00:00+00:00"
    (dist / "build.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    def broken(ctx: object) -> bytes:
        raise RuntimeError("the home page cannot be rendered")

    monkeypatch.setattr(indexes, "home_page", broken)
    with pytest.raises(RuntimeError):
        publish(dist, site, BASE)
    assert {rel: path.read_bytes() for rel, path in _files(site).items()} == before
    assert _inodes(site) == inodes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]


def test_a_site_of_other_code_or_without_a_manifest_is_rendered_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other code (tipkg, its templates, the rendering libraries) may write other bytes from the
    same reads; a site published before issue 18, or whose manifest was lost, has nothing to
    trust."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dist, site = tmp_path / "dist", tmp_path / "site"
    build(sorted(corpus.glob("*.txt"))[:1], dist, jobs=1)
    publish(dist, site, BASE)
    (site / SITE_MANIFEST).unlink()
    summary = publish(dist, site, BASE)
    assert (summary.rendered, summary.reused) == (summary.files, 0)
    with monkeypatch.context() as patched:
        patched.setattr(site_module, "site_code", lambda: "the code of another version")
        summary = publish(dist, site, BASE)
    assert (summary.rendered, summary.reused) == (summary.files, 0)
