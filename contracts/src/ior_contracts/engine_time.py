"""The CPU time a service spends in its engine — the ETL's validation and build, the customs
processor, the comparison engine — counted where each service calls it. Everything else in an
invocation is the service around its engine (reading, lineage, writing, announcing), so the two side
by side, on the same day's data, show what the service adds. The local runtime's measured processes
read the count around each invocation (`ior_tools.runtime.isolated`); it costs two clock reads per
engine call.

The count is the calling thread's CPU time (the engines compute on the thread that calls them),
summed over the process, and over the thread: the shared Lambda glue reads the thread's around each
handler's run, for the `EngineCpu` metric of a deployed stack."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# The services whose handlers run an engine.
ENGINE_SERVICES = ("etl", "customs", "compare")
ENGINE_RATIO_TARGET = 3.0  # a service's CPU over its engine's, at most

_lock = threading.Lock()
_spent_s = 0.0
_thread = threading.local()


@contextmanager
def engine() -> Iterator[None]:
    """Counts the CPU time of the block as the engine's."""
    started = time.thread_time()
    try:
        yield
    finally:
        spent = time.thread_time() - started
        global _spent_s
        with _lock:
            _spent_s += spent
        _thread.spent_s = getattr(_thread, "spent_s", 0.0) + spent


def engine_cpu_s() -> float:
    """The CPU seconds spent in engines by this process so far."""
    with _lock:
        return _spent_s


def thread_engine_cpu_s() -> float:
    """The CPU seconds spent in engines by this thread so far."""
    return float(getattr(_thread, "spent_s", 0.0))
