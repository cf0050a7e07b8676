"""Load on `tipkg serve` next to the same load on Oxigraph's own server, in the same run.

Both servers read the same on-disk store of a build (Oxigraph with `serve-read-only
--union-default-graph`, so both answer over the union of the named graphs). Each client is a
process with one persistent HTTP/1.1 connection that sends the competency questions in turn
(GET, Accept: application/sparql-results+json) until it has sent --queries of them or --seconds
have passed. Prints throughput and latency p50/p95 for each server, and their ratio.

Not a test: run it by hand, e.g. `.venv/bin/python bench/endpoint.py`. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tipkg.paths import COMPETENCY_DIR, DIST_DIR
from tipkg.web.launch import Running, start_oxigraph, start_tipkg


@dataclass(frozen=True)
class Load:
    name: str
    queries: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.queries / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def client(
    base_url: str, path: str, texts: list[str], count: int, seconds: float
) -> tuple[list[float], int]:
    """One client: a persistent connection, up to `count` queries or `seconds`."""
    split = urlsplit(base_url)
    connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port, timeout=30)
    targets = [f"{path}?{urlencode({'query': text})}" for text in texts]
    headers = {"Accept": "application/sparql-results+json"}
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    for i in range(count):
        if time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        try:
            connection.request("GET", targets[i % len(targets)], headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port)
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    return latencies, errors


def drive(
    name: str, base_url: str, path: str, texts: list[str], clients: int, count: int, seconds: float
) -> Load:
    client(base_url, path, texts, len(texts), seconds)  # warm up: every query once
    with ProcessPoolExecutor(clients, mp_context=get_context("spawn")) as pool:
        # start the processes before the clock does
        list(pool.map(time.sleep, [0.0] * clients))
        started = time.perf_counter()
        futures = [
            pool.submit(client, base_url, path, texts, count, seconds) for _ in range(clients)
        ]
        results = [f.result() for f in futures]
        elapsed = time.perf_counter() - started
    latencies = [ms for lat, _ in results for ms in lat]
    return Load(name, len(latencies), sum(e for _, e in results), elapsed, latencies)


def _build_dir(given: Path | None) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    if given is not None:
        return given, None
    if (DIST_DIR / "store" / "CURRENT").exists():
        return DIST_DIR, None
    from tipkg.build import build, default_sources

    scratch = tempfile.TemporaryDirectory(prefix="tipkg-bench-")
    out = Path(scratch.name) / "dist"
    print(f"building into {out} …", file=sys.stderr)
    build(default_sources(), out)
    return out, scratch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=None, help="build directory (dist/)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--queries", type=int, default=200, help="per client")
    parser.add_argument("--seconds", type=float, default=10.0, help="per server, at most")
    parser.add_argument("--workers", type=int, default=None, help="tipkg serve --workers")
    args = parser.parse_args()

    build_dir, scratch = _build_dir(args.build)
    texts = [p.read_text(encoding="utf-8") for p in sorted(COMPETENCY_DIR.glob("*.rq"))]
    extra = ["--workers", str(args.workers)] if args.workers else []
    loads: list[Load] = []
    servers: list[Running] = []
    try:
        tipkg = start_tipkg(build_dir, *extra)
        servers.append(tipkg)
        oxigraph = start_oxigraph(build_dir / "store", read_only=True)
        servers.append(oxigraph)
        common = (texts, args.clients, args.queries, args.seconds)
        loads.append(drive("tipkg serve", tipkg.base_url, "/sparql", *common))
        loads.append(drive("oxigraph serve-read-only", oxigraph.base_url, "/query", *common))
    finally:
        for server in servers:
            server.stop()
        if scratch is not None:
            scratch.cleanup()

    print(
        f"{args.clients} clients × up to {args.queries} queries (or {args.seconds:g} s), "
        f"{len(texts)} competency questions in turn, one keep-alive connection per client"
    )
    print(f"{'server':<26} {'queries':>7} {'errors':>6} {'q/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for load in loads:
        print(
            f"{load.name:<26} {load.queries:>7} {load.errors:>6} {load.throughput:>8.0f} "
            f"{load.percentile(50):>8.2f} {load.percentile(95):>8.2f}"
        )
    ours, theirs = loads
    print(
        f"tipkg / oxigraph: throughput {ours.throughput / theirs.throughput:.2f}×, "
        f"p50 {ours.percentile(50) / theirs.percentile(50):.1f}×, "
        f"p95 {ours.percentile(95) / theirs.percentile(95):.1f}× "
        f"(mean latency {statistics.fmean(ours.latencies_ms):.2f} vs "
        f"{statistics.fmean(theirs.latencies_ms):.2f} ms)"
    )
    return 0 if ours.errors == theirs.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
