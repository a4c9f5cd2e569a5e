"""The API: `GET /api/pipeline` (the overview's "is it healthy?"), warm, over loopback HTTP to uvicorn in
its own process with the function's environment against the embedded AWS, the stage deployed as the
program deploys it (every subscription's queue and DLQ): sequential p50/p99, then p50 and p99 with
`--concurrent` readers at once.

    uv run python -m bench.api_pipeline [--requests 50] [--concurrent 50]

Target: p50 ≤ 100 ms, alone and under 50 concurrent readers."""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.api_lines import percentile, running_api
from bench.figures import Figure, emit

P50_TARGET_MS = 100.0


def timed_get(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or "queues" not in response.json():
        raise RuntimeError(f"unexpected answer {response.status_code}: {response.text[:200]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=50)
    args = parser.parse_args()

    with running_api() as running:
        headers = {"Cookie": running.cookie, **running.origin}
        url = f"{running.base}/api/pipeline"
        with httpx.Client(headers=headers, timeout=120) as client:
            for _ in range(3):
                timed_get(client, url)
            sequential = [timed_get(client, url) for _ in range(args.requests)]
        clients = [httpx.Client(headers=headers, timeout=120) for _ in range(args.concurrent)]
        with ThreadPoolExecutor(args.concurrent) as pool:
            batches = pool.map(lambda c: [timed_get(c, url) for _ in range(3)], clients)
            concurrent = [t for batch in batches for t in batch]
        for c in clients:
            c.close()

    p50, p99 = statistics.median(sequential), percentile(sequential, 99)
    cp50, cp99 = statistics.median(concurrent), percentile(concurrent, 99)
    print(f"GET /api/pipeline, warm, {args.requests} sequential requests")
    print(f"  p50 {p50:.1f} ms   p99 {p99:.1f} ms   (target p50 ≤ {P50_TARGET_MS:.0f} ms)")
    print(f"  {args.concurrent} concurrent readers, 3 requests each: p50 {cp50:.1f} ms   p99 {cp99:.1f} ms")
    emit(
        "api_pipeline",
        [
            Figure("pipeline p50, sequential", p50, "ms", target=P50_TARGET_MS),
            Figure("pipeline p99, sequential", p99, "ms"),
            Figure(f"pipeline p50, {args.concurrent} readers", cp50, "ms", target=P50_TARGET_MS),
            Figure(f"pipeline p99, {args.concurrent} readers", cp99, "ms"),
        ],
    )


if __name__ == "__main__":
    main()
