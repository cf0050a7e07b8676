"""Outputs written whole or not at all: built in a staging directory, then moved into place."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tipkg.errors import InputError

BUILD_MANIFEST = "build.json"


def check_replaceable(out: Path, marker: str, what: str) -> None:
    """InputError unless `out` is absent, an empty directory or a previous output (it holds
    `marker`): an output replaces only its own kind, never a file or someone's directory."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(out, None, f"not a directory: refusing to replace it with {what}")
    if (out / marker).exists() or not any(out.iterdir()):
        return
    raise InputError(
        out, None, f"is not {what} (no {marker} in it): refusing to replace it; name another --out"
    )


def staging_for(out: Path) -> Path:
    """A new empty directory beside `out` (same file system, so the move is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))


def swap_into_place(staging: Path, out: Path, marker: str, what: str) -> None:
    """Move the finished output into place; the previous one is removed only afterwards."""
    check_replaceable(out, marker, what)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: Path, target: Path) -> None:
    """A file of the previous output into the new one: a hard link (nothing rewritten; outputs
    only ever create files, so two can share them), else a copy (across file systems)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def read_manifest(build_dir: Path) -> dict[str, Any]:
    """A build's manifest (build.json); InputError when there is no build, or no usable one."""
    path = build_dir / BUILD_MANIFEST
    if not path.is_file():
        raise InputError(build_dir, None, "no build here: run `tipkg build` first")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(path, err.lineno, f"not a tipkg build manifest: {err.msg}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, None, f"cannot read the build manifest: {err}") from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("graphs"), dict):
        raise InputError(path, None, "not a tipkg build manifest: it lists no graphs")
    return manifest
