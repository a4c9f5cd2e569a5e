"""Transactions benchmark: validate and build the transactions dataset from N synthetic ZSDR002 lines.

The lines are generated deterministically as the text frame `read_extract` yields (one text column
per SAP field, `source_row`): five items per invoice, mostly F2 with a few credits, cancellations
and cancelled originals, EUR/TWD/USD, 73 materials, and one malformed quantity in every 1 000 lines
(quarantined; the run stays under its 1 % threshold and is published). ZEMM004 carries a supplier
cost per material in USD, so the related-party check converts most lines at the exchange-rates
dataset. Each size runs in its own process: times are the median of `--repeat` runs; memory is the
process's peak RSS, before and during the build.

    uv run python -m bench.etl_transactions                 # 250k, 500k and 1M lines
    uv run python -m bench.etl_transactions --sizes 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from multiprocessing.connection import Connection

import numpy as np
import pandas as pd
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.snapshot import write_snapshot
from ior_etl.domain.transactions import RULES, build_transactions, prepare
from ior_etl.domain.validation import validate
from ior_tools.runtime.lambda_python import as_in_lambda

from bench.figures import Figure, emit

# The engine alone runs as in its function: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

SEED = 7
MATERIALS = 73
ITEMS_PER_INVOICE = 5
MALFORMED_EVERY = 1000
EXPENSIVE_MATERIALS = (42, 54)
WARM_UP_ROWS = 2_000
VALIDATION_TARGET_S = 0.6
DEFAULT_SIZES = (250_000, 500_000, 1_000_000)


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def synthetic_billing(rows: int, seed: int = SEED) -> pd.DataFrame:
    """`rows` ZSDR002 lines as SAP sends them after normalisation, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    line = np.arange(rows)
    invoice = line // ITEMS_PER_INVOICE
    day = invoice % 120
    kind = rng.choice(np.array(["F2", "G2", "RE", "S1"]), size=rows, p=[0.97, 0.01, 0.01, 0.01])
    kind = np.repeat(kind[::ITEMS_PER_INVOICE], ITEMS_PER_INVOICE)[:rows]  # one type per invoice
    cancels = np.where(kind == "S1", np.char.zfill((90_000_000 + invoice - 1).astype(str), 10), "")
    cancelled = np.where(np.roll(kind == "S1", -ITEMS_PER_INVOICE), "X", "")
    currency = rng.choice(np.array(["EUR", "TWD", "USD"]), size=rows, p=[0.5, 0.3, 0.2])
    quantity = np.char.add(rng.integers(1, 500, size=rows).astype(str), ".000")
    quantity[line % MALFORMED_EVERY == MALFORMED_EVERY - 1] = "x"
    cents = rng.integers(1_000, 5_000_000, size=rows)
    value = np.char.add(
        np.char.add((cents // 100).astype(str), "."), np.char.zfill((cents % 100).astype(str), 2)
    )
    billing_day = np.datetime64("2026-01-01") + day.astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "VBELN": _text(np.char.zfill((90_000_000 + invoice).astype(str), 10)),
            "POSNR": _text(np.char.zfill(((line % ITEMS_PER_INVOICE + 1) * 10).astype(str), 6)),
            "FKART": _text(kind),
            "FKDAT": _text(np.datetime_as_string(billing_day)),
            "FKSTO": _text(cancelled),
            "SFAKN": _text(cancels),
            "MATNR": _text(np.char.zfill((10_000_001 + line % MATERIALS).astype(str), 18)),
            "ARKTX": _text(np.char.add("Networking product ", (line % MATERIALS).astype(str))),
            "FKIMG": _text(quantity),
            "VRKME": _text(np.full(rows, "ST")),
            "NETWR": _text(value),
            "WAERK": _text(currency),
            "ZZSHIPMENT": _text(np.char.add("SH", (invoice // 4).astype(str))),
            "ZZPORT": _text(rng.choice(np.array(["2709", "2704", "2720"]), size=rows)),
            "ZZMOT": _text(rng.choice(np.array(["11", "40", "30"]), size=rows)),
            "ZZARRIVAL": _text(np.datetime_as_string(billing_day + np.timedelta64(7, "D"))),
        }
    )
    frame["source_row"] = pd.Series(line + 1, dtype="int64")
    return frame


def synthetic_supplier_items() -> pd.DataFrame:
    """One supplier invoice item per material, in USD: 1.00 a unit, except two materials costing
    1 000.00, above most of their intercompany prices; a few per cent of the invoice lines are flagged."""
    materials = np.arange(MATERIALS)
    unit_cost = np.where(np.isin(materials, EXPENSIVE_MATERIALS), 100_000, 100)
    return pd.DataFrame(
        {
            "BELNR": _text(np.char.zfill((5_100_000_000 + materials).astype(str), 10)),
            "GJAHR": _text(np.full(MATERIALS, "2025")),
            "BUZEI": _text(np.full(MATERIALS, "000001")),
            "EBELN": _text(np.full(MATERIALS, "4500000001")),
            "MATNR": _text(np.char.zfill((10_000_001 + materials).astype(str), 18)),
            "MENGE": _text(np.full(MATERIALS, "100.000")),
            "BSTME": _text(np.full(MATERIALS, "ST")),
            "WRBTR": _text(np.char.add(unit_cost.astype(str), ".00")),
            "WAERS": _text(np.full(MATERIALS, "USD")),
            "SHKZG": _text(np.full(MATERIALS, "S")),
            "BLDAT": _text(np.full(MATERIALS, "2025-12-01")),
        }
    )


def synthetic_rates() -> pd.DataFrame:
    """The exchange-rates dataset: EUR and TWD every day of the billing period."""
    days = pd.date_range("2025-12-25", "2026-05-31", freq="D").astype("datetime64[s]")
    return pd.DataFrame(
        {
            "currency": ["EUR"] * len(days) + ["TWD"] * len(days),
            "date": list(days) * 2,
            "usd_per_unit": [Decimal("1.085")] * len(days) + [Decimal("0.03125")] * len(days),
        }
    ).astype({"date": "datetime64[s]"})


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def _median_time(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def measure(rows: int, repeat: int, snapshot: bool) -> dict[str, float | int | str]:
    """One size, in this process: the timings and memory of validating and building."""
    billing = synthetic_billing(rows)
    supplier, rates = synthetic_supplier_items(), synthetic_rates()
    policy = HoldPolicy()
    threshold = policy.threshold("transactions")
    rss_input = _rss_mb()
    # One small build first: compiled patterns and lazy imports are not what is measured.
    build_transactions(billing.head(WARM_UP_ROWS), supplier, rates=rates, policy=policy)

    candidates = prepare(billing)
    prepare_s, prepare_cpu = _median_time(lambda: prepare(billing), repeat)
    validate_s, validate_cpu = _median_time(lambda: validate(candidates, RULES, threshold=threshold), repeat)
    build_s, build_cpu = _median_time(
        lambda: build_transactions(billing, supplier, rates=rates, policy=policy), repeat
    )
    build = build_transactions(billing, supplier, rates=rates, policy=policy)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, float | int | str] = {
        "rows": rows,
        "prepare_s": prepare_s,
        "prepare_cpu": prepare_cpu,
        "validate_s": validate_s,
        "validate_cpu": validate_cpu,
        "build_s": build_s,
        "build_cpu": build_cpu,
        "published": len(build.frame),
        "rejected": build.outcome.rejected_rows,
        "flagged": int(build.flags.get("related_party_review", 0)),
        "status": build.outcome.status,
        "rss_input_mb": rss_input,
        "peak_mb": peak_mb,
    }
    if snapshot:
        started = time.perf_counter()
        written = write_snapshot(build.frame, "transactions")
        result["snapshot_s"] = time.perf_counter() - started
        result["snapshot_mb"] = len(written.data) / 1e6
    return result


def _child(rows: int, repeat: int, snapshot: bool, conn: Connection) -> None:
    conn.send(measure(rows, repeat, snapshot))
    conn.close()


def _in_own_process(rows: int, repeat: int, snapshot: bool) -> dict[str, float | int | str]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(rows, repeat, snapshot, child))
    process.start()
    result: dict[str, float | int | str] = parent.recv()
    process.join()
    return result


def _row(result: dict[str, float | int | str]) -> str:
    rows = int(result["rows"])
    timings = (
        f"{result['prepare_s']:>10.3f} {result['validate_s']:>11.3f} {result['validate_cpu']:>8.3f} "
        f"{result['build_s']:>8.2f} {result['build_cpu']:>8.2f}"
    )
    per_line = float(result["build_cpu"]) / rows * 1e6
    counts = f"{result['published']:>10,} {result['rejected']:>9,} {result['flagged']:>8,}"
    memory = f"{result['rss_input_mb']:>9.0f} {result['peak_mb']:>8.0f}"
    return f"{rows:>10,} {timings} {per_line:>8.2f} {counts} {memory}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated line counts"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-snapshot", action="store_true", help="skip writing the largest size's snapshot")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))

    print(f"transactions from synthetic ZSDR002 lines, median of {args.repeat} runs, a process per size")
    header = (
        f"{'lines':>10} {'prepare s':>10} {'validate s':>11} {'cpu s':>8} {'build s':>8} {'cpu s':>8} "
        f"{'µs/line':>8} "
        f"{'published':>10} {'rejected':>9} {'flagged':>8} {'input MB':>9} {'peak MB':>8}"
    )
    print("(build = prepare + validate + the typed frame with the related-party check; µs/line of build CPU;")
    print(" memory is the process's RSS: with the input generated, and at its peak)")
    print(header)
    results = []
    for rows in sizes:
        result = _in_own_process(rows, args.repeat, snapshot=not args.no_snapshot and rows == sizes[-1])
        results.append(result)
        print(_row(result), flush=True)
    largest = results[-1]
    print(
        f"validation of {largest['rows']:,} lines: {largest['validate_s']:.3f} s wall, "
        f"{largest['validate_cpu']:.3f} s CPU (target ≤ {VALIDATION_TARGET_S} s; {len(RULES.rules)} rules)"
    )
    if len(results) > 1:
        first = results[0]
        ratio = (float(largest["build_cpu"]) / float(first["build_cpu"])) / (
            int(largest["rows"]) / int(first["rows"])
        )
        print(f"build CPU time per line, largest vs smallest size: ×{ratio:.2f} (1.00 = linear)")
    if "snapshot_s" in largest:
        size = f"{largest['snapshot_mb']:.1f} MB gzip"
        print(f"snapshot of {largest['published']:,} rows: {largest['snapshot_s']:.2f} s, {size}")
    emit("etl_transactions", figures(largest))
    return 0


def figures(largest: dict[str, float | int | str]) -> list[Figure]:
    """The largest size's figures."""
    size = f"{int(largest['rows']):,} lines"
    found = [
        Figure(f"validate {size}", float(largest["validate_s"]), "s", target=VALIDATION_TARGET_S),
        Figure(f"build {size}", float(largest["build_s"]), "s"),
        Figure("build CPU per line", float(largest["build_cpu"]) / int(largest["rows"]) * 1e6, "µs"),
        Figure(f"peak RSS, {size}", float(largest["peak_mb"]), "MB"),
    ]
    if "snapshot_s" in largest:
        found.append(
            Figure(f"snapshot of {int(largest['published']):,} rows", float(largest["snapshot_s"]), "s")
        )
    return found


if __name__ == "__main__":
    sys.exit(main())
