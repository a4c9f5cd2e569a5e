"""The API: `GET /api/customs-lines` for a 1 000-line day, warm, over loopback HTTP to uvicorn in its own
process against the embedded AWS — sequential p50/p99, then throughput and p99 with 10 concurrent
clients; and the Lambda cold start (a fresh process: import the handler, reading its byte code as the
artifact ships it, then one authenticated request through Mangum). The process can import only what
the API's artifact ships (`artifact_python`): pandas, which it must not import, is absent.

    uv run python -m bench.api_lines [--requests 500] [--concurrent 10] [--cold 5]

Targets: warm p99 ≤ 50 ms; cold start ≤ 600 ms."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from ior_api.adapters.readmodels import ReadModels
from ior_api.entrypoints.operations import UserOperations
from ior_api.ports import Deps
from ior_api.service_layer import handlers
from ior_contracts import examples
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Envelope
from ior_contracts.topology import ORIGIN_HEADER, Naming
from ior_tools.rehearsal.deploy import rehearse
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION, MotoServer, free_port
from ior_tools.runtime.stack import local_sap_credentials, stack_config

from bench.artifact_python import HIDE_UNSHIPPED
from bench.artifact_python import environment as artifact_environment
from bench.figures import Figure, emit

P99_TARGET_MS = 50.0
COLD_TARGET_MS = 600.0
DAY = "2026-03-16"
USER, PASSWORD = "bench", "bench password for the API"
HERE = Path(__file__).parent

# Only the artifact's modules importable (`artifact_python`), as in Lambda.
COLD_START = (
    HIDE_UNSHIPPED
    + """
import time
started = time.perf_counter()
import json, sys
from ior_api.entrypoints.http import handler
imported = time.perf_counter()
event = json.loads(sys.argv[1])
response = handler(event, None)
done = time.perf_counter()
assert response["statusCode"] == 200, response
print(json.dumps({"ms": (done - started) * 1000, "import_ms": (imported - started) * 1000}))
"""
)


def lines_document(entries: int = 100, lines_per_entry: int = 10) -> dict[str, Any]:
    """A day of `entries × lines_per_entry` customs lines, shaped as the customs service publishes them."""
    return {
        "business_date": DAY,
        "datasets": {"transactions": "0" * 12},
        "config_version": "bench",
        "entries": [
            {
                "entry_id": f"2704-20260316-SH{e:04d}",
                "port": "2704",
                "arrival": DAY,
                "mode": "automated",
                "formal": True,
                "flags": [],
                "totals": {"value": 10_000, "duty": "250.00", "mpf": "34.64", "hmf": "12.50"},
                "lines": [
                    {
                        "line": n + 1,
                        "hts10": "8517.62.00.90",
                        "description": "Switching and routing apparatus",
                        "origin": "CN",
                        "part": "whole",
                        "stack": ["9903.88.15", "8517.62.00.90"],
                        "quantity": {"No.": 12},
                        "net_kg": 14,
                        "gross_kg": 16,
                        "value": 1_000,
                        "rates": {"9903.88.15": "7.5", "8517.62.00.90": "0"},
                        "duties": {"9903.88.15": "75.00", "8517.62.00.90": "0.00"},
                        "duty": "75.00",
                        "sources": [["90010000", f"{n + 1:06d}"]],
                        "source_materials": [f"{10_000_000 + n % 70}"],
                        "lineage": {
                            "datasets": {"transactions": "0" * 12},
                            "provisions": {"9903.88.15": [1]},
                        },
                    }
                    for n in range(lines_per_entry)
                ],
            }
            for e in range(entries)
        ],
    }


def seed(endpoint: Any, naming: Naming) -> None:
    s3, dynamodb = endpoint.client("s3"), endpoint.client("dynamodb")
    body = gzip.compress(json.dumps(lines_document()).encode(), mtime=0)
    key = f"customs/published/lines/{DAY}/automated/{hashlib.sha256(body).hexdigest()[:16]}.json.gz"
    s3.put_object(Bucket=naming.data_bucket, Key=key, Body=body)
    event = examples.load("customs.lines.generated.v1")["detail"]
    event["data"]["lines"] |= {
        "uri": f"s3://{naming.data_bucket}/{key}",
        "sha256": hashlib.sha256(body).hexdigest(),
        "row_count": 1_000,
    }
    # A synthetic document: no compared columns, so it is read whole (`DocumentLines`).
    event["data"] |= {"line_columns": None, "entry_columns": None}
    table = naming.table("api")
    envelope = Envelope[LinesGenerated].model_validate(event)
    # A projection publishes nothing.
    deps = Deps(ReadModels(dynamodb, table))
    handlers.project(envelope.data, cause=envelope.metadata, deps=deps, publish=lambda *_, **__: None)
    UserOperations(endpoint.client, table).add(USER, PASSWORD, "operator")


def origin_header(endpoint: Any, naming: Naming) -> dict[str, str]:
    """The header CloudFront sends: the API runs its origin check here as in AWS."""
    secret = endpoint.client("secretsmanager").get_secret_value(SecretId=naming.secret("origin"))
    return {ORIGIN_HEADER: json.loads(secret["SecretString"])["value"]}


def session_cookie(base: str, origin: dict[str, str]) -> str:
    response = httpx.post(
        f"{base}/api/auth/login", json={"username": USER, "password": PASSWORD}, headers=origin, timeout=30
    )
    response.raise_for_status()
    # The cookie is `Secure`: a client on plain loopback HTTP sends it by hand.
    return "; ".join(f"{k}={v}" for k, v in response.cookies.items())


def timed_get(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or len(response.json()["lines"]) != 100:
        raise RuntimeError(f"unexpected answer {response.status_code}: {response.text[:200]}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def cold_starts(cookie: str, origin: dict[str, str], runs: int, env: dict[str, str]) -> list[dict[str, Any]]:
    event = json.loads((HERE.parent / "tests/api/events/http_api_v2.json").read_text())
    event["headers"] |= {name.lower(): value for name, value in origin.items()}
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/customs-lines"
    event["rawQueryString"] = f"date={DAY}"
    event["cookies"] = cookie.split("; ")
    results = []
    # The artifact carries the byte code of what the handler imports (`ior_tools.bytecode`): a first,
    # unmeasured run compiles it under a private prefix, and the measured runs read it, even where
    # the environment says to write none (there every run compiled every module from source).
    with tempfile.TemporaryDirectory(prefix="ior-bench-bytecode-") as bytecode:
        env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
            "PYTHONPYCACHEPREFIX": bytecode
        }
        env |= artifact_environment("ior-api", ("ior_api", "ior_contracts"))
        for run in range(runs + 1):
            done = subprocess.run(
                [sys.executable, "-c", COLD_START, json.dumps(event)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            if run:
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


@dataclass(frozen=True)
class RunningApi:
    """The API on uvicorn in its own process, with its function's environment, and a session."""

    base: str
    cookie: str
    origin: dict[str, str]
    env: dict[str, str]
    pid: int


@contextmanager
def running_api(seeded: Callable[[Any, Naming], None] = seed) -> Iterator[RunningApi]:
    """The stage as the program deploys it on the embedded AWS, `seeded` (a day of lines and a user
    by default); the API serving it on loopback, logged in."""
    server = MotoServer()
    endpoint = server.start()
    naming = Naming("bench", LOCAL_ACCOUNT)
    operator = f"arn:aws:iam::{LOCAL_ACCOUNT}:root"
    config = stack_config(local_sap_credentials("http://127.0.0.1:1"), operator)
    deployment = rehearse(endpoint.client, account=LOCAL_ACCOUNT, region=REGION, stage="bench", config=config)
    seeded(endpoint, naming)
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
    command = [sys.executable, "-m", "uvicorn", "ior_api.entrypoints.web.app:app", "--port", str(port)]
    api = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/health", headers=origin, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield RunningApi(base, session_cookie(base, origin), origin, dict(env), api.pid)
    finally:
        api.terminate()
        api.wait(10)
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrent", type=int, default=10)
    parser.add_argument("--cold", type=int, default=5)
    args = parser.parse_args()

    with running_api() as running:
        base, cookie, origin, env = running.base, running.cookie, running.origin, running.env
        url = f"{base}/api/customs-lines?date={DAY}"
        headers = {"Cookie": cookie, **origin}
        with httpx.Client(headers=headers, timeout=30) as client:
            for _ in range(20):  # warm: the lines document is read and cached, connections open
                timed_get(client, url)
            sequential = [timed_get(client, url) for _ in range(args.requests)]

        clients = [httpx.Client(headers=headers, timeout=30) for _ in range(args.concurrent)]
        per_client = max(1, args.requests // args.concurrent) * 2
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrent) as pool:
            batches = pool.map(lambda c: [timed_get(c, url) for _ in range(per_client)], clients)
            concurrent = [t for batch in batches for t in batch]
        wall = time.perf_counter() - started
        for c in clients:
            c.close()
        colds = cold_starts(cookie, origin, args.cold, env)

    p50, p99 = statistics.median(sequential), percentile(sequential, 99)
    throughput, cp99 = len(concurrent) / wall, percentile(concurrent, 99)
    cold = statistics.median(c["ms"] for c in colds)
    cold_import = statistics.median(c["import_ms"] for c in colds)
    print(f"GET /api/customs-lines, 1 000-line day, page of 100, warm, {args.requests} sequential requests")
    print(f"  p50 {p50:.2f} ms   p99 {p99:.2f} ms   (target p99 ≤ {P99_TARGET_MS:.0f} ms)")
    print(f"  {args.concurrent} concurrent clients: {throughput:.0f} requests/s, p99 {cp99:.2f} ms")
    print(f"cold start (import + first authenticated request), median of {args.cold}: {cold:.0f} ms")
    print(f"  of which the import: {cold_import:.0f} ms; the first request: {cold - cold_import:.0f} ms")
    print(f"  target ≤ {COLD_TARGET_MS:.0f} ms")
    emit(
        "api_lines",
        [
            Figure("customs-lines p50, sequential", p50, "ms"),
            Figure("customs-lines p99, sequential", p99, "ms", target=P99_TARGET_MS),
            Figure(f"throughput, {args.concurrent} clients", throughput, "req/s", higher_is_better=True),
            Figure(f"p99, {args.concurrent} clients", cp99, "ms"),
            Figure("cold start, import + first request", cold, "ms", target=COLD_TARGET_MS),
            Figure("cold start, the import alone", cold_import, "ms"),
        ],
    )


if __name__ == "__main__":
    main()
