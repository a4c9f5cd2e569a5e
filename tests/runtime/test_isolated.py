"""A subscription's function in its own process (`ior_tools.runtime.isolated`): each invocation runs
there, warm after the first, measured from outside the handler; a handler that raises fails the
batch as it would in the stack's own process."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from ior_tools.runtime.isolated import BYTECODE, IsolatedHandler, totals
from ior_tools.runtime.worker import LambdaContext

HANDLERS = "tests.runtime.isolated_handlers"


@pytest.fixture
def echo() -> Iterator[IsolatedHandler]:
    handler = IsolatedHandler("echo", f"{HANDLERS}:echo", {"IOR_STAGE": "local"}, ())
    yield handler
    handler.close()


def _context() -> LambdaContext:
    return LambdaContext(function_name="ior-local-echo", deadline=time.monotonic() + 30)


def test_each_invocation_runs_in_the_subscriptions_own_warm_process(echo: IsolatedHandler) -> None:
    first = echo({"Records": [{}, {}]}, _context())
    second = echo({"Records": [{}]}, _context())
    assert first["pid"] == second["pid"] != os.getpid()
    assert (first["records"], second["function"]) == (2, "ior-local-echo")
    cold, warm = echo.invocations
    assert cold.cold_start_s > 0
    assert warm.cold_start_s == 0
    assert (cold.messages, warm.messages) == (2, 1)


def test_an_invocations_peak_memory_is_its_own(echo: IsolatedHandler) -> None:
    echo({"Records": [{}], "allocate_mb": 64}, _context())
    echo({"Records": [{}]}, _context())
    grown, after = echo.invocations
    # The peak is reset before each invocation: the second sees what is still held, not more.
    assert grown.peak_rss_mb > 64
    assert after.peak_rss_mb <= grown.peak_rss_mb + 1
    summed = totals(echo.invocations)
    assert summed["invocations"] == 2
    # The day's peak is the largest invocation's, whichever held the most.
    assert summed["peak_rss_mb"] == max(grown.peak_rss_mb, after.peak_rss_mb)


def test_an_invocations_engine_time_is_the_part_of_its_cpu_spent_in_the_engine(echo: IsolatedHandler) -> None:
    # GIVEN a handler that spends CPU time around its engine and in it
    echo({"Records": [{}], "busy_s": 0.3, "engine_busy_s": 0.2}, _context())
    echo({"Records": [{}], "busy_s": 0.1}, _context())
    # THEN each invocation counts its own engine time, within its CPU time
    busy, without = echo.invocations
    assert 0.2 <= busy.engine_cpu_s < 0.3
    assert busy.cpu_s >= 0.5
    assert without.engine_cpu_s == 0
    # AND the day's figures give the engine time of the invocation that cost the most CPU
    assert totals(echo.invocations)["max_cpu_engine_s"] == busy.engine_cpu_s


def test_a_handler_that_raises_fails_the_batch_and_is_counted() -> None:
    handler = IsolatedHandler("broken", f"{HANDLERS}:broken", {}, ())
    try:
        with pytest.raises(RuntimeError, match="ValueError: refused"):
            handler({"Records": [{}]}, _context())
        assert [i.failed for i in handler.invocations] == [True]
    finally:
        handler.close()


def test_a_subscriptions_process_has_python_as_the_functions_artifact_gives_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN an environment that says to write no bytecode (every module compiled at every import)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    handler = IsolatedHandler("python", f"{HANDLERS}:python", {}, ())
    try:
        # WHEN a subscription's process starts
        found = handler({"Records": [{}]}, _context())
    finally:
        handler.close()
    # THEN it reads and keeps compiled modules, as an artifact carries them
    assert found["writes_bytecode"] is True
    assert found["bytecode_prefix"] == BYTECODE
    # AND the test tools are absent, as from every artifact, while the shipped libraries are there
    assert found["hypothesis"] is False
    assert found["pandas_found"] is True
