"""The API: `GET /api/pipeline` (the overview's "is it healthy?"), warm, over loopback HTTP to uvicorn in
its own process with the function's environment against the embedded AWS, the stage deployed as the
program deploys it (every subscription's queue and DLQ): sequential p50/p99, then p50 and p99 with
`--concurrent` readers at once.

    uv run python -m bench.api_pipeline [--requests 50] [--concurrent 50]

Target: p50 ≤ 100 ms, alone and under 50 concurrent readers."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from ior_contracts.topology import Naming
from ior_tools.rehearsal.deploy import rehearse
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION, MotoServer, free_port
from ior_tools.runtime.stack import local_sap_credentials, stack_config

from bench.api_lines import origin_header, percentile, seed, session_cookie
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

    server = MotoServer()
    endpoint = server.start()
    naming = Naming("bench", LOCAL_ACCOUNT)
    operator = f"arn:aws:iam::{LOCAL_ACCOUNT}:root"
    config = stack_config(local_sap_credentials("http://127.0.0.1:1"), operator)
    deployment = rehearse(endpoint.client, account=LOCAL_ACCOUNT, region=REGION, stage="bench", config=config)
    seed(endpoint, naming)
    env = (
        os.environ
        | deployment.functions[deployment.outputs["apiFunction"]].environment
        | {
            "AWS_ENDPOINT_URL": str(endpoint.url),
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": endpoint.region,
            "AWS_DEFAULT_REGION": endpoint.region,
            "IOR_STAGE": naming.stage,
            "IOR_AWS_MAX_ATTEMPTS": "1",
        }
    )
    origin = origin_header(endpoint, naming)
    port = free_port()
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "ior_api.entrypoints.web.app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/health", headers=origin, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        headers = {"Cookie": session_cookie(base, origin), **origin}
        url = f"{base}/api/pipeline"
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
    finally:
        api.terminate()
        api.wait(10)
        server.stop()

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
