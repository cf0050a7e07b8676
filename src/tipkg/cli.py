"""The `tipkg` command.

Exit codes: 0 ok; 1 a check failed (validation, consistency, QC); 2 usage or input error (a
message names the file, the line and the problem; an error tipkg did not foresee says so, also
with 2). Never a traceback, unless TIPKG_DEBUG is set.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tipkg import __version__
from tipkg.errors import InputError, decode_utf8, line_of

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
        help="source texts or PDFs (default: every data/sources/*.txt and *.pdf)",
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
        "--allow-service",
        metavar="URL",
        action="append",
        default=[],
        help="an endpoint that SERVICE may call (repeatable; default: none, as `tipkg serve`)",
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
        "--allow-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="a site whose pages may send updates, e.g. https://example.org (repeatable; "
        "default: only this endpoint's own pages)",
    )
    serve.add_argument(
        "--token-env",
        metavar="VAR",
        default=None,
        help="updates must carry `Authorization: Bearer TOKEN`, TOKEN being the value of the "
        "environment variable VAR",
    )
    serve.add_argument(
        "--workers", type=int, default=None, help="query worker processes (default: 2 to 4)"
    )
    serve.add_argument(
        "--max-slow",
        type=int,
        default=2,
        help="queries that may run past --slow-after at once, one per client, on workers of "
        "their own (default: 2; 0: no such limit)",
    )
    serve.add_argument(
        "--slow-after",
        type=float,
        default=0.5,
        help="seconds after which a query is slow: it then runs at the least CPU priority "
        "(default: 0.5, at most half of --timeout)",
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
        default="",
        help="where the site will be hosted (default: relative links, so the site works from "
        "disk and from any path); links use it, the RDF keeps the canonical IRIs",
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
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    # rdflib logs a warning with a traceback for each ill-typed literal it parses; the gate
    # reports those literals itself.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    command = _COMMANDS[args.command]
    try:
        return command(args)
    except InputError as err:
        print(f"tipkg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`tipkg query … | head`): stop quietly, without another write
        # to the closed pipe when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("tipkg: output closed before the end", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tipkg: interrupted", file=sys.stderr)
        return 130
    except Exception as err:
        if os.environ.get("TIPKG_DEBUG"):
            raise
        print(
            f"tipkg: internal error: {type(err).__name__}: {err}\n"
            "tipkg: this is a bug in tipkg, not in your input; TIPKG_DEBUG=1 shows where",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _dist(path: Path | None) -> Path:
    from tipkg.paths import DIST_DIR

    return path if path is not None else _as_typed(DIST_DIR)


def _as_typed(path: Path) -> Path:
    """A default path as the user would type it from where they are (``data/sources/x.pdf``),
    so that warnings and summaries name files the way they were asked for; absolute when the
    path lies outside the working directory."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _build(args: argparse.Namespace) -> int:
    from tipkg.build import CheckFailed, build, default_sources
    from tipkg.validate.owl import ReasonerError

    sources = list(args.sources) or [_as_typed(p) for p in default_sources()]
    try:
        summary = build(sources, _dist(args.out))
    except CheckFailed as failed:
        for warning in failed.warnings:
            print(warning, file=sys.stderr)
        print(
            f"tipkg: the build failed its checks; nothing was written.\n{failed}", file=sys.stderr
        )
        return EXIT_FAILED
    except ReasonerError as err:
        print(f"tipkg: error: the OWL check could not run: {err}", file=sys.stderr)
        return EXIT_USAGE
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    print("\n".join(summary.lines()))
    return EXIT_OK


def resolve_query(name: str) -> tuple[str, str]:
    """The file a query names (a competency question's name, or a path) and its text;
    InputError naming the file, and the line where there is one, when it is no query."""
    from tipkg.paths import COMPETENCY_DIR

    path = Path(name)
    if not path.suffix and (COMPETENCY_DIR / f"{name}.rq").is_file():
        path = COMPETENCY_DIR / f"{name}.rq"  # a competency question's name comes first
    if path.is_dir():
        raise InputError(name, None, "a directory, not a query file")
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in COMPETENCY_DIR.glob("*.rq")))
        raise InputError(name, None, f"no such query file or name (known names: {known})")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror or err}") from err
    text = decode_utf8(path, raw)
    from tipkg.web.scan import tokenize, unescape_codepoints

    if not tokenize(unescape_codepoints(text)):
        raise InputError(path, None, "no query in the file (empty, or only comments)")
    return str(path), text


def check_read_only(where: str, text: str, allowed_services: Sequence[str] | None = ()) -> None:
    """Refuse an update, and any SERVICE call to an endpoint not in `allowed_services` (None:
    any), before the engine sees the query: the endpoint's own tokenizer (tipkg.web.scan)
    decides, so `tipkg query` and `tipkg serve` refuse the same requests."""
    from tipkg.web.scan import WORD, scan, tokenize, unescape_codepoints

    found = scan(text)
    decoded = unescape_codepoints(text)
    words = [t for t in tokenize(decoded) if t.kind == WORD]
    if found.is_update:
        offset = next(t.offset for t in words if t.text.upper() == found.form)
        raise InputError(
            where,
            line_of(decoded, offset),
            f"a SPARQL update ({found.form}), not a query: `tipkg query` is read-only "
            "(SELECT only); load changes with `tipkg build`, or into a store with `tipkg push`",
        )
    if allowed_services is None:
        return
    lines = [line_of(decoded, t.offset) for t in words if t.text.upper() == "SERVICE"]
    for line, endpoint in zip(lines, found.services, strict=True):
        if endpoint is None:
            raise InputError(
                where,
                line,
                "SERVICE with a variable or an undeclared prefix cannot be checked: refused",
            )
        if endpoint not in allowed_services:
            raise InputError(
                where,
                line,
                f"SERVICE <{endpoint}> is refused: `tipkg query` calls no other endpoint "
                f"unless allowed (--allow-service {endpoint})",
            )


_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+)")


def _query(args: argparse.Namespace) -> int:
    from tipkg.store import open_read_only, select

    if args.endpoint:
        return _query_remote(args)
    where, text = resolve_query(args.query)
    check_read_only(where, text, args.allow_service)
    store_dir = _dist(args.build) / "store"
    try:
        store = open_read_only(store_dir)
    except OSError as err:
        raise InputError(store_dir, None, f"cannot open the store: {err}") from err
    try:
        table = select(store, text)
    except InputError as err:
        position = _ENGINE_POSITION.search(err.problem)
        raise InputError(where, int(position[1]) if position else None, err.problem) from err
    except (OSError, RuntimeError, ValueError) as err:
        # What the engine raises while it runs: an unreachable SERVICE, a failed cast...
        raise InputError(where, None, f"the query failed while running: {err}") from err
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

    from tipkg.ontology import load_ontology
    from tipkg.outputs import read_manifest
    from tipkg.paths import SOURCES_DIR
    from tipkg.rdf.turtle import read_turtle
    from tipkg.reference import load_reference
    from tipkg.validate.gate import run_gate
    from tipkg.validate.owl import ReasonerError

    build_dir = _dist(args.build)
    reports: dict[str, Path] = {}
    extra_context: Graph | None = None
    sources = [build_dir / "sources", SOURCES_DIR]
    if args.files:
        for path in args.files:
            if path.is_dir():
                raise InputError(path, None, "a directory, not a Turtle file")
            if not path.is_file():
                raise InputError(path, None, "no such file")
            if path.name in reports:
                raise InputError(path, None, f"named twice (or as {reports[path.name]})")
            reports[path.name] = path
            sources.append(path.parent)
    else:
        for path in read_manifest(build_dir)["graphs"].values():
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
            # Files may hold the ontology and reference data themselves (the full dump does):
            # their own statements are checked as the context, not as data.
            strip_context=bool(args.files),
        )
        if args.infer and report.ok:
            _infer(build_dir, ontology + reference, reports)
    except ReasonerError as err:
        print(f"tipkg: error: the OWL check could not decide: {err}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "turtle":
        from tipkg.rdf.turtle import canonical_turtle

        print(canonical_turtle(report.shacl.results_graph) if report.shacl else "", end="")
    else:
        print("\n".join(report.lines()))
    if report.ok:
        return EXIT_OK
    if report.failed:
        print(f"tipkg: validation failed: {', '.join(report.failed)}", file=sys.stderr)
        return EXIT_FAILED
    print(
        "tipkg: error: the OWL check could not decide: " + "; ".join(report.undecided),
        file=sys.stderr,
    )
    return EXIT_USAGE


def _publish(args: argparse.Namespace) -> int:
    from tipkg.outputs import read_manifest
    from tipkg.publish import publish

    if any(c.isspace() or c in '"<>\\`' for c in args.base_url):
        raise InputError("--base-url", None, f"not a URL (a space or quote): {args.base_url!r}")
    build_dir = _dist(args.build)
    read_manifest(build_dir)
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
    from tipkg.outputs import read_manifest
    from tipkg.reference import load_reference

    build_dir = _dist(args.build)
    read_manifest(build_dir)
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

    _endpoint_url(args.endpoint)
    if args.timeout <= 0:
        raise InputError("query", None, "--timeout must be > 0")

    where, text = resolve_query(args.query)
    # SERVICE is the remote endpoint's business, an update is not a query anywhere
    check_read_only(where, text, allowed_services=None)
    table = remote_select(
        args.endpoint, text, timeout=args.timeout, default_graphs=tuple(args.default_graph)
    )
    _print_table(table.columns, table.rows, args.format)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:

    from tipkg.web.app import ServeOptions, default_workers
    from tipkg.web.server import serve

    if args.timeout <= 0 or args.max_rows < 1 or args.max_request_bytes < 1:
        raise InputError("serve", None, "--timeout, --max-rows and --max-request-bytes must be > 0")
    if not 0 <= args.port <= 65535:
        raise InputError("serve", None, f"--port must be 0 to 65535, not {args.port}")
    if args.workers is not None and args.workers < 1:
        raise InputError("serve", None, f"--workers must be at least 1, not {args.workers}")
    for url in args.allow_service:
        _endpoint_url(url, "--allow-service")
    store_dir = _dist(args.build) / "store"
    if not (store_dir / "CURRENT").exists():
        raise InputError(store_dir, None, "no store here: run `tipkg build` first")
    if args.max_slow < 0 or args.slow_after <= 0:
        raise InputError("serve", None, "--max-slow must be >= 0 and --slow-after > 0")
    token = None
    if args.token_env is not None:
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            raise InputError(
                "serve", None, f"--token-env {args.token_env}: that variable is unset or empty"
            )
    options = ServeOptions(
        build_dir=_dist(args.build),
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes,
        allow_update=args.allow_update,
        allow_service=tuple(args.allow_service),
        allow_origin=tuple(args.allow_origin),
        token=token,
        workers=args.workers if args.workers else default_workers(),
        max_slow=args.max_slow,
        slow_after=args.slow_after,
    )
    return serve(options)


def _push(args: argparse.Namespace) -> int:
    import os

    from tipkg.remote import print_progress, push

    if args.chunk_triples < 1:
        raise InputError("push", None, "--chunk-triples must be > 0")
    if args.timeout <= 0:
        raise InputError("push", None, "--timeout must be > 0")
    _endpoint_url(args.endpoint)
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


def _endpoint_url(url: str, option: str = "--endpoint") -> str:
    """An http(s) URL with a host, or InputError."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(option, None, f"not an http(s) URL: {url!r}")
    return url


_COMMANDS = {
    "build": _build,
    "query": _query,
    "validate": _validate,
    "links": _links,
    "publish": _publish,
    "serve": _serve,
    "push": _push,
}
