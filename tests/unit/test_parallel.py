"""fork_map: results in order, closures allowed, a worker's exception raised in the parent."""

from __future__ import annotations

import os

import pytest

from tipkg.parallel import fork_map


def test_results_come_back_in_order_from_other_processes() -> None:
    offset = 10  # a closure: forked workers inherit it, nothing is pickled but the index

    def work(n: int) -> tuple[int, int]:
        return n + offset, os.getpid()

    results = list(fork_map(work, list(range(8)), jobs=2))
    assert [value for value, _ in results] == list(range(10, 18))
    assert os.getpid() not in {pid for _, pid in results}


def test_one_job_runs_here() -> None:
    assert list(fork_map(lambda n: (n, os.getpid()), [1], jobs=4)) == [(1, os.getpid())]


def test_a_worker_failure_is_raised_in_the_parent() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item 3"):
        list(fork_map(work, list(range(6)), jobs=2))


def test_an_input_error_in_a_worker_arrives_whole() -> None:
    from tipkg.errors import InputError

    def work(n: int) -> int:
        if n == 1:
            raise InputError("reports/x.ttl", 7, "not valid Turtle")
        return n

    with pytest.raises(InputError) as raised:
        list(fork_map(work, [0, 1, 2], jobs=2))
    assert str(raised.value) == "reports/x.ttl:7: not valid Turtle"
