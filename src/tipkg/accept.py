"""The HTTP Accept header, read one way for the SPARQL endpoint and the linked-data pages."""

from __future__ import annotations


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """``[(media range, q)]`` in header order; q clamped to [0, 1]; malformed parts skipped."""
    ranges = []
    for part in accept.split(","):
        items = [p.strip() for p in part.split(";")]
        media = items[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in items[1:]:
            name, _, val = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(val)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def ranked(accept: str) -> list[str]:
    """The acceptable media ranges, best first (q=0 dropped; ties keep the header's order)."""
    ranges = parse_accept(accept)
    order = sorted(range(len(ranges)), key=lambda i: (-ranges[i][1], i))
    return [ranges[i][0] for i in order if ranges[i][1] > 0]
