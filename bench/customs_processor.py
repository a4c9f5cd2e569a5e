"""Customs processor benchmark: one business date with N invoice lines (1 000 000 by default) over
~70 products, five currencies, packaging items, credits, cancellations, a few master-data gaps and
a few hundred entries, generated from a fixed seed in the published datasets' shape (text cells,
as read from the snapshots) → entry lines. Prints the median of `--repeat` runs of `process`, and
the memory of a child process that builds the inputs and runs `process` once: its peak resident
set, the inputs' share of it and the run's peak allocations.

    uv run python bench/customs_processor.py [--lines 1000000] [--repeat 3]

Target: ≤ 5 s and ≤ 2 GB on 2 cores."""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ior_customs.domain import FeeTable, ProcessorInputs, process
from ior_tools.runtime.lambda_python import as_in_lambda

from bench.figures import Figure, emit

# The engine alone runs as in its function: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

TARGET_S, TARGET_MB = 5.0, 2048.0  # ≤ 5 s and ≤ 2 GB on 2 cores
DAY = date(2026, 3, 16)
SEED = 20260316
HTS = [
    ("8517620020", "No.", "0"), ("8517620090", "No.", "0"), ("8504409520", "No.", "0"),
    ("8544429090", "No.", "0.026"), ("8544422000", "No.", "0"), ("8473305100", "No.", "0"),
    ("7326908688", "kg", "0.029"), ("7326901000", "No. and kg", "0"), ("8471500150", "No.", "0"),
    ("8523510000", "No.", "0"), ("8536694040", "No.", "0.027"), ("8538908180", "kg", "0.035"),
]  # fmt: skip
ORIGINS = ["CN", "TW", "MY", "VN", "TH", "MX"]
CURRENCIES = ["USD", "EUR", "TWD", "CNY", "JPY", "GBP"]
CURRENCY_ODDS = [0.5, 0.15, 0.15, 0.1, 0.09, 0.01]
RATES = {"EUR": 1.085, "TWD": 0.03125, "CNY": 0.13842, "JPY": 0.0067}
"""GBP has no rate: its lines are quarantined no_exchange_rate."""
PACKAGING = [("90000001", "0.9"), ("90000002", "0.15"), ("90000003", "22"), ("90000004", "0.333")]
PROVISION_COLUMNS = (
    "code", "programme", "kind", "rate", "part", "hts_prefixes", "origins", "origins_excluded",
    "min_metal_share", "max_metal_share", "rank",
)  # fmt: skip
S301_LIST_3 = "85044095;85444290;73269086;84733051"
PROVISIONS = [
    ("9903.88.03", "S301", "additional", "0.25", "any", S301_LIST_3, "CN", "", "", "", 10),
    ("9903.88.15", "S301", "additional", "0.075", "any", "851762", "CN", "", "", "", 10),
    ("9903.03.01", "S122", "additional", "0.10", "non_metal", "", "*", "MX", "", "", 27),
    ("9903.03.08", "S122", "exemption", "0", "any", "", "MX", "", "", "", 27),
    ("9903.03.06", "S122", "exemption", "0", "any", "73269086", "*", "", "", "", 27),
    ("9903.03.06", "S122", "exemption", "0", "metal", "85044095", "*", "", "", "", 27),
    ("9903.81.90", "S232", "additional", "0.50", "any", "73269086", "*", "", "", "", 40),
    ("9903.81.91", "S232", "additional", "0.50", "metal", "85044095;85389081", "*", "", "", "", 40),
    ("9903.82.03", "S232", "exemption", "0", "any", "8536", "*", "", "", "0.15", 40),
]  # fmt: skip
FEES = FeeTable.from_rows(
    [
        {"fee": "MPF", "rate": "0.003464", "min": "33.58", "max": "651.50",
         "effective_from": date(2025, 10, 1), "effective_to": date(2026, 9, 30)},
        {"fee": "HMF", "rate": "0.00125", "modes": ["10", "11"], "effective_from": date(1990, 1, 1)},
    ],
    version="bench",
)  # fmt: skip


def _text(values: npt.NDArray[Any]) -> pd.Series:
    return pd.Series(values.astype(str), dtype="str")


def _decimal_text(scaled: npt.NDArray[np.int64], places: int) -> pd.Series:
    whole, rest = np.divmod(scaled, 10**places)
    return _text(np.char.add(np.char.add(whole.astype(str), "."), np.char.zfill(rest.astype(str), places)))


def reference(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    n = 70
    hts = rng.integers(0, len(HTS), n)
    net_grams = rng.integers(50, 12_000, n)
    metal_cents = np.where(rng.random(n) < 0.3, rng.integers(50, 2_000, n), 0)
    products = pd.DataFrame(
        {
            "material": _text(10_000_001 + np.arange(n)),
            "description": _text(np.char.add("Product ", np.arange(n).astype(str))),
            "hts10": _text(np.array([HTS[h][0] for h in hts])),
            "origin": _text(rng.choice(ORIGINS, n)),
            "net_kg": _decimal_text(net_grams, 3),
            "gross_kg": _decimal_text(net_grams + rng.integers(0, 900, n), 3),
            "metal_share": _decimal_text(rng.integers(0, 101, n), 2),
            "metal_value_per_unit": _decimal_text(metal_cents, 2),
            "metal_value_currency": _text(rng.choice(["USD", "USD", "EUR"], n)),
        }
    )
    rates = pd.DataFrame(
        [
            {
                "currency": c,
                "date": (DAY - timedelta(days=d)).isoformat(),
                "usd_per_unit": f"{r * (1 + d / 1000):.6f}",
            }
            for c, r in RATES.items()
            for d in range(30)
        ]
    )
    provisions = pd.DataFrame([dict(zip(PROVISION_COLUMNS, p, strict=True)) for p in PROVISIONS])
    provisions["seq"] = provisions.groupby("code").cumcount() + 1
    provisions["effective_from"] = "2025-06-04"
    provisions["effective_to"] = ""
    hts_reference = pd.DataFrame(
        {
            "hts10": [h[0] for h in HTS],
            "unit": [h[1] for h in HTS],
            "general_rate": [h[2] for h in HTS],
            "description": [f"HTS {h[0]}" for h in HTS],
        }
    )
    packaging = pd.DataFrame({"material": [p[0] for p in PACKAGING], "unit_kg": [p[1] for p in PACKAGING]})
    return {
        "products": products,
        "packaging": packaging,
        "hts": hts_reference,
        "provisions": provisions,
        "exchange_rates": rates,
    }


def transactions(rng: np.random.Generator, n: int, products: pd.DataFrame, hts: pd.DataFrame) -> pd.DataFrame:
    """n invoice lines in documents of 10 items: ~8 % packaging, ~2 % credits, ~1.5 % cancelled,
    ~0.1 % unknown materials, kilogram quantities for products reported in kg."""
    per_document = 10
    documents = (n + per_document - 1) // per_document
    document = np.repeat(np.arange(documents), per_document)[:n]
    kind = rng.choice(np.array(["F2", "G2", "RE", "S1"]), documents, p=[0.97, 0.01, 0.01, 0.01])
    cancels = np.where(kind == "S1", (90_000_000 + rng.integers(0, documents, documents)).astype(str), "")
    shipment = rng.integers(0, 400, documents)
    billing_dates = np.array([(DAY - timedelta(days=d)).isoformat() for d in range(8)])
    product = rng.integers(0, len(products), n)
    materials = products["material"].to_numpy(dtype=str)
    packaging = rng.random(n) < 0.08
    unknown = rng.random(n) < 0.001
    material = np.where(packaging, rng.choice(np.array([p[0] for p in PACKAGING]), n), materials[product])
    material = np.where(unknown, "19999999", material)
    in_kg = dict(zip(hts["hts10"], hts["unit"] == "kg", strict=True))
    by_weight = np.array([in_kg[h] for h in products["hts10"]])[product] & ~packaging & (rng.random(n) < 0.5)
    return pd.DataFrame(
        {
            "document": _text(90_000_000 + document),
            "item": (np.arange(n) % per_document + 1) * 10,
            "type": _text(kind[document]),
            "cancels": _text(cancels[document]),
            "cancelled": _text(np.where(rng.random(documents) < 0.005, "true", "false")[document]),
            "billing_date": _text(billing_dates[rng.integers(0, 8, documents)][document]),
            "material": _text(material),
            "quantity": _text(rng.integers(1, 500, n)),
            "unit": _text(np.where(by_weight, "KGM", "PCE")),
            "value": _decimal_text(rng.integers(100, 5_000_000, n), 2),
            "currency": _text(rng.choice(np.array(CURRENCIES), documents, p=CURRENCY_ODDS)[document]),
            "shipment": _text(np.char.add("SH", shipment.astype(str))[document]),
            "port": _text(np.array(["2704", "2709", "1001", "5301"])[shipment % 4][document]),
            "mode": _text(np.array(["11", "40", "10", "30"])[shipment % 4][document]),
            "arrival": _text(np.full(n, DAY.isoformat())),
        }
    )


def build_inputs(lines: int) -> ProcessorInputs:
    rng = np.random.default_rng(SEED)
    frames = reference(rng)
    return ProcessorInputs(
        business_date=DAY,
        transactions=transactions(rng, lines, frames["products"], frames["hts"]),
        fees=FEES,
        dataset_versions={name: "bench" for name in ("transactions", "product-master", "hts-reference")},
        **frames,
    )


def _resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _measure_memory_in_child(lines: int, out: Connection) -> None:
    inputs = build_inputs(lines)
    gc.collect()
    resident = _resident_bytes()
    tracemalloc.start()
    process(inputs)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out.send((resident, traced_peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def measure(lines: int = 1_000_000, repeat: int = 3) -> dict[str, Any]:
    """The run's counts, the median time of `process` and the memory of a child run."""
    # Memory in a fresh process, so the timing runs below do not inflate it.
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure_memory_in_child, args=(lines, send))
    child.start()
    inputs_resident, process_peak, peak_rss = receive.recv()
    child.join()

    inputs = build_inputs(lines)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = process(inputs)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    serialised = result.to_json_bytes()
    serialising = time.perf_counter() - started
    mb = 1024 * 1024
    return {
        "lines": lines,
        "repeat": repeat,
        "entries": len(result.entries),
        "entry_lines": len(result.lines),
        "set_aside": (len(result.quarantined), len(result.held_out), len(result.dropped)),
        "timings": timings,
        "median_s": statistics.median(timings),
        "peak_rss_mb": peak_rss / mb,
        "inputs_mb": inputs_resident / mb,
        "process_peak_mb": process_peak / mb,
        "json_s": serialising,
        "json_mb": len(serialised) / 1e6,
    }


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, figure, target) rows, as the other benchmarks report them."""
    set_aside = " / ".join(f"{n:,}" for n in r["set_aside"])
    return [
        (f"customs processor, {r['lines']:,} invoice lines", f"{r['entries']:,} entries", ""),
        ("  entry lines", f"{r['entry_lines']:,}", ""),
        ("  quarantined / held out / dropped", set_aside, ""),
        (f"  process, median of {r['repeat']}", f"{r['median_s']:.2f} s",
         f"≤ {TARGET_S:.0f} s (runs " + ", ".join(f"{t:.2f}" for t in r["timings"]) + ")"),
        ("  peak RSS of a child run", f"{r['peak_rss_mb']:,.0f} MB", "≤ 2 GB (includes building the inputs)"),
        ("    inputs resident before the run", f"{r['inputs_mb']:,.0f} MB", ""),
        ("    process() peak allocations", f"{r['process_peak_mb']:,.0f} MB", "tracemalloc"),
        ("  canonical JSON", f"{r['json_s']:.2f} s", f"{r['json_mb']:.0f} MB, not in the target"),
    ]  # fmt: skip


def figures(r: dict[str, Any]) -> list[Figure]:
    size = f"{r['lines']:,} lines"
    return [
        Figure(f"process {size}", r["median_s"], "s", target=TARGET_S),
        Figure(f"peak RSS, {size}", r["peak_rss_mb"], "MB", target=TARGET_MB),
        Figure(f"canonical JSON, {size}", r["json_s"], "s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    result = measure(args.lines, args.repeat)
    for what, figure, target in rows(result):
        print(f"{what:<40}{figure:>16}  {target}")
    emit("customs_processor", figures(result))


if __name__ == "__main__":
    main()
