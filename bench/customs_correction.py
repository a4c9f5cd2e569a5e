"""Correction benchmark: a closed date's customs run at N billing lines, in a process of its own as
the `customs-datasets` function makes it, with its peak memory beside the function's.

A closed date keeps its official lines: a run after the date closes is a correction candidate, and
`decisions.as_candidate` reads both runs' published lines back (`changes.reported`, an entry at a
time) while the run's own result is still held. That is the run's largest moment of memory, and no
other benchmark reaches it.

The sample day's snapshots (`bench.customs_service`'s, kept under `--work`) are stored in moto's
server, in its own process (S3 is outside a function's memory). The official run is made in one
child process, before the date closes; the correction in another, under a new code version (a new
run key) and a clock past the closing day. Each child is a fresh interpreter that imports the
service and runs `service_layer.runs.execute`: its CPU seconds (the engine's among them), wall
seconds, and peak RSS (the kernel's high-water mark, what Lambda's limit sees) are printed beside
`customs-datasets`' memory and timeout.

    uv run python -m bench.customs_correction                  # 1M lines, 3 corrections
    uv run python -m bench.customs_correction --lines 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ior_customs.ports import CurrentRun, DatasetVersion

from bench.figures import Figure, emit

DEFAULT_LINES = 1_000_000
OFFICIAL_CODE, CORRECTION_CODE = "bench", "bench-correction"


@dataclass(frozen=True)
class Measured:
    """One run in its own process."""

    status: str
    detail: str
    cpu_s: float
    engine_s: float
    wall_s: float
    peak_mb: float
    made_current: CurrentRun | None


def _s3(url: str) -> Any:
    import boto3

    return boto3.client(
        "s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="x"
    )


def _high_water_mb() -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _run(
    url: str,
    versions: dict[str, DatasetVersion],
    day: date,
    code_version: str,
    now: datetime,
    current: CurrentRun | None,
    out: Connection,
) -> None:
    """A child's run: the service alone, as in its function (no moto, text as Python strings)."""
    from ior_tools.runtime.lambda_python import as_in_lambda

    as_in_lambda()
    from ior_contracts.engine_time import engine_cpu_s
    from ior_customs.adapters.datasets import S3Snapshots
    from ior_customs.adapters.outputs import S3Outputs
    from ior_customs.config import CustomsConfig
    from ior_customs.ports import Deps, Trigger
    from ior_customs.service_layer.runs import execute

    from bench.customs_day import AUDIT, DATA, MODE, Catalogue, Ledger

    s3 = _s3(url)
    ledger = Ledger(current_run=current)
    deps = Deps(
        config=CustomsConfig(),
        catalogue=Catalogue(dict(versions)),
        snapshots=S3Snapshots(s3, ttl_s=0.0, max_entries=1),
        ledger=ledger,
        outputs=S3Outputs(s3, DATA, AUDIT),
        code_version=code_version,
        clock=lambda: now,
    )
    trigger = Trigger("bench", "etl.dataset.published.v1", "bench")
    started, cpu, engine = time.perf_counter(), time.thread_time(), engine_cpu_s()
    outcome = execute(day, MODE, trigger, deps, lambda *a, **k: None)
    out.send(
        Measured(
            outcome.status,
            outcome.detail,
            time.thread_time() - cpu,
            engine_cpu_s() - engine,
            time.perf_counter() - started,
            _high_water_mb(),
            ledger.made_current,
        )
    )


def in_child(
    url: str,
    versions: dict[str, DatasetVersion],
    day: date,
    code_version: str,
    now: datetime,
    current: CurrentRun | None = None,
) -> Measured:
    """`_run` in a fresh interpreter (spawned, not forked: nothing of this process's memory)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(url, versions, day, code_version, now, current, send))
    child.start()
    send.close()
    try:
        measured: Measured = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the run's process ended with {child.exitcode} before it answered") from None
    child.join()
    return measured


def main(argv: list[str] | None = None) -> int:
    from ior_customs.declarations import SERVICE
    from ior_customs.domain.closed_dates import closed_on

    from bench.customs_day import AUDIT, DATA, business_day, snapshots, store
    from bench.moto_process import moto_server

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="billing lines in the day")
    parser.add_argument("--repeat", type=int, default=3, help="corrections of the one official run")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ior-bench-customs")
    args = parser.parse_args(argv)

    data = snapshots(args.lines, args.work)
    day = business_day(data)
    closes = closed_on(day)
    (function,) = [s for s in SERVICE.subscriptions if s.name == "customs-datasets"]
    with moto_server() as url:
        s3 = _s3(url)
        for bucket in (DATA, AUDIT):
            s3.create_bucket(Bucket=bucket)
        versions = store(s3, data, day)
        before_close = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
        official = in_child(url, versions, day, OFFICIAL_CODE, before_close)
        if official.made_current is None:
            print(f"the official run did not become current: {official.status} {official.detail}")
            return 1
        after_close = datetime.combine(closes + timedelta(days=1), datetime.min.time(), UTC)
        corrections = [
            in_child(url, versions, day, f"{CORRECTION_CODE}-{n}", after_close, official.made_current)
            for n in range(args.repeat)
        ]
    if any(c.made_current is not None for c in corrections):
        print("a correction replaced the official run of a closed date")
        return 1

    def median(field: str) -> float:
        return float(statistics.median(float(getattr(c, field)) for c in corrections))

    peak = max(c.peak_mb for c in corrections)
    print(
        f"customs runs of {day} (closes {closes}) from the sample's {args.lines:,} billing lines, "
        f"each in its own process; customs-datasets has {function.memory_mb:,} MB and {function.timeout_s} s"
    )
    print(
        f"  official    {official.status:<10} CPU {official.cpu_s:6.2f} s (engine {official.engine_s:.2f})  "
        f"wall {official.wall_s:6.2f} s  peak {official.peak_mb:7,.0f} MB"
    )
    print(
        f"  correction  {corrections[-1].status:<10} CPU {median('cpu_s'):6.2f} s "
        f"(engine {median('engine_s'):.2f})  "
        f"wall {median('wall_s'):6.2f} s  peak {median('peak_mb'):7,.0f} MB (highest {peak:,.0f}), "
        f"median of {len(corrections)}: {corrections[-1].detail}"
    )
    print(f"  the correction's peak is {peak / function.memory_mb:.0%} of the function's memory")
    size = f"{args.lines:,} lines"
    emit(
        "customs_correction",
        [
            Figure(f"official run peak RSS, {size}", official.peak_mb, "MB"),
            Figure(f"correction run peak RSS, {size}", peak, "MB", target=float(function.memory_mb)),
            Figure(f"correction run CPU, {size}", median("cpu_s"), "s"),
        ],
    )
    return 0 if peak <= function.memory_mb else 1


if __name__ == "__main__":
    sys.exit(main())
