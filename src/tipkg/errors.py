"""Errors that name the file, the line and the problem; the CLI turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Input that cannot be trusted: the build stops and exits 2."""

    path: Path | str
    line: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.problem}"

    def __reduce__(self) -> tuple[type[InputError], tuple[Path | str, int | None, str]]:
        # Raised in a worker process, it travels back whole.
        return (InputError, (self.path, self.line, self.problem))


@dataclass(frozen=True)
class Warning:
    """Something the build could not resolve while the rest of the source is still sound."""

    path: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: {self.problem}"


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
