"""Publishing over a previous site renders only the paths whose inputs changed.

While a path is rendered, every read it makes of the build is recorded (tipkg.publish.model:
the subjects whose triples it looked at, the labels it showed, the named graphs, the whole
graph…; tipkg.publish.site: the documents it serialised, the list of paths, the shapes, a source
file). The path's key is a digest of the site's code, the base URL, the path and, for each read,
the answer the build gave. The site keeps every path's reads and key in its manifest
(``.tipkg-publish.json``, moved into place with the site, so it always describes the files
beside it). The next publish answers each path's recorded reads from the new build: the same
key means the same bytes (rendering is a function of the code, the base URL, the path and what
it read), so the previous file is linked instead of rendered. A path whose key changed is
rendered, its reads recorded anew.

Why this is sound: rendering is deterministic, so with the same code, base URL and path, a render
whose every read gets the same answer takes the same path through the code; it makes no read it
did not make before and writes the same bytes. The reads are observed, never declared per kind
of page, so they cannot go stale: new code changes every key, and its first render records
what it reads. Hence what the reads must cover: every way rendering reaches the build (the
indexes note their lookups, values kept across pages carry their reads) and nothing else that
varies (the code fingerprint covers the rest).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from tipkg import __version__
from tipkg.outputs import link_or_copy
from tipkg.paths import COMPETENCY_DIR
from tipkg.publish.model import Read, digest

SITE_MANIFEST = ".tipkg-publish.json"
"""In the site's root: what each path read and its key, for the next publish."""

FORMAT = 1
"""The manifest's layout; another one is not read (the next publish renders everything)."""


@dataclass(frozen=True)
class Rendered:
    """One path of a published site: its key and the reads it was rendered from, sorted (a page
    in English and in French usually reads the same: the manifest keeps each list once)."""

    key: str
    reads: tuple[Read, ...]


RENDERING_LIBRARIES = ("pyoxigraph", "jinja2", "markupsafe")
"""What renders the site besides tipkg (pyoxigraph serialises the RDF and answers the questions,
jinja2 and markupsafe write the pages): another version may write other bytes."""


@cache
def code_fingerprint() -> str:
    """A digest of what renders the site besides the build: the tipkg package (code,
    templates, messages, static files), the competency questions, the libraries that render
    and Python's version (its json, gzip and unicodedata write bytes too)."""
    package = Path(__file__).resolve().parent.parent
    files = [
        (f"tipkg/{p.relative_to(package).as_posix()}", p)
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    if COMPETENCY_DIR.is_dir():
        files += [
            (f"competency/{p.relative_to(COMPETENCY_DIR).as_posix()}", p)
            for p in COMPETENCY_DIR.rglob("*")
            if p.is_file()
        ]
    # Named from where they live, not by absolute path: the same code in another checkout
    # renders the same bytes.
    return digest(
        [
            __version__,
            sys.version,
            *(f"{name} {metadata.version(name)}" for name in RENDERING_LIBRARIES),
            *(f"{name} {digest([p.read_bytes()])}" for name, p in sorted(files)),
        ]
    )


class Answers:
    """The answers of one build to reads, each computed once: ``answer(read)`` a digest of what
    the read gives (KeyError for a read it cannot make)."""

    def __init__(self, answer: Callable[[Read], str]) -> None:
        self._answer = answer
        self._read: dict[Read, str] = {}
        self._reads: dict[tuple[Read, ...], str] = {}

    def of(self, reads: tuple[Read, ...]) -> str:
        """A digest of every read of the list with its answer."""
        found = self._reads.get(reads)
        if found is None:
            parts = []
            for read in reads:
                answer = self._read.get(read)
                if answer is None:
                    answer = self._read[read] = f"{read} {self._answer(read)}"
                parts.append(answer)
            found = self._reads[reads] = digest(["\n".join(parts)])
        return found

    def key(self, code: str, base_url: str, path: str, reads: tuple[Read, ...]) -> str:
        """The key of ``path``: equal keys, equal bytes."""
        return digest([FORMAT, code, base_url, path, self.of(reads)])


@dataclass
class SiteManifest:
    """What a published site was rendered from, path by path."""

    code: str
    base_url: str
    paths: dict[str, Rendered]

    @classmethod
    def load(cls, site: Path) -> SiteManifest | None:
        """The manifest of the site at ``site``; None when it has none that this code reads
        (a site published before, by hand, or by another layout: everything is rendered)."""
        try:
            raw = json.loads((site / SITE_MANIFEST).read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                return None
            reads: list[Read] = raw["reads"]
            if not all(isinstance(read, str) for read in reads):
                return None
            sets = [tuple(reads[i] for i in indices) for indices in raw["sets"]]
            paths = {
                str(path): Rendered(str(key), sets[i]) for path, (key, i) in raw["paths"].items()
            }
            return cls(str(raw["code"]), str(raw["base_url"]), paths)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def reusable(self, code: str, base_url: str) -> dict[str, Rendered]:
        """The paths whose keys can still match: none once the code or the base URL changed."""
        return self.paths if (self.code, self.base_url) == (code, base_url) else {}

    def write(self, site: Path) -> None:
        """Into the site's root, deterministically: the same renders give the same bytes."""
        sets = sorted({r.reads for r in self.paths.values()})
        table = sorted({read for reads in sets for read in reads})
        index = {read: i for i, read in enumerate(table)}
        set_index = {reads: i for i, reads in enumerate(sets)}
        body = {
            "format": FORMAT,
            "code": self.code,
            "base_url": self.base_url,
            "reads": table,
            "sets": [[index[read] for read in reads] for reads in sets],
            "paths": {
                path: [rendered.key, set_index[rendered.reads]]
                for path, rendered in sorted(self.paths.items())
            },
        }
        (site / SITE_MANIFEST).write_text(
            json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )


def reuse(previous: Path, target: Path) -> int:
    """The previous site's file at ``target`` (outputs.link_or_copy); its size."""
    link_or_copy(previous, target)
    return target.stat().st_size
