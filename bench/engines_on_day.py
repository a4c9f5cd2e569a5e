"""Each engine alone on the sample company's day of N billing lines: the data the largest
invocations of `bench.end_to_end` work on, each engine in a process of its own.

- etl: the transactions dataset's validation and build (`build_automated`, what the ETL counts as
  its engine) from the day's landed extracts, as `etl-extracts` rebuilds it (`bench.etl_extracts`);
- customs: the processor (`process`) on the day's datasets as the ETL publishes them in the manual
  mode, as `customs-datasets` runs it (`bench.customs_day`);
- compare: the comparison engine on the day's customs lines, read from their arrays as
  `compare-lines` reads them: the manual run against itself (the sample's two paths differ on a
  handful of its half million lines, so the work is the day's).

Each engine's inputs are made once per size under `--work` (in a process of their own), then a
fresh process reads them and runs the engine three times as its service runs it (the cyclic
collector paused): the figures are the median of the engine's wall and CPU seconds, and that
process's peak resident set (the interpreter, the libraries and the inputs included, as an
invocation's peak is measured). The engines' own benchmarks (`etl_transactions`,
`customs_processor`, `compare_engine`) run synthetic days: the customs one gathers ~40 invoice items
a customs line where the sample gathers two, so it writes a twentieth of the lines. This is the
same day's work as the services', so service ÷ engine compares like with like.

    uv run python -m bench.engines_on_day                     # 1M lines
    uv run python -m bench.engines_on_day --lines 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.figures import Figure, emit

ENGINES = ("etl", "customs", "compare")
DEFAULT_LINES = 1_000_000
REPEAT = 3  # runs of each engine: its figures are their median


def _etl(lines: int, work: Path) -> Callable[[], object]:
    """The transactions build of the day, its inputs read and merged first."""
    from typing import cast

    from ior_etl.domain.building import build_automated
    from ior_etl.domain.hold_policy import HoldPolicy
    from ior_etl.ports import ObjectsPort
    from ior_etl.service_layer.inputs import Reader, load

    from bench.etl_extracts import DATASET, landed_day

    objects, plan = landed_day(lines, work)
    loaded = load(plan, Reader(cast("ObjectsPort", objects)))
    del objects  # the landed bytes: the invocation holds only the one it reads
    policy = HoldPolicy()
    return lambda: build_automated(DATASET, loaded.frames, policy=policy, rates=loaded.rates)


def _customs_inputs(lines: int, work: Path) -> Any:
    """The processor's inputs: the day's manual datasets, each parsed from its snapshot."""
    from ior_contracts.datasets import FEE_TABLE
    from ior_customs.adapters.datasets import parse_snapshot
    from ior_customs.domain import FeeTable
    from ior_customs.service_layer.loading import processor_inputs

    from bench.customs_day import business_day, snapshots

    data = snapshots(lines, work)
    day = business_day(data)
    frames = {name: parse_snapshot(body, name) for name, body in data.items()}
    fees = FeeTable.from_dataset(frames[FEE_TABLE.name], "bench")
    return processor_inputs(day, frames, fees, {name: "bench" for name in frames})


def _customs(lines: int, work: Path) -> Callable[[], object]:
    """The processor on the day's manual datasets."""
    from ior_customs.domain import process

    inputs = _customs_inputs(lines, work)
    return lambda: process(inputs)


def _compare_arrays(lines: int, work: Path) -> tuple[bytes, bytes]:
    """The day's manual run's line and entry arrays, as customs publishes them: made once per size
    and version of the arrays."""
    from ior_contracts.line_columns import LINE_ARRAYS_SCHEMA

    kept = work / f"compare-{lines}-{LINE_ARRAYS_SCHEMA.replace('/', '-')}"
    if not (kept / "entry-arrays.gz").exists():
        from ior_customs.domain import process
        from ior_customs.domain.line_columns import line_codes

        from bench.compare_lines_read import _arrays, _lines_json

        result = process(_customs_inputs(lines, work))
        _, located = _lines_json(result)
        line_arrays, entry_arrays = _arrays(result, located, line_codes(result.lines))
        kept.mkdir(parents=True, exist_ok=True)
        (kept / "line-arrays.gz").write_bytes(line_arrays)
        (kept / "entry-arrays.gz").write_bytes(entry_arrays)
    return (kept / "line-arrays.gz").read_bytes(), (kept / "entry-arrays.gz").read_bytes()


def _compare(lines: int, work: Path) -> Callable[[], object]:
    """The comparison engine on the day's run against itself, each side read as compare-lines reads it."""
    from ior_compare.adapters.line_arrays import read_entry_arrays, read_line_arrays
    from ior_compare.config import CompareConfig
    from ior_compare.domain.engine import compare

    line_arrays, entry_arrays = _compare_arrays(lines, work)
    sides = [
        (read_line_arrays(line_arrays, "lines"), read_entry_arrays(entry_arrays, "entries")[0])
        for _ in ("expected", "actual")
    ]
    del line_arrays, entry_arrays
    (expected, expected_entries), (actual, actual_entries) = sides
    tolerances = CompareConfig().tolerances
    return lambda: compare(expected, actual, expected_entries, actual_entries, config=tolerances)


def _prepare_etl(lines: int, work: Path) -> None:
    from bench.etl_extracts import landed_day

    landed_day(lines, work)


def _prepare_customs(lines: int, work: Path) -> None:
    from bench.customs_day import snapshots

    snapshots(lines, work)


def _prepare_compare(lines: int, work: Path) -> None:
    _compare_arrays(lines, work)


# Each engine's inputs made and kept under the work folder, then the engine's run on them.
PREPARE: dict[str, Callable[[int, Path], None]] = {
    "etl": _prepare_etl,
    "customs": _prepare_customs,
    "compare": _prepare_compare,
}
ENGINE_RUNS: dict[str, Callable[[int, Path], Callable[[], object]]] = {
    "etl": _etl,
    "customs": _customs,
    "compare": _compare,
}


def measure_here(engine: str, lines: int, work: Path, repeat: int = REPEAT) -> dict[str, float]:
    """In this process: the engine's inputs read, then the engine run `repeat` times as its service
    runs it: the median wall and CPU seconds, and the process's peak resident set."""
    import gc

    from ior_contracts import collector
    from ior_tools.runtime.lambda_python import as_in_lambda

    as_in_lambda()  # as in the functions: text as Python strings (no pyarrow in Lambda)
    run = ENGINE_RUNS[engine](lines, work)
    walls, cpus = [], []
    for _ in range(repeat):
        with collector.paused():
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        gc.collect()  # what one run left, before the next
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "peak_mb": peak_mb}


def measure(engine: str, lines: int, work: Path) -> dict[str, float]:
    """`measure_here` in a process of its own, once the engine's inputs are made (in another), so its
    peak is the engine's and its inputs' alone."""
    for step in ("--prepare", "--child"):
        command = [sys.executable, "-m", "bench.engines_on_day", step, engine]
        command += ["--lines", str(lines), "--work", str(work)]
        done = subprocess.run(
            command, cwd=Path(__file__).parents[1], check=True, capture_output=True, text=True
        )
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def figures(engine: str, lines: int, found: dict[str, float]) -> list[Figure]:
    size = f"{lines:,} lines"
    return [
        Figure(f"{engine} engine on the day, {size}: time", found["wall_s"], "s"),
        Figure(f"{engine} engine on the day, {size}: CPU", found["cpu_s"], "s"),
        Figure(f"{engine} engine on the day, {size}: peak memory", found["peak_mb"], "MB"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="billing lines in the day")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ior-bench-engines-on-day")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        PREPARE[args.prepare](args.lines, args.work)
        return 0
    if args.child:
        print(json.dumps(measure_here(args.child, args.lines, args.work)))
        return 0
    found: list[Figure] = []
    for engine in args.engines:
        measured: dict[str, Any] = measure(engine, args.lines, args.work)
        print(
            f"{engine} engine on the sample's day of {args.lines:,} lines: {measured['wall_s']:.2f} s "
            f"({measured['cpu_s']:.2f} s CPU), peak {measured['peak_mb']:.0f} MB"
        )
        found += figures(engine, args.lines, measured)
    emit("engines_on_day", found)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
