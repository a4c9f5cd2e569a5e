"""Extracts benchmark: the ETL's service path around its engine for a transactions rebuild from the
landed SAP extracts, the largest `etl-extracts` invocation of a day.

The extracts are the sample generator's (`ior_tools.sample.generate`) for one business day of N
billing lines — ZSDR002, ZEMM004 and ZEMM07 — written as ingestion lands them (its own
`stage_pages`: gzip JSON Lines, SAP's field order). Each run is what `handlers.rebuild` computes for
the transactions dataset, as in Lambda (text as Python strings, no pyarrow): read the extracts into
text frames (`inputs.Reader`), merge the incremental windows and read the exchange-rates version
(`inputs.load`), validate and build (the engine, counted by `ior_contracts.engine_time`), then the
quarantine file, the snapshot, its origins companion and the version id. Figures are CPU seconds, the
median of `--repeat` runs in one process; the invocation's ratio over its engine is the figure to
hold at ≤ 3. The outputs' SHA-256 and the version id are printed, so a change to the path can be
shown to keep every byte.

    uv run python -m bench.etl_extracts                            # 1M lines, 3 runs
    uv run python -m bench.etl_extracts --lines 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import cast

from ior_contracts.claims import ClaimCheck
from ior_contracts.datasets import SCHEMA_VERSION
from ior_contracts.engine_time import engine_cpu_s
from ior_etl.domain.building import build_automated
from ior_etl.domain.extracts import read_extract
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.origins import write_origins
from ior_etl.domain.quarantine import quarantine_body
from ior_etl.domain.results import from_build
from ior_etl.domain.sap_fields import ZEMM004, ZEMM07, ZSDR002
from ior_etl.domain.snapshot import InputChecksum, version_id, write_ordered_snapshot, write_snapshot
from ior_etl.domain.sources import EXCHANGE_RATES
from ior_etl.ports import CurrentVersion, LandedExtract, ObjectsPort
from ior_etl.service_layer.inputs import Plan, Reader, load
from ior_ingestion.adapters.staging import RAW_SCHEMA_VERSION, stage_pages
from ior_tools.runtime.lambda_python import as_in_lambda

from bench.etl_manual_upload import RATIO_TARGET, WORK, invocation_figures, sample_day
from bench.figures import emit

# The service path runs as in its function: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

DATASET = "transactions"
SOURCES = (ZSDR002.name, ZEMM004.name)  # read as extracts; ZEMM07 through the exchange-rates version
DEFAULT_LINES = 1_000_000
PAGE_ROWS = 5_000  # records per page handed to landing, as the SAP client pages them
CODE_VERSION = "bench"


class Objects:
    """The landed objects in memory, read as the service reads them: verified against their checksum."""

    def __init__(self) -> None:
        self._stored: dict[str, bytes] = {}

    def put(self, uri: str, data: bytes) -> str:
        self._stored[uri] = data
        return hashlib.sha256(data).hexdigest()

    def read(self, uri: str, sha256: str) -> bytes:
        data = self._stored[uri]
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"{uri}: checksum mismatch")
        return data


def _pages(jsonl: Path) -> Iterator[list[dict[str, object]]]:
    with jsonl.open("rb") as lines:
        page: list[dict[str, object]] = []
        for line in lines:
            page.append(json.loads(line))
            if len(page) == PAGE_ROWS:
                yield page
                page = []
        if page:
            yield page


def landed(source: str, day: Path, work: Path) -> bytes:
    """The sample's extract of `source` as ingestion lands it, staged once per size."""
    out = work / f"landed-{day.name}" / f"{source}.jsonl.gz"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = stage_pages(_pages(day / "sap" / f"{source}.jsonl"), out.parent)
        staged.path.rename(out)
    return out.read_bytes()


def _claim(uri: str, sha256: str, rows: int, schema_version: str) -> ClaimCheck:
    return ClaimCheck(uri=uri, sha256=sha256, row_count=rows, schema_version=schema_version)


def landed_day(lines: int, work: Path) -> tuple[Objects, Plan]:
    """The day's extracts stored, the exchange-rates version built from ZEMM07 (as the invocation
    before this one does), and the transactions rebuild's plan over them."""
    day = sample_day(lines, work)
    business_date = date.fromisoformat(json.loads((day / "manifest.json").read_text())["business_dates"][0])
    at = f"{business_date.isoformat()}T06:00:00Z"
    objects = Objects()
    extracts: dict[str, LandedExtract] = {}
    for source in (*SOURCES, ZEMM07.name):
        data = landed(source, day, work)
        uri = f"s3://bench-landing/{source}/{business_date.isoformat()}.jsonl.gz"
        sha = objects.put(uri, data)
        claim = _claim(uri, sha, 0, RAW_SCHEMA_VERSION)
        extracts[source] = LandedExtract(source, claim, business_date, business_date, at, f"run-{source}")
    rates_extract = extracts.pop(ZEMM07.name)
    rates_frame = read_extract(objects.read(rates_extract.claim.uri, rates_extract.claim.sha256), ZEMM07)
    rates_build = build_automated(EXCHANGE_RATES, {ZEMM07.name: rates_frame})
    rates_snapshot = write_snapshot(rates_build.frame, rates_build.dataset)
    rates_uri = "s3://bench-published/exchange-rates/data.csv.gz"
    rates_sha = objects.put(rates_uri, rates_snapshot.data)
    rates_claim = _claim(rates_uri, rates_sha, rates_snapshot.rows, SCHEMA_VERSION)
    rates = CurrentVersion(EXCHANGE_RATES, "automated", "v-bench", at, "run-rates", rates_claim, "s3://b/m")
    plan = Plan(DATASET, latest={}, windows={s: [e] for s, e in extracts.items()}, rates=rates)
    return objects, plan


def one_run(objects: Objects, plan: Plan, policy: HoldPolicy) -> dict[str, float | int | str]:
    """One invocation's work, each part's CPU seconds (this thread's)."""
    reader = Reader(cast("ObjectsPort", objects))  # the reader only reads: nothing is written here
    started = time.thread_time()
    for extracts in plan.windows.values():
        for extract in extracts:
            reader.extract(extract)  # parsed once, kept for `load`
    read_s = time.thread_time() - started

    started = time.thread_time()
    loaded = load(plan, reader)
    merge_s = time.thread_time() - started

    started, engine_before = time.thread_time(), engine_cpu_s()
    build = build_automated(DATASET, loaded.frames, policy=policy, rates=loaded.rates)
    result = from_build(build)
    built_s, engine_s = time.thread_time() - started, engine_cpu_s() - engine_before

    started = time.thread_time()
    quarantine = quarantine_body(result.rejected, loaded.locate) if result.rejected_rows else b""
    quarantine_s = time.thread_time() - started

    started = time.thread_time()
    snapshot, order = write_ordered_snapshot(build.frame, build.dataset)
    snapshot_s = time.thread_time() - started

    checksums = [InputChecksum(i.name, i.sha256, i.uri) for i in plan.inputs]
    started = time.thread_time()
    origins = write_origins(build, loaded.locate, checksums, order)
    version = version_id(build, snapshot, checksums, CODE_VERSION, policy.version())
    origins_s = time.thread_time() - started
    return {
        "read_s": read_s,
        "merge_s": merge_s,
        "engine_s": engine_s,
        "quarantine_s": quarantine_s,
        "snapshot_s": snapshot_s,
        "origins_s": origins_s,
        "invocation_s": read_s + merge_s + built_s + quarantine_s + snapshot_s + origins_s,
        "rows": snapshot.rows,
        "rejected": result.rejected_rows,
        "snapshot_sha256": snapshot.sha256,
        "origins_sha256": origins.sha256 if origins is not None else "",
        "quarantine_sha256": hashlib.sha256(quarantine).hexdigest(),
        "version": version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="billing lines in the day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args(argv)

    objects, plan = landed_day(args.lines, args.work)
    policy = HoldPolicy()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = [one_run(objects, plan, policy) for _ in range(args.repeat)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median = {key: statistics.median(float(r[key]) for r in runs) for key in runs[0] if key.endswith("_s")}
    last = runs[-1]
    ratio = median["invocation_s"] / median["engine_s"]
    print(f"transactions rebuild from the landed extracts of a {args.lines:,}-line day, as in Lambda:")
    print(
        f"CPU seconds, median of {args.repeat} runs; peak RSS {peak_mb:,.0f} MB, {before_mb:,.0f} MB before"
    )
    print(
        f"  read {median['read_s']:.2f}  merge {median['merge_s']:.2f}  engine {median['engine_s']:.2f}  "
        f"quarantine {median['quarantine_s']:.2f}  snapshot {median['snapshot_s']:.2f}  "
        f"origins {median['origins_s']:.2f}  invocation {median['invocation_s']:.2f}  "
        f"= ×{ratio:.2f} its engine (target ≤ ×{RATIO_TARGET:g})"
    )
    rows, rejected = int(last["rows"]), int(last["rejected"])
    print(f"  {rows:,} rows published, {rejected:,} rejected; version {last['version']}")
    print(f"  snapshot   sha256 {last['snapshot_sha256']}\n  origins    sha256 {last['origins_sha256']}")
    print(f"  quarantine sha256 {last['quarantine_sha256']}")
    emit(
        "etl_extracts", invocation_figures("extracts", args.lines, median["invocation_s"], median["engine_s"])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
