"""Event hop latency through the local runtime — put on the bus → the handler starts — p50/p99 over
1 000 events, and one worker's throughput draining a backlog. Both go through the real path: moto's
EventBridge routing to SQS, a worker, the Lambda glue with Powertools idempotency in the table.

    uv run python -m bench.event_hop [--events 1000] [--backlog 1000]

Target: p50 ≤ 100 ms."""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from typing import Any

from ior_contracts.customs import CustomsRunRequested

from bench.figures import Figure, emit
from bench.hop_probe import BENCH, BENCH_SUBSCRIPTION, HANDLED, HOPS

P50_TARGET_MS = 100.0


def _event(i: int) -> CustomsRunRequested:
    return CustomsRunRequested(
        business_date=date(2026, 3, 10), mode="automated", reason=f"hop {i}", requested_by="bench"
    )


def _wait(n: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    for _ in range(n):
        if not HANDLED.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise TimeoutError("events were not handled in time")


def measure(events: int, backlog: int) -> dict[str, Any]:
    from ior_tools.runtime.stack import LocalStack
    from ior_tools.runtime.worker import Worker

    os.environ.setdefault("IOR_HOME", tempfile.mkdtemp(prefix="ior-bench-"))
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    # The product's topology (the program needs every service) and the benchmark's subscription; only
    # the benchmark's worker polls: the runtime's hop, not the services' work on the event.
    with LocalStack(port=0, extra_services=(BENCH,), run_scheduler=False) as stack:
        for name, other in stack.workers.items():
            if name != BENCH_SUBSCRIPTION:
                other.stop()
                other.join()
        publisher = stack.publisher()
        # Latency: one event at a time, so each hop is measured on an idle path.
        for i in range(events):
            publisher.publish(_event(i))
            _wait(1)
        latencies = sorted(HOPS)
        # Throughput: a paused worker, a backlog, then one worker drains it.
        live = stack.workers[BENCH_SUBSCRIPTION]
        live.stop()
        live.join()
        for i in range(backlog):
            publisher.publish(_event(events + i))
        worker = Worker(live.route, live.sqs, environment=live.environment)
        started = time.perf_counter()
        worker.start()
        _wait(backlog)
        elapsed = time.perf_counter() - started
        worker.stop()
    return {
        "events": events,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "backlog": backlog,
        "worker_events_per_s": backlog / elapsed,
    }


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f"event hop p50 ({r['events']} events)", f"{r['p50_ms']:.1f} ms", f"≤ {P50_TARGET_MS:.0f} ms"),
        ("event hop p99", f"{r['p99_ms']:.1f} ms", ""),
        (f"one worker draining {r['backlog']}", f"{r['worker_events_per_s']:.0f} events/s", ""),
    ]


def figures(r: dict[str, Any]) -> list[Figure]:
    return [
        Figure(f"hop p50, {r['events']} events", r["p50_ms"], "ms", target=P50_TARGET_MS),
        Figure("hop p99", r["p99_ms"], "ms"),
        Figure(
            f"one worker draining {r['backlog']}", r["worker_events_per_s"], "events/s", higher_is_better=True
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--backlog", type=int, default=1000)
    args = parser.parse_args()
    result = measure(args.events, args.backlog)
    for name, value, target in rows(result):
        print(f"{name:<40} {value:>16}   {target}")
    emit("event_hop", figures(result))


if __name__ == "__main__":
    main()
