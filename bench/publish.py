"""`tipkg publish` over a build: where the time goes, and the per-request cost of `respond`.

    .venv/bin/python bench/publish.py [--build dist] [--repeat 3] [--scale 1] [--only-incremental]

Prints seconds (median of --repeat runs) for each stage of a publish (reading the build,
grouping documents, rendering pages and RDF, dumps, writing files) and for the whole `publish()`,
then the median time of `respond` for a thing (303), a page and a Turtle document rendered on the
fly. --scale N publishes a copy of the build whose report graph is repeated N times under other
keys, to see how the time grows with the graph. Then publishing over a previous site (issue 18):
from scratch, again with nothing changed, and after one report changed (the text of one
recommendation of one report graph edited in a copy of the build), with the files rendered and
reused. --only-incremental skips the stages. Not a test: figures, never assertions on time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tipkg.paths import DIST_DIR
from tipkg.publish import Responder, Site, publish
from tipkg.publish.docs import collect
from tipkg.publish.incremental import SITE_MANIFEST
from tipkg.publish.model import BuildData


def _median(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _scaled(build: Path, scale: int, into: Path) -> Path:
    """A copy of the build whose report graphs are repeated under other document keys."""
    copy = into / "build"
    shutil.copytree(build, copy, ignore=shutil.ignore_patterns("store"))
    manifest = json.loads((copy / "build.json").read_text(encoding="utf-8"))
    for name, rel in list(manifest["graphs"].items()):
        if "/graph/report/" not in name:
            continue
        text = (copy / rel).read_text(encoding="utf-8")
        key = name.rsplit("/", 1)[-1]
        for i in range(2, scale + 1):
            other = f"{key}-copy{i}"
            target = f"reports/{other}.ttl"
            (copy / target).write_text(text.replace(key, other), encoding="utf-8")
            manifest["graphs"][name.replace(key, other)] = target
    (copy / "build.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return copy


def _one_report_changed(build: Path, into: Path) -> Path:
    """A copy of the build where one report changed: a word added to the text of the first
    recommendation of the last report graph, as a rebuild after an edit of its source gives."""
    copy = into / "changed"
    shutil.copytree(build, copy, ignore=shutil.ignore_patterns("store"))
    manifest = json.loads((copy / "build.json").read_text(encoding="utf-8"))
    reports = [rel for name, rel in manifest["graphs"].items() if "/graph/report/" in name]
    target = copy / reports[-1]
    text, count = re.subn(r'(tip:text ")', r"\1(edited) ", target.read_text("utf-8"), count=1)
    assert count == 1, f"no recommendation text in {target}"
    target.write_text(text, encoding="utf-8")
    return copy


def _files(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a site: its inode and the digest of its bytes."""
    return {
        str(p.relative_to(site)): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).digest())
        for p in site.rglob("*")
        if p.is_file() and p.name != SITE_MANIFEST
    }


def incremental(build: Path, tmp: Path) -> None:
    """Publish from scratch, over the same site unchanged, then after one report changed; how
    many of the files rendered came out the same as before (reads that changed without
    changing the file: what finer reads could still save)."""
    out = tmp / "incremental-site"
    changed = _one_report_changed(build, tmp)
    print("  publish over the previous site (issue 18):")
    for name, source in (
        ("from scratch", build),
        ("nothing changed", build),
        ("one report changed", changed),
    ):
        before = _files(out) if out.exists() else {}
        summary = publish(source, out)
        after = _files(out)
        same = sum(
            1
            for rel, (inode, sha) in after.items()
            if rel in before and before[rel][0] != inode and before[rel][1] == sha
        )
        print(
            f"    {name:<20} {summary.seconds:7.1f} s  {summary.rendered:6} rendered"
            f"  {summary.reused:6} reused  ({same} rendered the same as before)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=DIST_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--only-incremental", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build = args.build if args.scale <= 1 else _scaled(args.build, args.scale, Path(tmp))
        data = BuildData.load(build)
        print(f"build {build}: {len(data.triples)} triples")
        if args.only_incremental:
            incremental(build, Path(tmp))
            return 0
        rows: list[tuple[str, float]] = [
            ("read the build (pyoxigraph)", _median(args.repeat, lambda: BuildData.load(build))),
            ("group into documents", _median(args.repeat, lambda: collect(data))),
        ]
        site = Site(build, "/")
        docs = [p for p in site.paths() if p.startswith("doc/")]
        pages = [p for p in docs if p.endswith(".html")]
        rdf = [p for p in docs if not p.endswith(".html")]
        dumps = [p for p in site.paths() if p.startswith("dumps/")]
        others = [p for p in site.paths() if not p.startswith(("doc/", "dumps/"))]

        def render(paths: list[str]) -> float:
            """Median seconds to render paths on a fresh Site (its construction not counted)."""
            times = []
            for _ in range(args.repeat):
                fresh = Site(build, "/")
                started = time.perf_counter()
                for path in paths:
                    fresh.get_required(path)
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        rows.append(("Site() (read, group, check)", _median(args.repeat, lambda: Site(build, "/"))))
        for name, paths in (
            (f"RDF documents ({len(rdf)})", rdf),
            (f"resource pages ({len(pages)}, with RDF)", pages),
            (f"dumps + description ({len(dumps)})", dumps),
            (f"index pages, pictures, rest ({len(others)})", others),
        ):
            rows.append((name, render(paths)))
        rows.append(("render every path", render(site.paths())))
        out = Path(tmp) / "site"
        rows.append(("publish() end to end", _median(args.repeat, lambda: publish(build, out))))
        files = sum(1 for p in out.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        width = max(len(name) for name, _ in rows)
        for name, seconds in rows:
            print(f"  {name:<{width}}  {seconds:7.3f} s")
        print(f"  {len(site.paths())} paths, {files} files, {size / 1e6:.1f} MB written")

        responder = Responder(build_dir=build, base_url="/")
        thing = "/" + pages[len(pages) // 2].removesuffix(".html").replace("doc/", "id/", 1)
        doc = "/" + pages[len(pages) // 2]
        responder.respond("/", "text/html")  # load once
        for name, path, accept in (
            ("respond: thing → 303", thing, "text/turtle"),
            ("respond: page (cached site)", doc, "text/html"),
            ("respond: Turtle (cached site)", doc.replace(".html", ".ttl"), ""),
        ):
            seconds = _median(50, partial(responder.respond, path, accept))
            print(f"  {name:<{width}}  {seconds * 1000:7.3f} ms")
        incremental(build, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
