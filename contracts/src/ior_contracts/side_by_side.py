"""Independent calls that wait on S3 or DynamoDB, run side by side on threads: a service reading
both runs of a day, or several dataset versions, waits on each request in turn otherwise, while the
bytes it has are hashed and inflated (both release the interpreter's lock) or the store serves the
next one. The results come back in the calls' order, so what is made from them does not depend on
which finished first.

The standard library's pool, not an async client: the services' adapters are synchronous boto3,
whose clients are safe to share between threads. Each call runs in a copy of the caller's context,
so what the caller set there (the function's environment, say) holds in the call too."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")
R = TypeVar("R")

MAX_THREADS = 8
"""At most this many requests in flight from one call: a Lambda's few vCPUs hash and inflate what
they bring, and S3 serves one prefix far more."""


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """`(first(), second())`, the two run side by side. Both finish before this returns; the first
    call's error is raised before the second's."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="side-by-side") as pool:
        one: Future[A] = pool.submit(copy_context().run, first)
        two: Future[B] = pool.submit(copy_context().run, second)
        # Leaving the pool waits for both, so an error in one never leaves the other running.
        return one.result(), two.result()


def each(work: Callable[[A], R], items: Iterable[A], *, threads: int = MAX_THREADS) -> list[R]:
    """`[work(item) for item in items]`, up to `threads` at a time. Every call finishes before this
    returns; the error of the earliest item that raised is raised."""
    listed = list(items)
    if len(listed) <= 1:
        return [work(item) for item in listed]
    with ThreadPoolExecutor(max_workers=min(threads, len(listed)), thread_name_prefix="side-by-side") as pool:
        futures = [pool.submit(copy_context().run, work, item) for item in listed]
        return [future.result() for future in futures]


@contextmanager
def ahead(call: Callable[[], R]) -> Iterator[Future[R]]:
    """`call` started on a thread while the block runs; the block takes its result when it needs it
    (`.result()`, which raises the call's error). The block's end waits for the call, so nothing
    runs on after it (a Lambda's process is frozen between invocations); an error the block never
    asked for is left unraised."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ahead") as pool:
        yield pool.submit(copy_context().run, call)
