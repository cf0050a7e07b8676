"""Who may write: the checks an update passes before it reaches the store (`tipkg serve
--allow-update`), each answering a plain-text refusal.

- Origin. A browser names the page that sent a request in `Origin` (and, in current browsers,
  tells `Sec-Fetch-Site`). A form on another site can POST `update=DROP ALL` with no preflight, so
  an update whose Origin is not this endpoint's own, or not on the `--allow-origin` list, is
  refused (403), and so is one a browser marks cross-site or same-site without an Origin on the
  list. "This endpoint's own" is the address it listens on (and localhost's names on loopback),
  never whatever the Host header says: a DNS-rebound page sends its own name as Host and Origin.
  A request with neither header comes from no browser (curl, a script) and passes this check.
- Bearer token. With `--token-env VAR`, an update must carry `Authorization: Bearer <token>`, the
  token read from that environment variable at start (never from the command line, which other
  users of the machine can read); compared in constant time; 401 with WWW-Authenticate otherwise.
- LOAD and SERVICE. An update's LOAD sources go through the same allow-list as SERVICE endpoints
  (`--allow-service`): both make the engine fetch an address (tipkg.web.scan finds them).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    headers: tuple[tuple[str, str], ...] = ()


def own_origins(host: str, port: int) -> frozenset[str]:
    """The origins of pages served by this endpoint itself, listening on host:port."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = {shown}
    if shown in LOOPBACK_NAMES or shown in ("0.0.0.0", "[::]"):
        names.update(LOOPBACK_NAMES)
    return frozenset(f"http://{name}:{port}" for name in names)


def normalise_origin(origin: str) -> str:
    """An --allow-origin value as browsers send Origin: scheme://host[:port], no path, lower case,
    the default port left out."""
    text = origin.strip().rstrip("/").lower()
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if text.startswith(scheme) and text.endswith(port):
            return text[: -len(port)]
    return text


@dataclass(frozen=True)
class WriteGuard:
    """The checks every update passes (see the module's doc)."""

    origins: frozenset[str]  # this endpoint's own, and --allow-origin
    token: str | None = None

    @classmethod
    def make(
        cls, host: str, port: int, allowed: Iterable[str] = (), token: str | None = None
    ) -> WriteGuard:
        return cls(own_origins(host, port) | {normalise_origin(o) for o in allowed}, token)

    def check(self, headers: Mapping[str, str]) -> Refusal | None:
        """None when the update may go on; otherwise why not. `headers` has lower-case names."""
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site", "").lower()
        allowed = ", ".join(sorted(self.origins))
        if origin is not None and normalise_origin(origin) not in self.origins:
            return Refusal(
                403,
                f"update refused: it comes from a page of {origin!r}, which may not write here "
                f"(allowed origins: {allowed}; tipkg serve --allow-origin ORIGIN)",
            )
        if origin is None and site in ("cross-site", "same-site"):
            return Refusal(
                403,
                f"update refused: the browser says it comes from another site ({site}) and "
                "names no allowed Origin",
            )
        if self.token is not None:
            scheme, _, given = headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), self.token.encode()
            ):
                return Refusal(
                    401,
                    "update refused: send the write token as `Authorization: Bearer TOKEN` "
                    "(the value of the variable named by tipkg serve --token-env)",
                    (("WWW-Authenticate", 'Bearer realm="tipkg"'),),
                )
        return None
