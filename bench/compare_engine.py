"""Comparison engine benchmark: our engine against datacompy's PandasCompare and PolarsCompare.

Generates one arrival date of N manual (expected) and N automated (actual) customs lines with
unique keys: about 1 % of the actual lines differ in one field beyond tolerance, a few percent differ
within tolerance (which every engine must ignore), some lines are missing on each side. The frames
are written once to Parquet; each engine then runs in its own child process, which loads them,
compares them `--repeat` times and reports the median time, its peak resident set from the loaded
frames on (VmHWM, reset after loading) and the set of (key, field) it found out of tolerance. The
parent checks that the three sets are equal. Both pandas engines get text as Python strings, as the
compare function has it in Lambda (no pyarrow there); Polars keeps its own Arrow memory.

Tolerances are absolute, so datacompy's `abs_tol + rel_tol·|b|` means what ours means: value ±$1,
duty ±100 cents, kilograms ±1 kg (our kilogram rule is max(1 kg, 1 %), so this run sets its 1 % to
0). Description: case and surrounding blanks differ within tolerance (datacompy's ignore_case and
ignore_spaces). Datacompy compares the lines only and gets them without the `line` column, which
is not compared; our engine also compares the entries and builds its outcome frames.

Then 1 000-row calls: the median of many calls, ours against datacompy's PandasCompare.

    uv run python bench/compare_engine.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# Run as a script too (`python bench/<name>.py`, and this module's own child processes).
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ior_compare.domain.tolerances import DEFAULT_TOLERANCES, ToleranceConfig
from ior_tools.runtime.isolated import peak_rss_mb, reset_peak
from ior_tools.runtime.lambda_python import as_in_lambda

from bench.figures import Figure, emit

KEY = ["entry_id", "hts10", "origin", "part"]
COMPARED = ["stack", "rates", "quantity", "value", "duty_cents", "net_kg", "gross_kg", "description"]
ABS_TOL: dict[str, float] = {"value": 1.0, "duty_cents": 100.0, "net_kg": 1.0, "gross_kg": 1.0}
LINES_PER_ENTRY = 8
ORIGINS = np.array(["CN", "TW", "MY", "VN", "TH", "MX"], dtype=object)
PORTS = ("2704", "2809", "1001", "5301", "3901")
PREFIXES = np.array(
    ["", "9903.88.03;", "9903.01.24;", "9903.88.03;9903.01.24;", "9903.82.02;", "9903.03.01;"], dtype=object
)
PREFIX_RATES = np.array(["", "0.25;", "0.1;", "0.25;0.1;", "0.5;", "0.1;"], dtype=object)
POOL = 240
HTS = np.array([f"{8400 + k:04d}.{k % 97:02d}.00.{(k % 9) * 10:02d}" for k in range(POOL)], dtype=object)
EXTRA_HTS = np.array([f"{7300 + k:04d}.90.00.00" for k in range(LINES_PER_ENTRY)], dtype=object)
BASE_RATES = np.array(["0", "0.026", "0.035", "0.049"], dtype=object)
DESCRIPTIONS = np.array(
    [f"Apparatus for the transmission of data, kind {k}" for k in range(POOL)], dtype=object
)
TARGETS = {"large_mb": 1200, "small_ms": 8.0}


# --- data ------------------------------------------------------------------------------------


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def generate(n: int, seed: int = 20260316) -> dict[str, pd.DataFrame]:
    """Expected and actual lines and entries of one arrival date, deterministic from `seed`."""
    rng = np.random.default_rng(seed)
    row = np.arange(n)
    entry, position = row // LINES_PER_ENTRY, row % LINES_PER_ENTRY
    ids = np.array(
        [f"{PORTS[k % 5]}-20260316-SH{k:07d}" for k in range(int(entry[-1]) + 1 if n else 0)], dtype=object
    )
    hts_index = (entry * 7 + position * 13) % POOL  # distinct within an entry: keys are unique
    part = rng.choice(np.array(["whole", "non_metal", "metal"], dtype=object), size=n, p=[0.85, 0.1, 0.05])
    metal = part == "metal"
    prefix = rng.integers(0, len(PREFIXES), n)
    quantity = np.where(metal, 0, rng.integers(1, 500, n))
    net = np.where(metal, 0, rng.integers(1, 5000, n))
    hts = _text(HTS[hts_index])
    expected = pd.DataFrame(
        {
            "entry_id": _text(ids[entry]),
            "line": position + 1,
            "hts10": hts,
            "origin": _text(ORIGINS[entry % len(ORIGINS)]),
            "part": _text(part),
            "stack": _text(PREFIXES[prefix]) + hts,
            "rates": _text(PREFIX_RATES[prefix]) + _text(BASE_RATES[rng.integers(0, len(BASE_RATES), n)]),
            "quantity": "No.=" + _text(quantity.astype(str)),
            "value": rng.integers(10, 50_000, n),
            "duty_cents": rng.integers(0, 2_000_000, n),
            "net_kg": net,
            "gross_kg": np.where(metal, 0, net + rng.integers(0, 60, n)),
            "description": _text(DESCRIPTIONS[hts_index]),
        }
    )
    actual = expected.copy()
    _within_tolerance(actual, rng, metal)
    _beyond_tolerance(actual, rng, metal, quantity)
    gone = rng.random(n) < 0.005
    extra_rows = np.flatnonzero(rng.random(n) < 0.005)
    extra = actual.iloc[extra_rows].copy()
    extra["hts10"] = _text(EXTRA_HTS[position[extra_rows]]).to_numpy()
    extra["stack"] = extra["hts10"]
    actual = pd.concat([actual[~gone], extra], ignore_index=True)
    actual = actual.iloc[rng.permutation(len(actual))].reset_index(drop=True)
    return {
        "expected_lines": expected,
        "actual_lines": actual,
        "expected_entries": entries_of(expected),
        "actual_entries": entries_of(actual),
    }


def _within_tolerance(actual: pd.DataFrame, rng: np.random.Generator, metal: np.ndarray) -> None:
    n = len(actual)
    for column, low, high, share in (
        ("value", -1, 2, 0.03),
        ("duty_cents", -100, 101, 0.03),
        ("net_kg", -1, 2, 0.03),
    ):
        rows = (rng.random(n) < share) & ~(metal if column == "net_kg" else np.zeros(n, dtype=bool))
        actual.loc[rows, column] += rng.integers(low, high, int(rows.sum()))
    rows = rng.random(n) < 0.01
    actual.loc[rows, "description"] = actual.loc[rows, "description"].str.upper() + " "


def _beyond_tolerance(
    actual: pd.DataFrame, rng: np.random.Generator, metal: np.ndarray, quantity: np.ndarray
) -> None:
    """About 1 % of the lines differ in one field, beyond its tolerance."""
    rows = np.flatnonzero(rng.random(len(actual)) < 0.01)
    field = rng.integers(0, len(COMPARED), rows.size)
    kilograms = (field == COMPARED.index("net_kg")) | (field == COMPARED.index("gross_kg"))
    field = np.where(
        metal[rows] & kilograms, COMPARED.index("value"), field
    )  # a metal part's kg are not compared
    for index, column in enumerate(COMPARED):
        chosen = rows[field == index]
        if column == "stack":
            actual.loc[chosen, column] = "9903.03.01;" + actual.loc[chosen, column]
        elif column == "rates":
            actual.loc[chosen, column] = "0.1;" + actual.loc[chosen, column]
        elif column == "quantity":
            actual.loc[chosen, column] = ("No.=" + _text((quantity[chosen] + 1).astype(str))).to_numpy()
        elif column == "description":
            actual.loc[chosen, column] = "Parts of " + actual.loc[chosen, column]
        else:
            step = 101 if column == "duty_cents" else 2
            sign = rng.choice(np.array([-1, 1]), chosen.size)
            actual.loc[chosen, column] += rng.integers(step, step * 50, chosen.size) * sign


def entries_of(lines: pd.DataFrame) -> pd.DataFrame:
    """Entry totals and fees from the lines, as customs computes them."""
    codes, ids = pd.factorize(lines["entry_id"], sort=True)
    value = np.bincount(codes, weights=lines["value"].to_numpy(), minlength=len(ids)).astype(np.int64)
    duty = np.bincount(codes, weights=lines["duty_cents"].to_numpy(), minlength=len(ids)).astype(np.int64)
    formal = value > 2500
    mpf = np.clip((value * 100 * 3464 + 500_000) // 1_000_000, 3358, 65150)
    vessel = np.arange(len(ids)) % 2 == 0
    return pd.DataFrame(
        {
            "entry_id": pd.Series(ids, dtype="str"),
            "value": value,
            "duty_cents": duty,
            "mpf_cents": pd.arrays.IntegerArray(mpf, ~formal),
            "hmf_cents": pd.arrays.IntegerArray((value * 100 * 125 + 50_000) // 100_000, ~vessel),
            "formal": formal,
            "flags": pd.Series(np.where(formal, "", "informal"), dtype="str"),
        }
    )


# --- engines (each runs in a child process) --------------------------------------------------


def bench_config() -> ToleranceConfig:
    """Our default configuration with absolute kilogram tolerances, as datacompy can express them."""
    return ToleranceConfig(
        tuple(
            replace(f, relative=Decimal(0)) if f.name in ("net_kg", "gross_kg") else f
            for f in DEFAULT_TOLERANCES.fields
        )
    )


def run_ours(frames: dict[str, Any]) -> tuple[set[tuple[str, ...]], int, int]:
    from ior_compare.domain.engine import compare

    names = ("expected_lines", "actual_lines", "expected_entries", "actual_entries")
    result = compare(*(frames[name] for name in names), config=bench_config())
    found = result.mismatches[result.mismatches["level"] == "line"]
    field = found["field"].replace({"duty": "duty_cents"})
    mismatches = set(zip(*(found[k] for k in KEY), field, strict=True))
    return mismatches, result.counts.lines.missing, result.counts.lines.extra


def run_datacompy_pandas(frames: dict[str, Any]) -> tuple[set[tuple[str, ...]], int, int]:
    import datacompy

    comparison = datacompy.PandasCompare(
        frames["expected_lines"], frames["actual_lines"], join_columns=KEY, abs_tol=ABS_TOL,
        ignore_spaces=True, ignore_case=True,
    )  # fmt: skip
    rows = comparison.intersect_rows
    mismatches = {
        (*key, column)
        for column in COMPARED
        for key in rows.loc[~rows[f"{column}_match"], KEY].itertuples(index=False, name=None)
    }
    return mismatches, len(comparison.df1_unq_rows), len(comparison.df2_unq_rows)


def run_datacompy_polars(frames: dict[str, Any]) -> tuple[set[tuple[str, ...]], int, int]:
    import datacompy
    import polars as pl

    comparison = datacompy.PolarsCompare(
        frames["expected_lines"], frames["actual_lines"], join_columns=KEY, abs_tol=ABS_TOL,
        ignore_spaces=True, ignore_case=True,
    )  # fmt: skip
    rows = comparison.intersect_rows
    mismatches = {
        (*key, column)
        for column in COMPARED
        for key in rows.filter(~pl.col(f"{column}_match")).select(KEY).iter_rows()
    }
    return mismatches, len(comparison.df1_unq_rows), len(comparison.df2_unq_rows)


ENGINES = {
    "ours": run_ours,
    "datacompy-pandas": run_datacompy_pandas,
    "datacompy-polars": run_datacompy_polars,
}


def load(engine: str, data: Path) -> dict[str, Any]:
    if engine == "datacompy-polars":
        import polars as pl

        return {
            f"{name}_lines": pl.read_parquet(data / f"{name}_lines.parquet").drop("line")
            for name in ("expected", "actual")
        }
    if engine == "datacompy-pandas":
        frames = {
            f"{name}_lines": pd.read_parquet(data / f"{name}_lines.parquet").drop(columns="line")
            for name in ("expected", "actual")
        }
    else:
        frames = {path.stem: pd.read_parquet(path) for path in sorted(data.glob("*.parquet"))}
    # Both pandas engines get text as the compare function has it in Lambda: Python strings.
    as_in_lambda()
    return {name: _python_text(frame) for name, frame in frames.items()}


def _python_text(frame: pd.DataFrame) -> pd.DataFrame:
    python = pd.StringDtype("python", na_value=np.nan)
    return frame.astype({name: python for name, dtype in frame.dtypes.items() if dtype == "str"})


def child(engine: str, data: Path, repeat: int, out: Path) -> None:
    frames = load(engine, data)
    gc.collect()
    loaded_mb = _rss_mb()
    reset_peak()  # the peak counts from the loaded frames, not the Parquet reading before them
    times, found = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        found = ENGINES[engine](frames)
        times.append(time.perf_counter() - start)
    assert found is not None
    mismatches, missing, extra = found
    peak_mb = peak_rss_mb()
    report = {"times": times, "loaded_mb": loaded_mb, "peak_mb": peak_mb, "missing": missing, "extra": extra}
    out.write_text(json.dumps({**report, "mismatches": sorted(mismatches)}))


def small_child(rows: int, calls: int, out: Path) -> None:
    as_in_lambda()  # text as Python strings for both engines, as in Lambda
    import datacompy
    from ior_compare.domain.engine import compare

    frames = generate(rows, seed=7)
    config = bench_config()
    args = [frames[k] for k in ("expected_lines", "actual_lines", "expected_entries", "actual_entries")]
    lines_e, lines_a = (frames[k].drop(columns="line") for k in ("expected_lines", "actual_lines"))

    def ours() -> None:
        compare(*args, config=config)

    def theirs() -> None:
        datacompy.PandasCompare(
            lines_e, lines_a, join_columns=KEY, abs_tol=ABS_TOL, ignore_spaces=True, ignore_case=True
        )

    result = {}
    for name, call, count in (("ours", ours, calls), ("datacompy-pandas", theirs, max(20, calls // 5))):
        call()  # warm up
        wall, cpu = [], []
        for _ in range(count):
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        wall_ms, cpu_ms = statistics.median(wall) * 1000, statistics.median(cpu) * 1000
        result[name] = {"median_ms": wall_ms, "cpu_ms": cpu_ms, "calls": count}
    out.write_text(json.dumps(result))


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _spawn(args: list[str], out: Path) -> dict[str, Any]:
    subprocess.run([sys.executable, __file__, *args, "--out", str(out)], check=True)
    data: dict[str, Any] = json.loads(out.read_text())
    return data


# --- report ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small-rows", type=int, default=1000)
    parser.add_argument("--small-calls", type=int, default=300)
    parser.add_argument("--child", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--small-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.data, args.repeat, args.out)
        return 0
    if args.small_child:
        small_child(args.small_rows, args.small_calls, args.out)
        return 0

    with tempfile.TemporaryDirectory(prefix="ior-bench-compare-") as tmp:
        data = Path(tmp)
        start = time.perf_counter()
        frames = generate(args.rows)
        for name, frame in frames.items():
            frame.to_parquet(data / f"{name}.parquet", index=False)
        n_actual = len(frames["actual_lines"])
        del frames
        elapsed = time.perf_counter() - start
        print(f"generated {args.rows:,} expected and {n_actual:,} actual lines in {elapsed:.1f} s")

        runs = {}
        for engine in ENGINES:
            runs[engine] = _spawn(
                ["--child", engine, "--data", str(data), "--repeat", str(args.repeat)], data / "out.json"
            )
            print(f"  {engine}: done")
        small = _spawn(
            ["--small-child", "--small-rows", str(args.small_rows), "--small-calls", str(args.small_calls)],
            data / "small.json",
        )
    emit("compare_engine", _report(args, runs, small))
    return 0


def _report(
    args: argparse.Namespace, runs: dict[str, dict[str, Any]], small: dict[str, dict[str, Any]]
) -> list[Figure]:
    print(f"\n{args.rows:,} × {args.rows:,} lines, each engine in its own process, median of {args.repeat}")
    header = f"{'engine':<18} {'median s':>9} {'runs (s)':>18} {'peak MB':>8} {'over frames MB':>15}"
    print(f"{header} {'mismatches':>11}")
    for engine, run in runs.items():
        times = " ".join(f"{t:.2f}" for t in run["times"])
        print(
            f"{engine:<18} {statistics.median(run['times']):>9.2f} {times:>18} {run['peak_mb']:>8.0f} "
            f"{run['peak_mb'] - run['loaded_mb']:>15.0f} {len(run['mismatches']):>11,}"
        )

    sets = {engine: {tuple(m) for m in run["mismatches"]} for engine, run in runs.items()}
    unpaired = {engine: (run["missing"], run["extra"]) for engine, run in runs.items()}
    print("\nSame findings? (key, field) out of tolerance, by field, and lines missing/extra:")
    for engine, found in sets.items():
        by_field = " ".join(f"{f}={sum(1 for m in found if m[-1] == f)}" for f in COMPARED)
        missing, extra = unpaired[engine]
        print(f"  {engine:<18} {len(found):,}: {by_field}; missing {missing:,}, extra {extra:,}")
    same = sets["ours"] == sets["datacompy-pandas"] == sets["datacompy-polars"]
    print(f"  sets of (key, field) equal: {same}; missing/extra equal: {len(set(unpaired.values())) == 1}")

    ours, peer = small["ours"], small["datacompy-pandas"]
    print(f"\n{args.small_rows:,}-row calls, median (wall / CPU):")
    print(
        f"  ours               {ours['median_ms']:.2f} / {ours['cpu_ms']:.2f} ms over {ours['calls']} calls"
    )
    print(
        f"  datacompy-pandas   {peer['median_ms']:.2f} / {peer['cpu_ms']:.2f} ms over {peer['calls']} calls"
    )

    ours_s = statistics.median(runs["ours"]["times"])
    peers_s = {e: statistics.median(runs[e]["times"]) for e in ("datacompy-pandas", "datacompy-polars")}
    ratio = ours["median_ms"] / peer["median_ms"]
    fastest = min(peers_s.values())
    size = f"{args.rows:,} lines"
    rows = [
        (f"{size}: time", f"{ours_s:.2f} s", f"< {fastest:.2f} s (fastest peer)", ours_s < fastest),
        (f"{size}: peak memory", f"{runs['ours']['peak_mb']:.0f} MB", f"≤ {TARGETS['large_mb']} MB",
         runs["ours"]["peak_mb"] <= TARGETS["large_mb"]),
        (f"{args.small_rows:,}-row call, wall", f"{ours['median_ms']:.2f} ms", f"≤ {TARGETS['small_ms']} ms",
         ours["median_ms"] <= TARGETS["small_ms"]),
        (f"{args.small_rows:,}-row call, CPU", f"{ours['cpu_ms']:.2f} ms", f"≤ {TARGETS['small_ms']} ms",
         ours["cpu_ms"] <= TARGETS["small_ms"]),
        (f"{args.small_rows:,}-row call / datacompy", f"{ratio:.2f}×",
         f"≤ {TARGETS['small_ms'] / 23:.2f}× (8 ms / ~23 ms)", ratio <= TARGETS["small_ms"] / 23),
    ]  # fmt: skip
    print(f"\n{'target':<34} {'ours':>10}   {'target':<32} met")
    for name, value, target, met in rows:
        print(f"{name:<34} {value:>10}   {target:<32} {'yes' if met else 'no'}")
    load = os.getloadavg()[0]
    print(
        f"\nLoad average {load:.1f} on {os.cpu_count()} CPUs: other work on the machine slows every engine."
    )
    ours_mb = runs["ours"]["peak_mb"]
    figures = [Figure(f"{size}: time", ours_s, "s", peer=e, peer_value=s) for e, s in peers_s.items()]
    figures += [
        Figure(f"{size}: peak memory", ours_mb, "MB", target=TARGETS["large_mb"]),
        *(
            Figure(f"{size}: peak memory", ours_mb, "MB", peer=e, peer_value=runs[e]["peak_mb"])
            for e in peers_s
        ),
        Figure(f"{args.small_rows:,}-row call, wall", ours["median_ms"], "ms", target=TARGETS["small_ms"]),
        Figure(
            f"{args.small_rows:,}-row call, wall", ours["median_ms"], "ms",
            peer="datacompy-pandas", peer_value=peer["median_ms"],
        ),
        Figure(f"{args.small_rows:,}-row call, CPU", ours["cpu_ms"], "ms", target=TARGETS["small_ms"]),
    ]  # fmt: skip
    return figures


if __name__ == "__main__":
    sys.exit(main())
