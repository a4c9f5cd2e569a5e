"""The API function's cold import against its floor, measured in one run.

The floor is what any FastAPI function on Lambda pays: `import fastapi, mangum` and one boto3
client. The API's import is `import ior_api.entrypoints.http`. Each is a fresh interpreter, the two
alternating, so the machine's load falls on both alike; the figure is the ratio of the medians. The
ratio of their CPU times is printed beside it: on a machine busier than its cores, wall time measures
the scheduler as much as the import.

Each process sees only what the function's artifact ships (`uv export --package ior-api`) plus the
standard library and the runtime's boto3: a module installed here for the tests or other services
(`cryptography`, which PyJWT imports when it can; pandas; moto) is hidden, as it is absent in Lambda.
Both sides read bytecode compiled by a first, unmeasured run of each, so the ratio is the imports'
own work, as in Lambda, where the artifact carries the byte code of what its handlers import
(`bench/artifact_cold_start.py` measures that from the unpacked artifacts, on Lambda's Python).

    uv run python -m bench.api_cold_import [--runs 15]

Target: ratio ≤ 1.2."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench.artifact_python import HIDE_UNSHIPPED
from bench.artifact_python import environment as artifact_environment
from bench.figures import Figure, emit

TARGET_RATIO = 1.2
PACKAGE, OWN = "ior-api", ("ior_api", "ior_contracts")

# The child: only the artifact's modules importable (`artifact_python`), then the statement timed.
CHILD = (
    HIDE_UNSHIPPED
    + """
import time
started, cpu = time.perf_counter(), time.process_time()
exec(sys.argv[1])
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"ms": wall * 1000, "cpu_ms": cpu * 1000}))
"""
)
FLOOR = "import fastapi, mangum, boto3\nboto3.client('s3', region_name='us-east-1')"
OURS = "import ior_api.entrypoints.http"


def timed(statement: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of `statement` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, statement],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return float(measured["ms"]), float(measured["cpu_ms"])


Timings = list[tuple[float, float]]


def measured(runs: int, bytecode: str) -> tuple[Timings, Timings]:
    """`runs` alternating (wall, CPU) pairs of the floor and of ours, both read from bytecode."""
    # Each side's first run compiles its modules under a private prefix and the
    # measured runs read them, even where the environment says to write none: with
    # PYTHONDONTWRITEBYTECODE set, every run compiled every module from source, which doubled both
    # sides and measured the compiler more than the imports.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPYCACHEPREFIX": bytecode, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    env |= {"IOR_STAGE": "bench"} | artifact_environment(PACKAGE, OWN)
    timed(FLOOR, env)
    timed(OURS, env)
    floors: Timings = []
    ours: Timings = []
    for _ in range(runs):
        floors.append(timed(FLOOR, env))
        ours.append(timed(OURS, env))
    return floors, ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ior-bench-bytecode-") as bytecode:
        floors, ours = measured(args.runs, bytecode)
    floor, own = statistics.median(w for w, _ in floors), statistics.median(w for w, _ in ours)
    floor_cpu, own_cpu = statistics.median(c for _, c in floors), statistics.median(c for _, c in ours)
    ratio = own / floor
    print(f"cold import, median of {args.runs} fresh interpreters each, alternating:")
    print(f"  floor (fastapi, mangum, one boto3 client) {floor:.0f} ms")
    print(f"  import ior_api.entrypoints.http            {own:.0f} ms")
    print(f"  ratio {ratio:.2f} (target ≤ {TARGET_RATIO})")
    print(f"  CPU: floor {floor_cpu:.0f} ms, ours {own_cpu:.0f} ms, ratio {own_cpu / floor_cpu:.2f}")
    emit(
        "api_cold_import",
        [
            Figure("cold import floor: fastapi, mangum, one boto3 client", floor, "ms"),
            Figure("cold import of the API function", own, "ms"),
            Figure("cold import ÷ floor", ratio, "×", target=TARGET_RATIO),
            Figure("cold import ÷ floor, CPU time", own_cpu / floor_cpu, "×", target=TARGET_RATIO),
        ],
    )


if __name__ == "__main__":
    main()
