"""Work over many reports on every core: forked processes that inherit what the parent loaded.

Forking (not spawning) is what makes this pay: the ontology, reference data, shapes and rules
the parent loaded are in each worker's memory from the start, never pickled; only each item's
result travels back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _call(index: int) -> Any:
    assert _WORK is not None
    function, items = _WORK
    return function(items[index])


def fork_map(
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int | None = None
) -> Iterator[Result]:
    """``function(item)`` for each item, in order, in up to ``jobs`` forked processes (default:
    one per core); in this process when one worker would do. ``function`` may be a closure."""
    global _WORK
    workers = min(jobs or os.cpu_count() or 1, len(items))
    if workers <= 1:
        yield from (function(item) for item in items)
        return
    _WORK = (function, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(_call, range(len(items)), chunksize=1)
    finally:
        _WORK = None
