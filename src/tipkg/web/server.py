"""`tipkg serve`: uvicorn running the application of tipkg.web.app on one socket.

uvicorn with httptools, the binding of llhttp (Node.js's HTTP/1.1 parser), does the framing:
request bodies by Content-Length or chunked, keep-alive and pipelining, and it refuses with a
plain-text 400 what HTTP/1.1 forbids or leaves ambiguous (duplicate or conflicting Content-Length,
Content-Length beside Transfer-Encoding, a malformed request line or header, a URL over 64 KiB),
so that a request body is never read as a second request. uvicorn's other parser (h11) accepts
two equal Content-Length headers and one beside Transfer-Encoding, which RFC 9112 allows a server
to refuse, and does refuse behind a proxy that reads them otherwise: hence httptools.

llhttp bounds no header: the one subclass below refuses a request head with more than
MAX_HEADERS header lines or MAX_HEAD_BYTES bytes of them (400, as for any bad request).
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TextIO

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tipkg.web.access import WriteGuard
from tipkg.web.app import ENDPOINT_PATH, Endpoint, ServeOptions, make_app
from tipkg.web.pool import PoolError, WorkerPool

MAX_HEADERS = 100  # as http.client and Python's http.server
MAX_HEAD_BYTES = 64 * 1024


class _HeadTooLarge(httptools.HttpParserError):
    """Raised from a parser callback: llhttp stops and uvicorn answers 400."""


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bound on the request head."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        if len(self.headers) >= MAX_HEADERS or self._head_bytes > MAX_HEAD_BYTES:
            raise _HeadTooLarge("request head too large")
        super().on_header(name, value)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP, and without it a keep-alive answer written in two parts (head, body) waits for the
    # client's delayed ACK, 40 ms on Linux, on every request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(1024)
        sock.set_inheritable(False)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}/"


def _shown(path: Path) -> str:
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{path}/"
    return "./" if str(relative) == "." else f"{relative}/"


def serve(
    options: ServeOptions,
    *,
    out: TextIO | None = None,
    log: TextIO | None = None,
    ready: Callable[[str], None] | None = None,
) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); returns an exit code."""
    out = out if out is not None else sys.stdout
    try:
        sock = _bind(options.host, options.port)
    except OSError as err:
        where = f"{options.host}:{options.port}"
        print(f"tipkg: error: cannot listen on {where}: {err}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    try:
        pool = WorkerPool(
            options.build_dir / "store",
            1 if options.allow_update else options.workers,
            writable=options.allow_update,
            max_slow=options.max_slow,
            slow_after=min(options.slow_after, options.timeout / 2),
        )
    except PoolError as err:
        sock.close()
        print(f"tipkg: error: {err}", file=sys.stderr)
        return 2
    try:
        guard = WriteGuard.make(options.host, port, options.allow_origin, options.token)
        app = make_app(Endpoint(options, pool, guard), log=log)
        config = uvicorn.Config(
            app,
            http=BoundedHttpTools,
            lifespan="off",
            access_log=False,
            server_header=False,  # tipkg.web.app.Frame sends its own
            log_config=None,
            log_level="warning",
            timeout_keep_alive=60,  # seconds an idle keep-alive connection is kept
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        url = base_url(sock)
        print(
            f"tipkg: serving {_shown(options.build_dir)} at {url} — site {url}, "
            f"query page {url}query, SPARQL endpoint {url.rstrip('/')}{ENDPOINT_PATH}",
            file=out,
            flush=True,
        )
        if ready is not None:
            ready(url)
        with _sigterm_as_interrupt():
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        pool.close()
        print("tipkg: stopped", file=out, flush=True)
    return 0


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM as Ctrl-C: uvicorn stops gracefully on either, then raises the signal again for
    the handler it found, which ends serve() by KeyboardInterrupt as well."""

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
