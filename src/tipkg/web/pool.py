"""Worker processes that evaluate SPARQL over the store, each request under a time limit.

pyoxigraph has no query timeout and no way to cancel a running query. It does release the GIL
while it evaluates, iterates and serialises (measured with 0.5.13: a thread ticking every
millisecond kept ticking through a 10 s query), so threads alone would keep other clients served
but could never stop a runaway: it would hold a core until it finished. So each query runs in a
worker process holding its own read-only handle on the store (RocksDB allows many read-only
openers); the HTTP thread waits on the worker's pipe for at most the time limit, and past it kills
the worker (SIGKILL) and starts a replacement in the background. Other clients are served by the
other workers meanwhile.

Fair under runaways: a query still running after `slow_after` seconds is slow. Its worker is
lowered to the least CPU priority (nice 19), so that the short queries of everyone else go first on
the cores, and it takes one of `max_slow` slow places, at most one per client: a client's second
slow query at once is stopped (429), and so is a slow query when every slow place is taken (503),
both with Retry-After. The pool holds `size + max_slow` workers, so that `size` of them are always
left for the short queries however many runaways there are. A slow query's worker gets its
priority back when the query ends, or is replaced when the operating system does not allow that.

The row limit is enforced in the worker while pyoxigraph streams the answer out (see _Capped): at
the first row past the limit the serialiser is stopped and the client gets an error, so a huge
answer is never built. Answers are serialised in the worker; the HTTP thread only copies bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import math
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tipkg.dataset import dataset
from tipkg.web.formats import GRAPH_OX, RESULTS_OX, content_type

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

ROW_LIMIT_STATUS = 422  # the query is well formed, but its answer is larger than we send
TIMEOUT_STATUS = 503  # as Apache Jena Fuseki answers a query stopped by its time limit
CLIENT_LIMIT_STATUS = 429  # Too Many Requests (RFC 6585): this client's slow place is taken
SLOW_NICE = 19  # the priority of a slow query's worker: the least


@dataclass(frozen=True)
class Job:
    """One SPARQL request for a worker."""

    text: str
    update: bool = False
    results: str = "json"  # a key of formats.RESULT_FORMATS
    graph: str = "turtle"  # a key of formats.GRAPH_FORMATS
    default_graphs: tuple[str, ...] = ()  # default-graph-uri; none: the union of all graphs
    named_graphs: tuple[str, ...] = ()  # named-graph-uri; none: every named graph
    prefixes: tuple[tuple[str, str], ...] = ()  # for Turtle / RDF-XML answers
    max_rows: int = 10_000


@dataclass(frozen=True)
class Answer:
    """What goes back over HTTP: status, Content-Type, body, and the row count for the log."""

    status: int
    content_type: str
    body: bytes
    rows: int = 0
    headers: tuple[tuple[str, str], ...] = ()


def text_answer(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), 0, headers)


class PoolError(RuntimeError):
    """The workers could not be started (no store, unreadable store)."""


# --- in the worker ---------------------------------------------------------------------------


class _RowLimit(Exception):
    """Raised from inside pyoxigraph's serialiser to stop it at the row limit."""


class _Capped(io.BytesIO):
    """Collects a line-per-row serialisation (TSV, N-Triples) and stops it past `limit` lines.

    pyoxigraph writes to it as the solutions come out of the engine, so a runaway answer is cut
    off while it is being computed, not after it was built; the exception raised here comes out
    of serialize() unchanged. TSV and N-Triples escape line breaks inside terms, so one line is
    exactly one row (after TSV's header line) or one triple."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0

    def write(self, data: ReadableBuffer, /) -> int:
        chunk = data if isinstance(data, bytes) else memoryview(data).tobytes()
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _RowLimit
        return super().write(chunk)


def _row_limit(max_rows: int, what: str) -> Answer:
    return text_answer(
        ROW_LIMIT_STATUS,
        f"the answer has more than {max_rows} {what}, the most this endpoint sends "
        f"(tipkg serve --max-rows): narrow the query, or page through it with LIMIT and OFFSET",
    )


def evaluate(store: ox.Store, job: Job) -> Answer:
    """Run one request over the store and serialise its answer (in the worker process).

    Answers are first written in a line-per-row format (TSV for solutions, N-Triples for
    triples), counted and capped as they stream, then converted by pyoxigraph to the format
    asked for: both conversions are lossless (a test holds the JSON to pyoxigraph's own)."""
    if job.update:
        try:
            store.update(job.text)
        except SyntaxError as err:
            return text_answer(400, f"SPARQL syntax error: {err}")
        return Answer(204, "text/plain; charset=utf-8", b"")
    try:
        result = store.query(job.text, **dataset(job.text, job.default_graphs, job.named_graphs))
    except SyntaxError as err:
        return text_answer(400, f"SPARQL syntax error: {err}")
    except ValueError as err:  # a default-graph-uri or named-graph-uri that is no IRI
        return text_answer(400, f"bad request: {err}")
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULTS_OX[job.results])
        assert body is not None
        return Answer(200, content_type("results", job.results), body, 1)
    if isinstance(result, ox.QuerySolutions):
        solutions = _Capped(job.max_rows + 1)  # the header line, then one line per row
        try:
            result.serialize(solutions, format=ox.QueryResultsFormat.TSV)
        except _RowLimit:
            return _row_limit(job.max_rows, "rows")
        body = solutions.getvalue()
        if job.results != "tsv":
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
            converted = parsed.serialize(format=RESULTS_OX[job.results])
            assert converted is not None
            body = converted
        return Answer(200, content_type("results", job.results), body, solutions.lines - 1)
    triples = _Capped(job.max_rows)
    try:
        result.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    except _RowLimit:
        return _row_limit(job.max_rows, "triples")
    body = triples.getvalue()
    if job.graph != "ntriples":
        graph = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        prefixes = dict(job.prefixes) if job.graph in ("turtle", "rdfxml") else None
        try:
            converted = ox.serialize(graph, format=GRAPH_OX[job.graph], prefixes=prefixes)
        except ValueError:  # a prefix the serialiser cannot use: write full IRIs
            converted = ox.serialize(graph, format=GRAPH_OX[job.graph])
        assert converted is not None
        body = converted
    return Answer(200, content_type("graph", job.graph), body, triples.lines)


def _die_with_parent(parent: int) -> None:
    """Exit when the server is gone, even if it died without cleaning up (SIGKILL).

    A thread polls the parent's pid: the main thread may be deep in a query, and pyoxigraph lets
    go of the GIL while it evaluates. (Linux's PR_SET_PDEATHSIG would not do: it fires when the
    *thread* that started the worker exits, and replacements are started from short-lived
    threads.)"""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="tipkg-watch-parent", daemon=True).start()


def worker_main(conn: Connection, store_dir: str, writable: bool, parent: int) -> None:
    """A worker's life: open the store, say ready, then answer jobs until the pipe closes."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        store = ox.Store(store_dir) if writable else ox.Store.read_only(store_dir)
    except OSError as err:
        conn.send(("error", f"{store_dir}: {err}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = evaluate(store, job)
        except OSError as err:  # reading the store, or a SERVICE that failed
            answer = text_answer(500, f"query failed: {err}")
        except Exception as err:  # noqa: BLE001 - any failure must reach the client as a 500
            answer = text_answer(500, f"internal error: {type(err).__name__}: {err}")
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


# --- in the server ---------------------------------------------------------------------------


@dataclass(eq=False)  # hashed by identity: kept in a set
class _Worker:
    process: BaseProcess
    conn: Connection
    demoted: bool = False  # running at SLOW_NICE

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


async def _readable(conn: Connection, seconds: float) -> bool:
    """Wait, without blocking the event loop, until the pipe has data (or EOF) or time is up."""
    if conn.poll(0):
        return True
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = conn.fileno()
    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, seconds)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


def _retry_after(seconds: float) -> tuple[tuple[str, str], ...]:
    return (("Retry-After", str(max(1, math.ceil(seconds)))),)


class WorkerPool:
    """Worker processes; a worker past the time limit is killed and replaced.

    `size` workers are for everyone; `max_slow` more make room for slow queries (those still
    running after `slow_after` seconds), at most one per client (see the module's doc)."""

    def __init__(
        self,
        store_dir: Path,
        size: int,
        *,
        writable: bool = False,
        start_timeout: float = 60.0,
        max_slow: int = 0,
        slow_after: float = 0.5,
    ) -> None:
        if not (store_dir / "CURRENT").exists():
            raise PoolError(f"{store_dir}: no store here: run `tipkg build` first")
        self.store_dir = store_dir
        self.size = size
        self.writable = writable
        self.start_timeout = start_timeout
        # One writable worker evaluates everything: there is no second one to give a slow place.
        self.max_slow = 0 if writable else max_slow
        self.slow_after = slow_after
        self.killed = 0  # workers stopped for running past the limit
        self.refused_slow = 0  # slow queries stopped for want of a slow place
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._slow: dict[str, int] = {}  # client -> slow queries running
        self._closed = False
        # Threads that wait for a free worker when none is: they only wait, so allow many.
        self._waiting = ThreadPoolExecutor(128, thread_name_prefix="tipkg-wait")
        self._nice = os.getpriority(os.PRIO_PROCESS, 0)  # the workers' own, inherited
        started = [self._start() for _ in range(size + self.max_slow)]
        try:
            for worker in started:
                self._await_ready(worker)
                self._idle.put(worker)
        except PoolError:
            self.close()
            raise

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child_end, str(self.store_dir), self.writable, os.getpid()),
            name="tipkg-sparql-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if not worker.conn.poll(self.start_timeout):
                raise PoolError(f"a worker did not open the store in {self.start_timeout:g} s")
            status, detail = worker.conn.recv()
        except (EOFError, OSError) as err:
            self._discard(worker)
            raise PoolError(f"a worker died while opening the store: {err}") from err
        except PoolError:
            self._discard(worker)
            raise
        if status != "ready":
            self._discard(worker)
            raise PoolError(str(detail))

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        threading.Thread(target=self._respawn, name="tipkg-respawn", daemon=True).start()

    def _respawn(self) -> None:
        for attempt in range(5):
            if self._closed:
                return
            try:
                worker = self._start()
                self._await_ready(worker)
            except PoolError as err:
                print(f"tipkg: cannot restart a worker: {err}", file=sys.stderr, flush=True)
                time.sleep(1.0 + attempt)
                continue
            if self._closed:
                self._discard(worker)
            else:
                self._idle.put(worker)
            return

    # -- slow queries ---------------------------------------------------------------------------

    def _take_slow_place(self, client: str, timeout: float) -> Answer | None:
        """A slow place for this client's query, or the answer that stops it."""
        with self._lock:
            if self._slow.get(client, 0) >= 1:
                refusal = text_answer(
                    CLIENT_LIMIT_STATUS,
                    f"query stopped: it ran past {self.slow_after:g} s while another slow query "
                    "of yours was running; this endpoint runs one slow query per client at a "
                    "time: send it again when the other has ended",
                    _retry_after(timeout),
                )
            elif sum(self._slow.values()) >= self.max_slow:
                refusal = text_answer(
                    TIMEOUT_STATUS,
                    f"query stopped: it ran past {self.slow_after:g} s while {self.max_slow} slow "
                    "queries were running, the most this endpoint runs at once "
                    "(tipkg serve --max-slow): try again later",
                    _retry_after(timeout),
                )
            else:
                self._slow[client] = self._slow.get(client, 0) + 1
                return None
            self.refused_slow += 1
            return refusal

    def _leave_slow_place(self, client: str) -> None:
        with self._lock:
            left = self._slow.get(client, 0) - 1
            if left > 0:
                self._slow[client] = left
            else:
                self._slow.pop(client, None)

    def _demote(self, worker: _Worker) -> None:
        pid = worker.process.pid
        if pid is None:
            return
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, pid, max(SLOW_NICE, self._nice))
            worker.demoted = True

    def _release(self, worker: _Worker) -> None:
        """An idle worker back to the pool, at its first priority (or replaced, when the
        operating system does not let a process raise another's priority)."""
        if worker.demoted and worker.process.pid is not None:
            try:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, self._nice)
            except OSError:
                self._replace(worker)
                return
            worker.demoted = False
        self._idle.put(worker)

    # -- requests -------------------------------------------------------------------------------

    async def run(self, job: Job, timeout: float, client: str = "") -> Answer:
        """Evaluate a job for a client (its address): wait at most `timeout` for a free worker,
        then at most `timeout` more, the query being slow after `slow_after` of it.

        Awaited on the server's event loop: the answer is awaited by watching the worker's pipe
        (no thread per request); only waiting for a free worker, when none is, takes a thread."""
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            loop = asyncio.get_running_loop()
            try:
                worker = await loop.run_in_executor(self._waiting, self._idle.get, True, timeout)
            except queue.Empty:
                return text_answer(
                    TIMEOUT_STATUS,
                    f"every query worker is busy (waited {timeout:g} s): try again later",
                    _retry_after(timeout),
                )
        deadline = time.monotonic() + timeout
        lane = self.max_slow > 0 and self.slow_after < timeout
        slow = False
        try:
            worker.conn.send(job)
            ready = await _readable(worker.conn, self.slow_after if lane else timeout)
            if not ready and lane:
                refusal = self._take_slow_place(client, timeout)
                if refusal is not None:
                    self._replace(worker)
                    return refusal
                slow = True
                self._demote(worker)
                ready = await _readable(worker.conn, max(0.0, deadline - time.monotonic()))
            if ready:
                answer: Answer = worker.conn.recv()
                self._release(worker)
                return answer
        except (EOFError, OSError):
            self._replace(worker)
            return text_answer(500, "the worker evaluating the query died; it has been replaced")
        except BaseException:  # cancelled (the server stopping): nobody will read its answer
            self._replace(worker)
            raise
        finally:
            if slow:
                self._leave_slow_place(client)
        self.killed += 1
        self._replace(worker)
        return text_answer(
            TIMEOUT_STATUS,
            f"query stopped: it ran past the time limit of {timeout:g} s (tipkg serve --timeout)",
        )

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        self._closed = True
        self._waiting.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        deadline = time.monotonic() + 1.0  # an idle worker exits at once; a busy one is killed
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
