"""Customs service benchmark: the `customs-datasets` invocation's path around its processor, on the
sample company's day of N billing lines (~2 invoice items per customs line, where
`customs_processor`'s synthetic data gathers ~40).

The datasets are the sample's legacy files (`ior_tools.sample.generate`) built into their snapshots
by the ETL's own code (`build_manual`, `write_snapshot`), once per size; the fee table is the shipped
fiscal years'. Each run is one customs run as the invocation makes it, with the real S3 adapters
against an in-process moto (the snapshots loaded and verified, the outputs gzipped and written) and
an in-memory catalogue and ledger: `service_layer.runs.execute` for the manual mode of the day. Its
CPU seconds (this thread's) beside the processor's (`ior_contracts.engine_time`): the ratio is the
figure to hold at ≤ 3. Then each part of the path alone, on the same run's result: loading the
snapshots, the summary records, the lines JSON, its gzip and write, the compared columns, the
report. Every published object's SHA-256 is printed, so a change to the path can be shown to keep
every byte.

    uv run python -m bench.customs_service                       # 1M lines, 3 runs
    uv run python -m bench.customs_service --lines 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import boto3
from ior_contracts.claims import ClaimCheck
from ior_contracts.engine_time import engine_cpu_s
from ior_customs.adapters.datasets import S3Snapshots
from ior_customs.adapters.outputs import S3Outputs
from ior_customs.config import CustomsConfig
from ior_customs.domain import process
from ior_customs.domain.line_arrays import entry_columns_arrays, line_columns_arrays
from ior_customs.domain.line_columns import (
    EntrySpans,
    GzipMember,
    entry_columns_csv,
    line_codes,
    line_columns_csv,
)
from ior_customs.ports import (
    Deps,
    RunKey,
    Trigger,
)
from ior_customs.service_layer.decisions import OFFICIAL, Decision
from ior_customs.service_layer.loading import Unavailable, load_inputs
from ior_customs.service_layer.reporting import MAX_HTML_LINES, build_report, report_html, report_json
from ior_customs.service_layer.runs import execute
from ior_tools.runtime.lambda_python import as_in_lambda
from moto import mock_aws

from bench.customs_day import AUDIT, DATA, MODE, Catalogue, Ledger, business_day, snapshots, store
from bench.figures import Figure, emit

# The service path runs as in its function: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

RATIO_TARGET = 3.0
DEFAULT_LINES = 1_000_000
T = TypeVar("T")


def _published(s3: Any) -> dict[str, str]:
    """Every object the run wrote, by key: its SHA-256."""
    found = {}
    for bucket in (DATA, AUDIT):
        for item in s3.list_objects_v2(Bucket=bucket, Prefix="customs/").get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[f"{bucket}/{item['Key']}"] = hashlib.sha256(body).hexdigest()
    return found


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.thread_time()
    done = work()
    return done, time.thread_time() - started


def _drained(chunks: Iterator[bytes]) -> bytes:
    return b"".join(chunks)


def one_run(data: Mapping[str, bytes], day: date) -> dict[str, Any]:
    """One invocation's run, then each part of it alone: CPU seconds, and the published objects."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (DATA, AUDIT):
            s3.create_bucket(Bucket=bucket)
        config = CustomsConfig()
        catalogue, ledger = Catalogue(store(s3, data, day)), Ledger()
        outputs = S3Outputs(s3, DATA, AUDIT)
        deps = Deps(
            config=config,
            catalogue=catalogue,
            snapshots=S3Snapshots(s3, ttl_s=0.0, max_entries=1),
            ledger=ledger,
            outputs=outputs,
            code_version="bench",
            clock=lambda: datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC),
        )
        trigger = Trigger("bench", "etl.dataset.published.v1", "bench")
        engine_before = engine_cpu_s()
        outcome, invocation_s = _timed(lambda: execute(day, MODE, trigger, deps, lambda *a, **k: None))
        engine_s = engine_cpu_s() - engine_before
        published = _published(s3)

        # Each part alone, on the same inputs and result.
        inputs, load_s = _timed(lambda: load_inputs(day, MODE, catalogue, deps.snapshots))
        if isinstance(inputs, Unavailable):
            raise RuntimeError(inputs.describe())
        result = process(inputs.processor_inputs())
        (summary, money), summary_s = _timed(lambda: (result.summary(), result.money_totals()))
        spans = EntrySpans()
        lines_json, lines_json_s = _timed(lambda: _drained(spans.passing(result.json_chunks())))
        key = RunKey(day, "bench", inputs.versions, "bench", inputs.fees.version)
        members: list[GzipMember] = []
        _, gzip_s = _timed(
            lambda: outputs.publish("lines", key, [lines_json], len(result.lines), "1", members)
        )
        _, columns_s = _timed(lambda: _columns(result, spans, members))
        details = ledger.finished[outcome.run_id or ""]
        claims = {kind: ClaimCheck(**c) for kind, c in details["outputs"].items()}
        decision = Decision(OFFICIAL, (), {"supersedes": None})
        report = build_report(key, trigger, inputs, summary, money, claims, decision, day, closed=False)
        _, report_json_s = _timed(lambda: report_json(report))
        _, report_html_s = _timed(
            lambda: report_html(report, result.entry_records(MAX_HTML_LINES), MAX_HTML_LINES)
        )
    return {
        "invocation_s": invocation_s,
        "engine_s": engine_s,
        "load_s": load_s,
        "summary_s": summary_s,
        "lines_json_s": lines_json_s,
        "gzip_s": gzip_s,
        "columns_s": columns_s,
        "report_json_s": report_json_s,
        "report_html_s": report_html_s,
        "status": outcome.status,
        "lines": len(result.lines),
        "entries": len(result.entries),
        "lines_mb": len(lines_json) / 1e6,
        "published": published,
    }


def _columns(result: Any, spans: EntrySpans, members: list[GzipMember]) -> tuple[Any, ...]:
    """The compared columns as the run writes them, as CSV and as arrays."""
    codes = line_codes(result.lines)
    return (
        line_columns_csv(result.lines, codes),
        line_columns_arrays(result.lines, codes),
        entry_columns_csv(result.entries, spans.spans, members),
        entry_columns_arrays(result.entries, spans.spans, members),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="billing lines in the day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ior-bench-customs")
    args = parser.parse_args(argv)

    data = snapshots(args.lines, args.work)
    day = business_day(data)
    runs = [one_run(data, day) for _ in range(args.repeat)]
    median = {key: statistics.median(float(r[key]) for r in runs) for key in runs[0] if key.endswith("_s")}
    last = runs[-1]
    ratio = median["invocation_s"] / median["engine_s"]
    print(
        f"customs run of {day} ({MODE}) from the sample's {args.lines:,} billing lines: "
        f"{last['lines']:,} lines in {last['entries']:,} entries, status {last['status']}"
    )
    print(f"CPU seconds, median of {args.repeat} runs; the parts after the invocation, each alone")
    print(
        f"  engine {median['engine_s']:.2f}  invocation {median['invocation_s']:.2f}  "
        f"= ×{ratio:.2f} its engine (target ≤ ×{RATIO_TARGET:g})"
    )
    print(
        f"  load {median['load_s']:.2f}  summary {median['summary_s']:.2f}  "
        f"lines JSON {median['lines_json_s']:.2f} ({last['lines_mb']:.0f} MB)  "
        f"gzip+write {median['gzip_s']:.2f}  columns {median['columns_s']:.2f}  "
        f"report JSON {median['report_json_s']:.2f}  report HTML {median['report_html_s']:.2f}"
    )
    if any(r["published"] != last["published"] for r in runs):
        print("  the runs published different bytes")
        return 1
    for name, digest in sorted(last["published"].items()):
        print(f"  {digest}  {name.split('/')[3] if name.startswith(DATA) else name.rsplit('/', 1)[1]}")
    size = f"{args.lines:,} lines"
    emit(
        "customs_service",
        [
            Figure(f"customs run invocation CPU, {size}", median["invocation_s"], "s"),
            Figure(f"customs run engine CPU, {size}", median["engine_s"], "s"),
            Figure("customs run invocation over its engine", ratio, "×", target=RATIO_TARGET),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
