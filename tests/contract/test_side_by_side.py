"""Calls run side by side: results in the calls' order, every call finished before an error is
raised, and the calls really overlap (each waits for the others at a barrier)."""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar

import pytest
from ior_contracts.side_by_side import ahead, both, each


def test_both_runs_the_two_calls_at_once_and_keeps_their_order() -> None:
    barrier = threading.Barrier(2, timeout=5)

    def meet(value: str) -> str:
        barrier.wait()  # broken (and raising) if the other call does not run meanwhile
        return value

    assert both(lambda: meet("first"), lambda: meet("second")) == ("first", "second")


def test_each_keeps_the_items_order_whatever_finishes_first() -> None:
    barrier = threading.Barrier(4, timeout=5)

    def slow_first(item: int) -> int:
        barrier.wait()
        time.sleep(0.05 * (4 - item))  # the first item finishes last
        return item * 10

    assert each(slow_first, range(4)) == [0, 10, 20, 30]


def test_each_runs_at_most_the_threads_it_is_given() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def count(_: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    each(count, range(12), threads=3)
    assert most == 3


def test_an_error_is_raised_once_every_call_has_finished() -> None:
    finished: list[str] = []

    def fails() -> None:
        raise LookupError("the first call's")

    def slow() -> str:
        time.sleep(0.1)
        finished.append("slow")
        return "slow"

    with pytest.raises(LookupError, match="the first call's"):
        both(fails, slow)
    assert finished == ["slow"]


def test_each_raises_the_earliest_items_error() -> None:
    def odd_fails(item: int) -> int:
        if item % 2:
            time.sleep(0.05 * (5 - item))  # the later failure happens first
            raise ValueError(f"item {item}")
        return item

    with pytest.raises(ValueError, match="item 1"):
        each(odd_fails, range(5))


def test_no_thread_for_a_single_item() -> None:
    seen: list[str] = []
    assert each(lambda item: seen.append(threading.current_thread().name) or item, ["only"]) == ["only"]
    assert seen == [threading.current_thread().name]


def test_each_call_sees_the_callers_context() -> None:
    setting: ContextVar[str] = ContextVar("setting", default="unset")
    token = setting.set("the caller's")
    try:
        assert both(setting.get, setting.get) == ("the caller's", "the caller's")
        assert each(lambda _: setting.get(), range(3)) == ["the caller's"] * 3
    finally:
        setting.reset(token)


def test_ahead_runs_beside_the_block_and_the_block_waits_for_it() -> None:
    barrier = threading.Barrier(2, timeout=5)
    finished: list[str] = []

    def early() -> str:
        barrier.wait()  # met by the block: the two run at once
        time.sleep(0.05)
        finished.append("early")
        return "read"

    with ahead(early) as found:
        barrier.wait()
    # The block's end waited for the call, though the block never asked for its result
    assert finished == ["early"]
    assert found.result() == "read"


def test_an_error_ahead_is_raised_only_where_its_result_is_asked_for() -> None:
    def fails() -> None:
        raise LookupError("not read")

    with ahead(fails):
        pass  # not asked for: the block ends as it would
    with pytest.raises(LookupError, match="not read"), ahead(fails) as found:
        found.result()
