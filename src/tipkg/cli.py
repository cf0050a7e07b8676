"""The `tipkg` command.

Exit codes: 0 ok; 1 a check failed (validation, consistency, QC); 2 usage or input error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tipkg import __version__
from tipkg.errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tipkg",
        description="The recommendations of the UN Working Group on Trafficking in Persons "
        "as a linked-data knowledge graph.",
        epilog="Exit codes: 0 ok, 1 a check failed, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"tipkg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser("build", help="extract the sources and write the graph")
    build.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SOURCE",
        help="source texts (default: every data/sources/*.txt)",
    )
    build.add_argument("--out", type=Path, default=None, help="output directory (default: dist/)")

    query = commands.add_parser("query", help="answer a SPARQL query over the last build")
    query.add_argument(
        "query",
        metavar="NAME|FILE",
        help="a competency question's name (queries/competency/NAME.rq) or a file",
    )
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--build", type=Path, default=None, help="build directory (default: dist/)")

    validate = commands.add_parser("validate", help="run the checks (OWL consistency, QC rules)")
    validate.add_argument(
        "--only", choices=("owl", "qc", "fidelity"), default=None, help="run one check only"
    )
    validate.add_argument(
        "--build", type=Path, default=None, help="build directory (default: dist/)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "query":
            return _query(args)
        if args.command == "validate":
            return _validate(args)
    except InputError as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _dist(path: Path | None) -> Path:
    from tipkg.paths import DIST_DIR

    return path if path is not None else DIST_DIR


def _build(args: argparse.Namespace) -> int:
    from tipkg.build import CheckFailed, build, default_sources
    from tipkg.validate.owl import ReasonerUnavailable

    sources = list(args.sources) or default_sources()
    try:
        summary = build(sources, _dist(args.out))
    except CheckFailed as failed:
        print(
            f"tipkg: the build failed its checks; nothing was written.\n{failed}", file=sys.stderr
        )
        return EXIT_FAILED
    except ReasonerUnavailable as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    print("\n".join(summary.lines()))
    return EXIT_OK


def resolve_query(name: str) -> tuple[str, str]:
    from tipkg.paths import COMPETENCY_DIR

    path = Path(name)
    if not path.suffix:
        path = COMPETENCY_DIR / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in COMPETENCY_DIR.glob("*.rq")))
        raise InputError(name, None, f"no such query file or name (known names: {known})")
    return str(path), path.read_text(encoding="utf-8")


def _query(args: argparse.Namespace) -> int:
    from tipkg.store import open_read_only, select

    _, text = resolve_query(args.query)
    store = open_read_only(_dist(args.build) / "store")
    table = select(store, text)
    _print_table(table.columns, table.rows, args.format)
    return EXIT_OK


def _print_table(columns: list[str], rows: list[list[str]], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        print(
            json.dumps(
                [dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=2
            )
        )
    else:
        widths = [len(c) for c in columns]
        shown = [[cell if len(cell) <= 80 else cell[:77] + "…" for cell in row] for row in rows]
        for row in shown:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
        print("  ".join("-" * w for w in widths))
        for row in shown:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        print(f"({len(rows)} rows)")


def _validate(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from tipkg.build import MANIFEST
    from tipkg.ontology import load_ontology
    from tipkg.reference import load_reference
    from tipkg.validate.gate import run_gate
    from tipkg.validate.owl import ReasonerUnavailable

    data = Graph()
    manifest = _dist(args.build) / MANIFEST
    if manifest.exists():
        for path in json.loads(manifest.read_text(encoding="utf-8"))["graphs"].values():
            if path.startswith("reports/"):
                data.parse(manifest.parent / path, format="turtle")
    else:
        print(
            f"tipkg: no build at {manifest.parent}: checking the ontology and reference data only",
            file=sys.stderr,
        )
    try:
        report = run_gate(
            load_ontology(), load_reference(), data, [manifest.parent / "sources"], only=args.only
        )
    except ReasonerUnavailable as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_FAILED
