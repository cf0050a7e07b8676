"""Fairness of `tipkg serve` under runaway queries: simple queries' latency with and without
runaways running beside them.

Two runs on one `tipkg serve` of the same build (default options but --timeout):
1. runaway-free: --simple clients, each with one keep-alive connection, send simple queries (the
   competency questions in turn) one after the other for --seconds;
2. the same, while --runaways other clients each send a runaway query (a triple cross product,
   stopped by --timeout) again and again, one at a time, from the start of the run to its end.

Each client has a loopback address of its own (127.0.0.2, 127.0.0.3, …): the server tells clients
apart by address, as it would different machines. Prints the simple queries' p50 and p95 in each
run and their ratio (issue 13's target: p95 with two runaways within 2× the runaway-free p95).

Not a test: run it by hand, e.g. `.venv/bin/python bench/fairness.py`. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from endpoint import _build_dir  # bench/endpoint.py: the last build, or a fresh one

from tipkg.paths import COMPETENCY_DIR
from tipkg.web.launch import start_tipkg

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, status: int, ms: float | None = None) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if ms is not None:
            self.latencies_ms.append(ms)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _connection(base_url: str, source: str) -> http.client.HTTPConnection:
    where = urlsplit(base_url)
    return http.client.HTTPConnection(
        where.hostname or "127.0.0.1", where.port, timeout=120, source_address=(source, 0)
    )


def simple_client(base_url: str, source: str, texts: list[str], stop: float, tally: Tally) -> None:
    connection = _connection(base_url, source)
    targets = [f"/sparql?{urlencode({'query': text})}" for text in texts]
    i = 0
    while time.perf_counter() < stop:
        started = time.perf_counter()
        try:
            connection.request("GET", targets[i % len(targets)])
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = _connection(base_url, source)
        tally.add(status, (time.perf_counter() - started) * 1000)
        i += 1
    connection.close()


def runaway_client(base_url: str, source: str, stop: float, tally: Tally) -> None:
    target = f"/sparql?{urlencode({'query': RUNAWAY})}"
    while time.perf_counter() < stop:
        connection = _connection(base_url, source)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            tally.add(response.status)
        except (OSError, http.client.HTTPException):
            tally.add(0)
        finally:
            connection.close()


def run(base_url: str, texts: list[str], simple: int, runaways: int, seconds: float) -> Tally:
    simple_tally, runaway_tally = Tally(), Tally()
    stop = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=runaway_client, args=(base_url, f"127.0.0.{2 + i}", stop, runaway_tally)
        )
        for i in range(runaways)
    ]
    for thread in threads:
        thread.start()
    if runaways:
        time.sleep(1.0)  # the runaways are running (and past --slow-after) before measuring
    threads += [
        threading.Thread(
            target=simple_client,
            args=(base_url, f"127.0.0.{100 + i}", texts, stop, simple_tally),
        )
        for i in range(simple)
    ]
    for thread in threads[runaways:]:
        thread.start()
    for thread in threads:
        thread.join()
    if runaways:
        print(f"  runaway answers by status: {dict(sorted(runaway_tally.statuses.items()))}")
    return simple_tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=None, help="build directory (dist/)")
    parser.add_argument("--simple", type=int, default=2, help="clients sending simple queries")
    parser.add_argument("--runaways", type=int, default=2, help="clients sending runaways")
    parser.add_argument("--seconds", type=float, default=15.0, help="per run")
    parser.add_argument("--timeout", type=float, default=5.0, help="tipkg serve --timeout")
    parser.add_argument("--serve-option", action="append", default=[], help="passed to tipkg serve")
    args = parser.parse_args()

    build_dir, scratch = _build_dir(args.build)
    texts = [p.read_text(encoding="utf-8") for p in sorted(COMPETENCY_DIR.glob("*.rq"))]
    try:
        with start_tipkg(build_dir, "--timeout", f"{args.timeout:g}", *args.serve_option) as server:
            simple_client(server.base_url, "127.0.0.1", texts, time.perf_counter() + 1, Tally())
            print(f"runaway-free: {args.simple} simple clients, {args.seconds:g} s")
            calm = run(server.base_url, texts, args.simple, 0, args.seconds)
            print(f"with {args.runaways} runaway clients (each stopped at {args.timeout:g} s)")
            loaded = run(server.base_url, texts, args.simple, args.runaways, args.seconds)
    finally:
        if scratch is not None:
            scratch.cleanup()

    print(f"{'simple queries':<28} {'answered':>8} {'not 200':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, tally in (("runaway-free", calm), (f"beside {args.runaways} runaways", loaded)):
        failed = sum(n for status, n in tally.statuses.items() if status != 200)
        print(
            f"{name:<28} {len(tally.latencies_ms):>8} {failed:>7} "
            f"{tally.percentile(50):>8.2f} {tally.percentile(95):>8.2f}"
        )
    ratio = loaded.percentile(95) / calm.percentile(95)
    print(
        f"p95 beside {args.runaways} runaways / runaway-free: {ratio:.2f}× "
        f"(issue 13's target: ≤ 2×; p50 {loaded.percentile(50) / calm.percentile(50):.2f}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
