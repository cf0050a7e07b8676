"""Start and stop local SPARQL servers on loopback: `tipkg serve` and Oxigraph's own server.

For the integration tests and bench/endpoint.py: each server is a child process on 127.0.0.1, on
a free port, stopped (terminate, then kill) however the caller leaves.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

LOOPBACK = "127.0.0.1"


@dataclass
class Running:
    """A server child process and where it answers."""

    process: subprocess.Popen[str]
    base_url: str  # ends with "/"
    log_path: Path | None = None
    banner: str = ""  # the first line the server printed

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(process: subprocess.Popen[str], port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {LOOPBACK}:{port}")


def _read_line(stream: IO[str], deadline: float) -> str:
    """One line from a child's stdout, waiting no later than deadline."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not selector.select(remaining):
            raise TimeoutError("the server printed nothing in time")
    return stream.readline()


def start_tipkg(
    build_dir: Path,
    *options: str,
    log_path: Path | None = None,
    startup: float = 60.0,
) -> Running:
    """`python -m tipkg serve --port 0` over a build; the port is read from its first line."""
    log: IO[str] | int = subprocess.DEVNULL
    if log_path is not None:
        log = log_path.open("w", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "tipkg",
        "serve",
        "--host",
        LOOPBACK,
        "--port",
        "0",
        "--build",
        str(build_dir),
        *options,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if not isinstance(log, int):
        log.close()  # the child holds its own descriptor
    running = Running(process, "", log_path)
    try:
        assert process.stdout is not None
        line = _read_line(process.stdout, time.monotonic() + startup)
        _, found, rest = line.partition(" at http://")
        if not found:
            raise RuntimeError(f"tipkg serve did not start: {line!r}\n{running.log()}")
        running.base_url = "http://" + rest.split()[0]
        running.banner = line.rstrip("\n")
    except BaseException:
        running.stop()
        raise
    return running


def oxigraph_binary() -> str | None:
    """The `oxigraph` command installed by the PyPI package `oxigraph` (next to this Python)."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


def start_oxigraph(
    location: Path | None,
    *,
    read_only: bool = False,
    extra: Sequence[str] = ("--union-default-graph",),
    startup: float = 30.0,
) -> Running:
    """Oxigraph's server on a free loopback port: `serve` (in memory when location is None) or
    `serve-read-only`; endpoints /query, /update and /store."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("no `oxigraph` command: pip install oxigraph")
    port = free_port()
    command = [binary, "serve-read-only" if read_only else "serve"]
    if location is not None:
        command += ["--location", str(location)]
    command += ["--bind", f"{LOOPBACK}:{port}", *extra]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
    )
    running = Running(process, f"http://{LOOPBACK}:{port}/")
    try:
        _wait_for_port(process, port, time.monotonic() + startup)
    except BaseException:
        running.stop()
        raise
    return running
