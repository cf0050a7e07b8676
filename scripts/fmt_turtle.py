"""Rewrite hand-edited Turtle in canonical form, keeping each file's leading comment lines.

    python scripts/fmt_turtle.py            # rewrite every non-canonical file
    python scripts/fmt_turtle.py --check    # list them and exit 1, change nothing
    python scripts/fmt_turtle.py FILE ...   # only these files

Hand-edited Turtle lives under ontology/, shapes/ and data/reference/. Canonical form is
tipkg.rdf.turtle.canonical_turtle: the same graph always gives the same bytes, so a diff shows a
change of meaning, never a change of order. Comments other than the leading block are not kept.

Exit codes: 0 all canonical (or rewritten), 1 --check found files to rewrite,
2 a file does not parse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph

from tipkg.paths import ONTOLOGY_DIR, REFERENCE_DIR, SHAPES_DIR
from tipkg.rdf.turtle import canonical_turtle

HAND_EDITED_DIRS = (ONTOLOGY_DIR, SHAPES_DIR, REFERENCE_DIR)


def leading_comments(text: str) -> str:
    """The comment lines at the top of ``text``, up to the first line that is not a comment."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.rstrip())
    return "\n".join(lines)


def canonical_text(text: str) -> str:
    """``text`` (Turtle) in canonical form, with its leading comment block kept as the header."""
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return canonical_turtle(graph, header=leading_comments(text))


def turtle_files(directories: Iterable[Path] = HAND_EDITED_DIRS) -> list[Path]:
    found: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            found.extend(sorted(directory.rglob("*.ttl")))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="files to format (default: all)")
    parser.add_argument("--check", action="store_true", help="report, do not rewrite")
    args = parser.parse_args(argv)

    files: list[Path] = list(args.files) or turtle_files()
    changed: list[Path] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            wanted = canonical_text(text)
        except Exception as error:  # rdflib raises several unrelated types on bad Turtle
            print(f"{path}: does not parse: {error}", file=sys.stderr)
            return 2
        if wanted != text:
            changed.append(path)
            if not args.check:
                path.write_text(wanted, encoding="utf-8")

    verb = "would rewrite" if args.check else "rewrote"
    for path in changed:
        print(f"{verb} {path}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
