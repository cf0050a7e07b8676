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
from typing import Any

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
    query.add_argument(
        "--endpoint",
        metavar="URL",
        default=None,
        help="ask this SPARQL 1.1 endpoint instead of the last build's store",
    )
    query.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for --endpoint (default: 60)"
    )
    query.add_argument(
        "--default-graph",
        metavar="IRI",
        action="append",
        default=[],
        help="with --endpoint: a default-graph-uri for the query (repeatable)",
    )

    validate = commands.add_parser(
        "validate", help="run the gate: SHACL, QC rules, fidelity to the source, OWL consistency"
    )
    validate.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="Turtle files (default: the last build)"
    )
    validate.add_argument(
        "--only", choices=("shacl", "qc", "fidelity", "owl"), default=None, help="one check only"
    )
    validate.add_argument("--lang", choices=("fr", "en"), default="en", help="language of messages")
    validate.add_argument(
        "--format",
        choices=("text", "json", "turtle"),
        default="text",
        help="text for people, json for machines, turtle for the SHACL results graph",
    )
    validate.add_argument(
        "--infer",
        action="store_true",
        help="write the types HermiT infers to dist/inferred.ttl and the store's graph "
        "…/graph/inferred",
    )
    validate.add_argument(
        "--build", type=Path, default=None, help="build directory (default: dist/)"
    )
    _add_serve_and_push(commands)
    return parser


def _add_serve_and_push(commands: argparse._SubParsersAction[_Parser]) -> None:
    serve = commands.add_parser(
        "serve", help="serve the last build: SPARQL 1.1 endpoint at /sparql, query page at /"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    serve.add_argument("--build", type=Path, default=None, help="build directory (default: dist/)")
    serve.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a query may run (default: 10)"
    )
    serve.add_argument(
        "--max-rows", type=int, default=10_000, help="most rows in an answer (default: 10000)"
    )
    serve.add_argument(
        "--max-request-bytes",
        type=int,
        default=100_000,
        help="largest request body or URL (default: 100000)",
    )
    serve.add_argument(
        "--allow-update",
        action="store_true",
        help="accept SPARQL Update, written to the build's store (one worker then)",
    )
    serve.add_argument(
        "--allow-service",
        metavar="URL",
        action="append",
        default=[],
        help="an endpoint that SERVICE may call (repeatable; default: none)",
    )
    serve.add_argument(
        "--workers", type=int, default=None, help="query worker processes (default: 2 to 4)"
    )

    publish = commands.add_parser(
        "publish",
        help="write the build as a static linked-data site with dumps and a dataset description",
    )
    publish.add_argument(
        "--build", type=Path, default=None, help="build directory (default: dist/)"
    )
    publish.add_argument(
        "--out", type=Path, default=None, help="site directory (default: dist/site)"
    )
    publish.add_argument(
        "--base-url",
        default="https://w3id.org/tipkg/",
        help="where the site will be hosted; links use it, the RDF keeps the canonical IRIs",
    )

    links = commands.add_parser(
        "links", help="coverage of the links to SHERLOC, Wikidata, UNBIS, SDG targets, treaty pages"
    )
    links.add_argument(
        "--check", action="store_true", help="check them offline (exit 1 on a fault)"
    )
    links.add_argument(
        "--online", action="store_true", help="also ask each address, politely (at most 50)"
    )
    links.add_argument("--lang", choices=("fr", "en"), default="en", help="language of labels")
    links.add_argument("--build", type=Path, default=None, help="build directory (default: dist/)")
    links.add_argument("--list", action="store_true", help="also list every link, by target")
    links.add_argument(
        "--mappings", type=Path, default=None, help="link sets (default: data/mappings/)"
    )

    push = commands.add_parser(
        "push", help="load the last build into a store by the SPARQL 1.1 Graph Store Protocol"
    )
    push.add_argument(
        "--endpoint",
        metavar="URL",
        required=True,
        help="the Graph Store Protocol URL (Oxigraph: …/store; Fuseki: …/DATASET/data)",
    )
    push.add_argument(
        "--graph", metavar="IRI", default=None, help="put the whole build into this one graph"
    )
    push.add_argument("--build", type=Path, default=None, help="build directory (default: dist/)")
    push.add_argument(
        "--chunk-triples",
        type=int,
        default=100_000,
        help="graphs larger than this go in N-Triples chunks of this size (default: 100000)",
    )
    push.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per request (default: 300)"
    )
    push.add_argument(
        "--user",
        default=None,
        help="user for HTTP basic or digest authentication (password: $TIPKG_PASSWORD)",
    )


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
        if args.command == "links":
            return _links(args)
        if args.command == "publish":
            return _publish(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "push":
            return _push(args)
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

    if args.endpoint:
        return _query_remote(args)
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
    from tipkg.paths import SOURCES_DIR
    from tipkg.rdf.turtle import read_turtle
    from tipkg.reference import load_reference
    from tipkg.validate.gate import run_gate
    from tipkg.validate.owl import ReasonerUnavailable

    build_dir = _dist(args.build)
    reports: dict[str, Path] = {}
    extra_context: Graph | None = None
    sources = [build_dir / "sources", SOURCES_DIR]
    if args.files:
        for path in args.files:
            if not path.is_file():
                raise InputError(path, None, "no such file")
            reports[path.name] = path
            sources.append(path.parent)
    else:
        manifest = build_dir / MANIFEST
        if not manifest.exists():
            raise InputError(build_dir, None, "no build here: run `tipkg build` or name files")
        for path in json.loads(manifest.read_text(encoding="utf-8"))["graphs"].values():
            if path.startswith("reports/"):
                reports[Path(path).stem] = build_dir / path
            elif path in ("build.ttl", "links.ttl"):
                graph = read_turtle(build_dir / path)
                extra_context = graph if extra_context is None else extra_context + graph
    ontology, reference = load_ontology(), load_reference()
    try:
        report = run_gate(
            ontology,
            reference,
            reports,
            sources,
            extra_context=extra_context,
            only=args.only,
            lang=args.lang,
        )
        if args.infer:
            _infer(build_dir, ontology + reference, reports)
    except ReasonerUnavailable as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "turtle":
        from tipkg.rdf.turtle import canonical_turtle

        print(canonical_turtle(report.shacl.results_graph) if report.shacl else "", end="")
    else:
        print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_FAILED


def _publish(args: argparse.Namespace) -> int:
    from tipkg.publish import publish

    build_dir = _dist(args.build)
    if not (build_dir / "build.json").exists():
        raise InputError(build_dir, None, "no build here: run `tipkg build` first")
    out = args.out if args.out is not None else build_dir / "site"
    summary = publish(build_dir, out, args.base_url)
    print("\n".join(summary.lines()))
    return EXIT_OK


def _links(args: argparse.Namespace) -> int:
    from tipkg.links import (
        MAPPINGS_DIR,
        built_graph,
        check_links,
        check_online,
        check_rows,
        compile_links,
        coverage,
        coverage_lines,
        links_table,
        load_mappings,
    )
    from tipkg.ontology import load_ontology
    from tipkg.reference import load_reference

    build_dir = _dist(args.build)
    if not (build_dir / "build.json").exists():
        raise InputError(build_dir, None, "no build here: run `tipkg build` first")
    mappings = load_mappings(args.mappings or MAPPINGS_DIR)
    links = compile_links(mappings)
    data = load_ontology() + load_reference() + built_graph(build_dir)
    rows = links_table(links, data, args.lang)
    if args.list:
        for scheme in sorted({row[3] for row in rows}):
            chosen = [row for row in rows if row[3] == scheme]
            print(f"{scheme} ({len(chosen)} links)")
            for resource, label, target, _ in chosen:
                print(f"  {label or resource}\n    <{resource}> → <{target}>")
    for line in coverage_lines(coverage(mappings, links, data, args.lang)):
        print(line)
    problems = []
    if args.check or args.online:
        problems = check_rows(mappings, data) + check_links(links, data)
    if args.online:
        problems += check_online(links)
    for problem in problems:
        print(f"links: {problem}")
    if args.check or args.online:
        print(f"links: {'passed' if not problems else 'failed'} ({len(rows)} links checked)")
    return EXIT_FAILED if problems else EXIT_OK


def _infer(build_dir: Path, context: Any, reports: dict[str, Any]) -> None:
    """Materialise the types HermiT infers into their own named graph, apart from the data."""
    import pyoxigraph as ox

    from tipkg import iris
    from tipkg.rdf.turtle import canonical_turtle, read_turtle
    from tipkg.validate.owl import infer_types

    data = context
    for report in reports.values():
        data = data + read_turtle(report)
    inferred = infer_types(data)
    path = build_dir / "inferred.ttl"
    path.write_text(
        canonical_turtle(inferred, "# Generated by `tipkg validate --infer`: types HermiT infers."),
        encoding="utf-8",
    )
    store_dir = build_dir / "store"
    if (store_dir / "CURRENT").exists():
        store = ox.Store(str(store_dir))
        name = ox.NamedNode(str(iris.named_graph("inferred", "")))
        if store.contains_named_graph(name):
            store.remove_graph(name)
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=name)
        store.flush()
    print(f"inferred: {len(inferred)} triples written to {path}", file=sys.stderr)


def _query_remote(args: argparse.Namespace) -> int:
    from tipkg.remote import remote_select

    _, text = resolve_query(args.query)
    table = remote_select(
        args.endpoint, text, timeout=args.timeout, default_graphs=tuple(args.default_graph)
    )
    _print_table(table.columns, table.rows, args.format)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from tipkg.serve import ServeOptions, default_workers, serve

    if args.timeout <= 0 or args.max_rows < 1 or args.max_request_bytes < 1:
        raise InputError("serve", None, "--timeout, --max-rows and --max-request-bytes must be > 0")
    options = ServeOptions(
        build_dir=_dist(args.build),
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes,
        allow_update=args.allow_update,
        allow_service=tuple(args.allow_service),
        workers=args.workers if args.workers else default_workers(),
    )
    return serve(options)


def _push(args: argparse.Namespace) -> int:
    import os

    from tipkg.remote import print_progress, push

    if args.chunk_triples < 1:
        raise InputError("push", None, "--chunk-triples must be > 0")
    pushed = push(
        args.endpoint,
        _dist(args.build),
        graph=args.graph,
        chunk_triples=args.chunk_triples,
        timeout=args.timeout,
        user=args.user,
        password=os.environ.get("TIPKG_PASSWORD"),
        progress=print_progress,
    )
    for item in pushed:
        print(f"pushed {item.triples} triples into <{item.graph}> ({item.requests} requests)")
    return EXIT_OK
