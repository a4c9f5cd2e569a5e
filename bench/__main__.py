"""`make bench`: every benchmark, one after another, each in its own process printing its own
figures; then one table of them all, ours beside the target or the peer's.

    uv run python -m bench [--quick] [name …]     # e.g. `python -m bench --quick event_hop`

`--quick` runs small sizes: minutes instead of the million-line runs, to check the figures' shape."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.figures import FIGURES_FILE, Measured, collect

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Benchmark:
    module: str
    quick: tuple[str, ...]  # the module's arguments for a quick run


# Every benchmark, in the order run: adding one is adding its line here.
BENCHMARKS = (
    Benchmark("ingest_sap", ("--rows", "50000", "--repeat", "1", "--no-trace")),
    Benchmark("etl_transactions", ("--sizes", "50000", "--repeat", "1")),
    Benchmark("etl_manual_upload", ("--lines", "50000", "--repeat", "1")),
    Benchmark("etl_extracts", ("--lines", "50000", "--repeat", "1")),
    Benchmark("customs_processor", ("--lines", "50000", "--repeat", "1")),
    Benchmark("customs_service", ("--lines", "50000", "--repeat", "1")),
    Benchmark("customs_correction", ("--lines", "50000", "--repeat", "1")),
    Benchmark("compare_engine", ("--rows", "50000", "--repeat", "1", "--small-calls", "50")),
    Benchmark("compare_explanation_inputs", ("--rows", "50000")),
    Benchmark(
        "compare_lines_read", ("--invoice-lines", "100000", "--customs-lines", "50000", "--repeat", "1")
    ),
    Benchmark("explanation_read", ("--invoice-lines", "100000", "--customs-lines", "50000", "--repeat", "1")),
    Benchmark("event_hop", ("--events", "100", "--backlog", "100")),
    Benchmark("api_lines", ("--requests", "100", "--cold", "2")),
    Benchmark("api_lines_day", ("--lines", "50000")),
    Benchmark("api_cold_import", ("--runs", "5")),
    Benchmark("artifact_cold_start", ("--runs", "2")),
    Benchmark("api_presigned_complete", ("--lines", "100000")),
    Benchmark("api_pipeline", ("--requests", "20", "--concurrent", "10")),
    Benchmark("end_to_end", ("--sizes", "10000", "--cold-runs", "5")),
)


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"
    return f"{text} {unit}".strip()


def table(measured: list[Measured]) -> Table:
    grid = Table("benchmark", "figure", "ours", "target / peer", "peer figure", "ratio", title="benchmarks")
    for m in measured:
        f = m.figure
        if f.peer is not None:
            against, other = f.peer, _number(f.peer_value, f.unit)
        elif f.target is not None:
            against, other = f"{'≥' if f.higher_is_better else '≤'} {_number(f.target, f.unit)}", ""
        else:
            against, other = "", ""
        ratio = f.ratio
        grid.add_row(
            m.benchmark,
            f.name,
            _number(f.value, f.unit),
            against,
            other,
            "" if ratio is None else f"×{ratio:.2f}",
        )
    return grid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the table")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    known = {b.module: b for b in BENCHMARKS}
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = [known[n] for n in args.names] if args.names else list(BENCHMARKS)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ior-bench-figures-") as tmp:
        figures = Path(tmp) / "figures.jsonl"
        env = {**os.environ, FIGURES_FILE: str(figures)}
        for bench in chosen:
            print(f"\n== {bench.module} ==", flush=True)
            started = time.perf_counter()
            command = [sys.executable, "-m", f"bench.{bench.module}", *(bench.quick if args.quick else ())]
            code = subprocess.call(command, cwd=HERE.parent, env=env)
            ended = "" if code == 0 else f", exit {code}"
            print(f"({bench.module}: {time.perf_counter() - started:.0f} s{ended})")
            failed += code != 0
        measured = collect(figures)
    print()
    Console(width=160).print(table(measured))
    silent = [b.module for b in chosen if not any(m.benchmark == b.module for m in measured)]
    if silent:
        print(f"no figures handed to bench.figures.emit by: {', '.join(silent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
