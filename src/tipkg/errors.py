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
    #: In a PDF, the page; ``line`` is then the line on that page (counted from its top).
    page: int | None = None

    def __str__(self) -> str:
        return f"{where(self.path, self.line, self.page)}: {self.problem}"

    def __reduce__(
        self,
    ) -> tuple[type[InputError], tuple[Path | str, int | None, str, int | None]]:
        # Raised in a worker process, it travels back whole.
        return (InputError, (self.path, self.line, self.problem, self.page))


@dataclass(frozen=True)
class Warning:
    """Something the build could not resolve while the rest of the source is still sound."""

    path: str
    line: int | None
    problem: str
    #: In a PDF, the page; ``line`` is then the line on that page (counted from its top).
    page: int | None = None

    def __str__(self) -> str:
        return f"{where(self.path, self.line, self.page)}: warning: {self.problem}"


def where(path: Path | str, line: int | None, page: int | None = None) -> str:
    """``file:line`` in a text; in a PDF, whose lines a reader counts per page, ``file, page P,
    line L`` (a line of the text tipkg derived from it would point at nothing the reader has)."""
    if page is not None:
        return f"{path}, page {page}" + (f", line {line}" if line else "")
    return f"{path}:{line}" if line else str(path)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def decode_utf8(path: Path | str, raw: bytes) -> str:
    """`raw` as strict UTF-8 text without its byte-order mark; InputError naming the line of a
    NUL byte (binary data) or of the first byte that is not UTF-8."""
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise InputError(path, line, "binary data (a NUL byte): not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise not_utf8(path, raw, err.start) from err
    return text.removeprefix("\ufeff")


def not_utf8(path: Path | str, raw: bytes, offset: int) -> InputError:
    """The error for a byte that is not UTF-8 at `offset` of `raw`."""
    line = raw.count(b"\n", 0, offset) + 1
    return InputError(path, line, f"not UTF-8 (byte 0x{raw[offset]:02x} at offset {offset})")
