"""The machinery of bench/run: tipkg at scale next to what a user would write instead.

bench/run drives; this module holds the pieces:

- the corpus: how many synthetic reports (scripts/make_corpus.py) make a given number of
  triples, and the one-report change the rebuild measures;
- the tasks, each run in a child process of its own (``python bench/scale.py TASK PARAMS
  RESULT``) so that its peak memory is its own and its time can be bounded: the child writes its
  figures as JSON into RESULT; the parent samples the resident memory of the child's whole
  process tree (the child, its worker processes, a JVM) every 0.1 s and kills the child's process
  group when the step's time is up;
- the table: every figure next to its baseline, their ratio, and the target of issue 8.

Times are measured inside the child around the work itself (imports, parsing of inputs a step
only reads are left out and reported apart where they matter). Not a test: figures, never
assertions on time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import re
import resource
import selectors
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MIB = 1024 * 1024
GIB = 1024 * MIB
#: The build's time, fixed: no `git log` for it, and the same build IRI in every run.
SOURCE_DATE_EPOCH = "1700000000"

# -- sizes and the corpus ------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """ "10k" → 10_000, "1m" → 1_000_000, "250000" → 250_000."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    value = int(float(number) * scale)
    if value <= 0:
        raise ValueError(f"not a size: {text!r}")
    return value


def size_label(triples: int) -> str:
    if triples >= 1_000_000 and triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples >= 1_000 and triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


def make_corpus_module() -> ModuleType:
    """scripts/make_corpus.py, imported by path (scripts/ is no package)."""
    name = "make_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Corpus:
    directory: Path
    reports: int
    recommendations: int
    estimated_triples: int
    seconds: float


def write_corpus(target: int, seed: int, lang: str, out: Path) -> Corpus:
    """The fewest reports whose estimated build (make_corpus's per-report model, plus the
    ontology and reference data) reaches `target` triples, written into `out`."""
    mc = make_corpus_module()
    started = time.perf_counter()
    # Report i is the same whatever the corpus size on one side of LARGE_CORPUS: count as if
    # large, then regenerate as a small corpus if that is what it turns out to be.
    large = max(mc.LARGE_CORPUS, 1)
    reports: list[Any] = []
    total = mc.TRIPLES_FIXED
    while total < target:
        report = mc.generate_report(len(reports), seed, None, lang, large)
        reports.append(report)
        total += report.estimated_triples()
    if not reports:
        reports = [mc.generate_report(0, seed, None, lang, 1)]
    if len(reports) < mc.LARGE_CORPUS:
        reports = mc.generate(len(reports), seed, None, lang)
    out.mkdir(parents=True, exist_ok=True)
    for report in reports:
        report.write(out)
    return Corpus(
        out,
        len(reports),
        sum(len(r.recommendations) for r in reports),
        mc.TRIPLES_FIXED + sum(r.estimated_triples() for r in reports),
        time.perf_counter() - started,
    )


_HEADING = re.compile(r"(Recommandation|Recommendation)\s+\d+")


def touch_one(corpus: Path) -> Path:
    """Change one source as an editor would, without changing what it says: append a space to
    the first line of the first recommendation of the first report. Returns the file."""
    for path in sorted(corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if not _HEADING.fullmatch(line.strip()):
                continue
            for j in range(i + 1, len(lines)):
                if lines[j].strip():
                    lines[j] += " "
                    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
                    return path
    raise RuntimeError(f"no recommendation line to change in {corpus}")


# -- children: running a task with a deadline and its peak memory --------------------------------


def _tree_rss(root: int) -> int:
    """Memory of `root` and all its descendants, from /proc (0 where unreadable): each process's
    proportional set size (Pss: a page shared by n processes counts 1/n in each, so forked
    workers sharing their parent's pages are not counted twice), else its resident size."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    page = os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss(pid) or _rss(pid, page)
        stack.extend(children.get(pid, ()))
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _rss(pid: int, page: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0


class _Sampler(threading.Thread):
    """The peak of a process tree's resident memory, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(5)
        return self.peak


@dataclass
class Outcome:
    """What a child reported (`value`), or why it did not (`error`: "timeout" or a message)."""

    value: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    wall: float = 0.0
    peak: int = 0
    """Peak resident bytes of the child's process tree: the larger of the sampled sum and the
    child's own ru_maxrss."""

    @property
    def ok(self) -> bool:
        return not self.error


def run_task(
    task: str,
    params: dict[str, Any],
    *,
    timeout: float,
    workdir: Path,
    line_timeout: float | None = None,
    on_line: Callable[[dict[str, Any]], float | None] | None = None,
) -> Outcome:
    """Run TASKS[task](params) in a child process of its own, in its own process group.

    `timeout` bounds the whole; `line_timeout`, if given, bounds the wait for each JSON line the
    child prints (each is passed to `on_line`, which may return a new `line_timeout`); when either
    runs out the group is killed and the outcome's error is "timeout"."""
    workdir.mkdir(parents=True, exist_ok=True)
    stamp = f"{task}-{time.monotonic_ns()}"
    result = workdir / f"{stamp}.json"
    log = workdir / f"{stamp}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    command = [sys.executable, str(Path(__file__).resolve()), task, json.dumps(params), str(result)]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=ROOT,
            env=env,
        )
    sampler = _Sampler(process.pid)
    sampler.start()
    outcome = Outcome()
    assert process.stdout is not None
    deadline = started + timeout
    buffer = b""
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            last_line = time.monotonic()
            while True:
                now = time.monotonic()
                limit = deadline - now
                if line_timeout is not None:
                    limit = min(limit, last_line + line_timeout - now)
                if limit <= 0:
                    outcome.error = "timeout"
                    break
                if not selector.select(min(limit, 1.0)):
                    continue
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    last_line = time.monotonic()
                    if on_line is None:
                        continue
                    try:
                        parsed = json.loads(line)
                    except ValueError:
                        continue
                    following = on_line(parsed)
                    if following is not None:
                        line_timeout = following
        if outcome.error:
            _kill_group(process)
        else:
            try:
                process.wait(max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(process)
                outcome.error = "timeout"
    except BaseException:
        _kill_group(process)
        raise
    finally:
        outcome.peak = sampler.stop()
        outcome.wall = time.monotonic() - started
        process.stdout.close()
    if not outcome.error and result.exists():
        outcome.value = json.loads(result.read_text(encoding="utf-8"))
        outcome.peak = max(outcome.peak, int(outcome.value.get("maxrss_self", 0)))
    elif not outcome.error:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        outcome.error = f"failed (exit {process.returncode}): " + " | ".join(tail)
    return outcome


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the child and everything it started (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # a server the child started may sit in the group after the child has gone
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# -- the build's files ---------------------------------------------------------------------------


def build_graphs(build_dir: Path) -> list[tuple[str, Path]]:
    """(named graph, Turtle file) of every graph of a build, from its manifest."""
    manifest = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    return [(name, build_dir / rel) for name, rel in manifest["graphs"].items()]


def _is_report(build_dir: Path, path: Path) -> bool:
    return path.relative_to(build_dir).parts[0] == "reports"


def source_key(build_dir: Path, file_name: str) -> str:
    """The document key the build gave the source file `file_name`."""
    manifest = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    for source in manifest.get("sources", []):
        if source.get("path") == file_name:
            return str(source["key"])
    raise KeyError(file_name)


def competency_queries() -> list[tuple[str, str]]:
    return [
        (path.stem, path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "queries" / "competency").glob("*.rq"))
    ]


# -- tasks (each runs in a child) ----------------------------------------------------------------


def task_build(p: dict[str, Any]) -> dict[str, Any]:
    """tipkg.build.build over every source of the corpus into `out`."""
    from tipkg.build import build

    if p.get("no_owl"):
        _skip_owl()
    sources = sorted(Path(p["corpus"]).glob("*.txt"))
    started = time.perf_counter()
    summary = build(sources, Path(p["out"]))
    seconds = time.perf_counter() - started
    gate = getattr(summary, "gate", None)
    return {
        "seconds": seconds,
        "triples": getattr(summary, "triples", 0),
        "documents": getattr(summary, "documents", 0),
        "recommendations": getattr(summary, "recommendations", 0),
        "rebuilt": getattr(summary, "rebuilt", None),
        "gate_seconds": dict(getattr(gate, "seconds", {}) or {}),
        "context_reused": bool(getattr(summary, "context_reused", False)),
        "stages": dict(getattr(summary, "stages", {}) or {}),
    }


def _skip_owl() -> None:
    """bench/run --no-owl: the build's HermiT check (OWL consistency over the ontology, the
    reference data and every report that changed) answers "consistent" at once. For sizes where
    that check alone outlasts the step's time: the other figures can then be measured; the table
    says the check was skipped."""
    from tipkg.validate import gate
    from tipkg.validate.owl import OwlResult

    if not hasattr(gate, "check_consistency"):
        raise RuntimeError("--no-owl: tipkg.validate.gate.check_consistency is gone")

    def skipped(data: object) -> OwlResult:
        return OwlResult(True, [], "skipped by bench/run --no-owl", 0.0)

    gate.check_consistency = skipped  # type: ignore[assignment]


def _bulk_load(location: str | None, build_dir: Path) -> dict[str, Any]:
    import pyoxigraph as ox

    files = build_graphs(build_dir)
    started = time.perf_counter()
    store = ox.Store(location) if location else ox.Store()
    for name, path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
    if location:
        store.flush()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": len(store), "files": len(files)}


def task_oxload(p: dict[str, Any]) -> dict[str, Any]:
    """Baseline: pyoxigraph's own in-memory bulk load of the build's Turtle files."""
    return _bulk_load(None, Path(p["build"]))


def task_store_load(p: dict[str, Any]) -> dict[str, Any]:
    """pyoxigraph's on-disk store, bulk-loaded from the build's Turtle files into `store`."""
    return _bulk_load(p["store"], Path(p["build"]))


def _graphs_for_validation(
    build_dir: Path, only: str | None = None, parse: bool = True
) -> tuple[dict[str, Any], Any, Any]:
    """(reports by key, the reference graph, the other context graphs merged) from the build's
    Turtle: each report parsed into an rdflib graph, or its path if not `parse`; `only` keeps
    one report."""
    from rdflib import Graph

    reports: dict[str, Any] = {}
    reference = Graph()
    others = Graph()
    for _, path in build_graphs(build_dir):
        if _is_report(build_dir, path):
            if only is None or path.stem == only:
                reports[path.stem] = Graph().parse(path, format="turtle") if parse else path
        elif path.name == "reference.ttl":
            reference.parse(path, format="turtle")
        else:
            others.parse(path, format="turtle")
    return dict(sorted(reports.items())), reference, others


def _gate_module() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    import gate  # bench/gate.py: plant() and violations_of()

    return gate


def task_validate(p: dict[str, Any]) -> dict[str, Any]:
    """Full SHACL validation of the build, by tipkg (per report: each worker reads its report's
    Turtle) or by plain pyshacl (the union graph, parsed first); with `plant`, over a copy with
    bench/gate.py's faults planted (in the first report, read here, and the reference data)."""
    import pyshacl
    from rdflib import Graph

    from tipkg.validate.shacl import load_shapes, validate_reports

    gate = _gate_module()
    started = time.perf_counter()
    tipkg = p["engine"] == "tipkg"
    reports, reference, others = _graphs_for_validation(Path(p["build"]), parse=not tipkg)
    shapes = load_shapes()
    if p["plant"]:
        first = next(iter(reports))
        planted = {
            first: Graph().parse(reports[first], format="turtle") if tipkg else reports[first]
        }
        gate.plant(planted, reference)
        reports[first] = planted[first]
    context = reference + others
    union = None
    if not tipkg:
        union = Graph()
        union += context
        for graph in reports.values():
            union += graph
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    context_seconds = None
    if tipkg:
        report = validate_reports(reports, context, shapes=shapes)
        results = report.results_graph
        context_seconds = report.runs.get("context")
    else:
        _, results, _ = pyshacl.validate(
            union, shacl_graph=shapes, inference="none", allow_warnings=True
        )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "parse_seconds": parse_seconds,
        "context_seconds": context_seconds,
        "violations": sorted(gate.violations_of(results)),
        "reports": len(reports),
    }


def task_revalidate(p: dict[str, Any]) -> dict[str, Any]:
    """validate_reports({one: graph}, context): what changes when one report changed."""
    from tipkg.validate.shacl import load_shapes, validate_reports

    reports, reference, others = _graphs_for_validation(Path(p["build"]), only=p["key"])
    if not reports:
        raise KeyError(f"no report {p['key']} in the build")
    context = reference + others
    shapes = load_shapes()
    started = time.perf_counter()
    validate_reports(reports, context, shapes=shapes)  # checks the context, kept from then on
    cold = time.perf_counter() - started
    times, context_times = [], []
    for _ in range(p["repeat"]):
        started = time.perf_counter()
        report = validate_reports(reports, context, shapes=shapes)
        times.append(time.perf_counter() - started)
        context_times.append(report.runs.get("context", math.nan))
    return {
        "seconds": statistics.median(times),
        "times": times,
        "cold_seconds": cold,
        "context_seconds": statistics.median(context_times),
        "triples": sum(len(g) for g in reports.values()),
        "context_triples": len(context),
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 3 runs is the slowest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def task_cq(p: dict[str, Any]) -> dict[str, Any]:
    """Every competency question through tipkg.store.select and through pyoxigraph directly,
    on the build's store, interleaved run by run (after one warm-up run of each)."""
    import pyoxigraph as ox

    from tipkg.store import open_read_only, select

    store_dir = Path(p["build"]) / "store"
    ours = open_read_only(store_dir)
    theirs = ox.Store.read_only(str(store_dir))

    def direct(query: str) -> int:
        result = theirs.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        names = result.variables
        return len([[solution[v] for v in names] for solution in result])

    def product(query: str) -> int:
        return len(select(ours, query).rows)

    out: dict[str, Any] = {}
    for name, query in competency_queries():
        rows = {"tipkg": product(query), "pyoxigraph": direct(query)}
        times: dict[str, list[float]] = {"tipkg": [], "pyoxigraph": []}
        for _ in range(p["repeat"]):
            for engine, run in (("tipkg", product), ("pyoxigraph", direct)):
                started = time.perf_counter()
                run(query)
                times[engine].append(time.perf_counter() - started)
        out[name] = {"rows": rows, "times": times}
    return {"queries": out}


def task_rdflib(p: dict[str, Any]) -> dict[str, Any]:
    """rdflib's SPARQL engine on an rdflib Graph of the union of the build's Turtle: one JSON line
    after the parse, then one per query run (so the parent can bound each run)."""
    from rdflib import Graph

    started = time.perf_counter()
    graph = Graph()
    for _, path in build_graphs(Path(p["build"])):
        graph.parse(path, format="turtle")
    graph.query("ASK { ?s ?p ?o }")  # rdflib's SPARQL parser and algebra, set up once
    _emit({"event": "parsed", "seconds": time.perf_counter() - started, "triples": len(graph)})
    wanted = set(p["queries"])
    for name, query in competency_queries():
        if name not in wanted:
            continue
        for i in range(p["repeat"]):
            started = time.perf_counter()
            rows = len(list(graph.query(query)))
            _emit({"q": name, "i": i, "seconds": time.perf_counter() - started, "rows": rows})
    return {}


def _emit(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


ENDPOINT_ROWS = "1000000"
"""tipkg serve's --max-rows in the endpoint step (default 10,000: at 1M two competency questions
pass it and would be refused while Oxigraph's server answers them)."""
ENDPOINT_OPTIONS = ("--max-rows", ENDPOINT_ROWS, "--max-slow", "0")
"""--max-slow 0 as well: at 1M the competency questions run past --slow-after, and the driver's
clients share one address, so all but one at a time would be stopped as a client's second slow
query (429), while Oxigraph's server, which has no such rule, answers them."""


def task_endpoint(p: dict[str, Any]) -> dict[str, Any]:
    """`tipkg serve` and Oxigraph's `serve-read-only` under the same load (bench/endpoint.py's
    driver: `clients` processes, one keep-alive connection each, the competency questions in
    turn, up to `count` queries or `seconds` each)."""
    sys.path.insert(0, str(BENCH))
    import endpoint  # bench/endpoint.py

    from tipkg.web.launch import start_oxigraph, start_tipkg

    texts = [text for _, text in competency_queries()]
    common = (texts, p["clients"], p["count"], p["seconds"])
    out: dict[str, Any] = {}
    for name, start, path in (
        # The row cap raised above every answer, no slow places: both servers do the same work.
        ("tipkg", lambda: start_tipkg(Path(p["build"]), *ENDPOINT_OPTIONS), "/sparql"),
        ("oxigraph", lambda: start_oxigraph(Path(p["store"]), read_only=True), "/query"),
    ):
        server = start()
        try:
            load = endpoint.drive(name, server.base_url, path, *common)
        finally:
            server.stop()
        out[name] = {
            "queries": load.queries,
            "errors": load.errors,
            "seconds": load.seconds,
            "throughput": load.throughput,
            "p50_ms": load.percentile(50),
            "p95_ms": load.percentile(95),
        }
    return out


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "build": task_build,
    "oxload": task_oxload,
    "store-load": task_store_load,
    "validate": task_validate,
    "revalidate": task_revalidate,
    "cq": task_cq,
    "rdflib": task_rdflib,
    "endpoint": task_endpoint,
}


def _high_water() -> int:
    """This process's peak resident bytes since its exec (VmHWM). Not ru_maxrss: Linux carries
    that over from the parent across fork and exec, so every child would report at least the
    parent's size."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child_main(argv: list[str]) -> int:
    task, params, result = argv
    value = TASKS[task](json.loads(params))
    value["maxrss_self"] = _high_water()
    value["maxrss_children"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    Path(result).write_text(json.dumps(value), encoding="utf-8")
    return 0


# -- the table ------------------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    tipkg: str = ""
    baseline: str = ""
    baseline_is: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


COLUMNS = ("measure", "tipkg", "baseline", "baseline is", "ratio", "target (issue 8)", "verdict")


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "n/a"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 100:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s"


def fmt_bytes(size: int | None) -> str:
    if not size:
        return "n/a"
    if size >= GIB:
        return f"{size / GIB:.2f} GiB"
    return f"{size / MIB:.0f} MiB"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None or math.isnan(ratio) or math.isinf(ratio):
        return "n/a"
    if ratio >= 100:
        return f"{ratio:.0f}×"
    if ratio >= 0.1:
        return f"{ratio:.2f}×"
    return f"1/{1 / ratio:.0f}" if ratio > 0 else "0"


def ratio_of(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def at_most(ratio: float | None, limit: float) -> str:
    if ratio is None:
        return "not measured"
    return "met" if ratio <= limit else f"missed by {ratio / limit:.1f}×"


def at_least(ratio: float | None, limit: float) -> str:
    if ratio is None:
        return "not measured"
    return "met" if ratio >= limit else f"missed by {limit / ratio:.1f}×"


def below(size: int | None, limit: int) -> str:
    if not size:
        return "not measured"
    return "met" if size < limit else f"missed by {fmt_bytes(size - limit)} ({size / limit:.1f}×)"


def render_text(title: str, rows: list[Row]) -> str:
    cells = [COLUMNS] + [
        (r.measure, r.tipkg, r.baseline, r.baseline_is, r.ratio, r.target, r.verdict) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [title, ""]
    for n, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(title: str, rows: list[Row]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = [f"### {title}", "", "| " + " | ".join(COLUMNS) + " |"]
    lines.append("|" + "|".join("---" for _ in COLUMNS) + "|")
    for r in rows:
        cells = (r.measure, r.tipkg, r.baseline, r.baseline_is, r.ratio, r.target, r.verdict)
        lines.append("| " + " | ".join(esc(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
