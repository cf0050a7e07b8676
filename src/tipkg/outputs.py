"""Outputs written whole or not at all: built in a staging directory, then moved into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_for(out: Path) -> Path:
    """A new empty directory beside `out` (same file system, so the move is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))


def swap_into_place(staging: Path, out: Path) -> None:
    """Move the finished output into place; the previous one is removed only afterwards."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
