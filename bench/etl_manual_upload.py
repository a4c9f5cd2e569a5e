"""Manual upload benchmark: the ETL's service path around its engine for the analysts' `Invoice_Lines.csv`.

The file is the sample generator's (`ior_tools.sample.generate`) for one business day of N billing
lines. Each run is what the `etl-uploads` invocation computes for that file, as in Lambda (text as
Python strings, no pyarrow): read the file to its pinned format and check every cell (a day's file
is over the API's direct limit, so it comes through the presigned path, unchecked), validate and
build the transactions dataset (the engine, counted by `ior_contracts.engine_time`), and write its
snapshot and origins companion. The check made apart (cell by cell, as the direct upload's check
makes it), then the read, is timed once beside it. Figures are CPU seconds, the median of `--repeat`
runs in one process; the invocation's ratio over its engine is the figure to hold at ≤ 3. The
outputs' SHA-256 are printed, so a change to the path can be shown to keep every byte.

    uv run python -m bench.etl_manual_upload                            # 1M lines, 3 runs
    uv run python -m bench.etl_manual_upload --lines 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ior_contracts.engine_time import engine_cpu_s
from ior_contracts.legacy.formats import FormatReport
from ior_etl.domain.building import build_read
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.origins import write_origins
from ior_etl.domain.snapshot import InputChecksum, write_ordered_snapshot
from ior_etl.ports import Input
from ior_etl.service_layer.inputs import UploadRows
from ior_tools.runtime.lambda_python import as_in_lambda

from bench.figures import Figure, emit

# The service path runs as in its function: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

KIND = "invoice_lines"
RATIO_TARGET = 3.0
MAX_PROBLEMS = 10_000  # as the upload handler checks
DEFAULT_LINES = 1_000_000
# Shared with the extracts benchmark: both read the same generated day.
WORK = Path(tempfile.gettempdir()) / "ior-bench-etl-upload"


def sample_day(lines: int, work: Path) -> Path:
    """The sample company's output for one business day of `lines` billing lines (its SAP extracts
    under `sap/`, the analysts' files under `legacy/`), generated once per size under `work`."""
    from ior_tools.sample import generate

    out = work / f"sample-{lines}"
    if not (out / "manifest.json").exists():
        generate(out, days=1, lines_per_day=lines, fiscal_year_boundary=False)
    return out


def invoice_lines(lines: int, work: Path) -> bytes:
    """The sample's `Invoice_Lines.csv` for one day of `lines` billing lines."""
    return sorted(sample_day(lines, work).glob("legacy/*/Invoice_Lines.csv"))[0].read_bytes()


def invocation_figures(label: str, lines: int, invocation_s: float, engine_s: float) -> list[Figure]:
    """An ETL invocation's CPU seconds beside its engine's, and their ratio against the target."""
    size = f"{lines:,} lines"
    return [
        Figure(f"{label} invocation CPU, {size}", invocation_s, "s"),
        Figure(f"{label} engine CPU, {size}", engine_s, "s"),
        Figure(f"{label} invocation over its engine", invocation_s / engine_s, "×", target=RATIO_TARGET),
    ]


def one_run(data: bytes) -> dict[str, float | int | str]:
    """One invocation's work on the file, each part's CPU seconds (this thread's)."""
    started = time.thread_time()
    read = MANUAL[KIND].read_checked(data, max_problems=MAX_PROBLEMS)
    read_s = time.thread_time() - started
    assert not isinstance(read, FormatReport), f"the sample's file has {len(read.problems)} problems"

    started, engine_before = time.thread_time(), engine_cpu_s()
    build = build_read(KIND, read)
    built_s, engine_s = read_s + time.thread_time() - started, engine_cpu_s() - engine_before
    upload = InputChecksum(KIND, "0" * 64, "s3://bench/Invoice_Lines.csv")
    # Each row located as the upload handler locates it: its own row in the uploaded file.
    locate = UploadRows(MANUAL[KIND].format.file, Input(KIND, upload.uri or "", upload.sha256, "bench"))

    started = time.thread_time()
    snapshot, order = write_ordered_snapshot(build.frame, build.dataset)
    snapshot_s = time.thread_time() - started

    started = time.thread_time()
    origins = write_origins(build, locate, [upload], order)
    origins_s = time.thread_time() - started
    return {
        "read_s": read_s,
        "engine_s": engine_s,
        "invocation_s": built_s + snapshot_s + origins_s,
        "snapshot_s": snapshot_s,
        "origins_s": origins_s,
        "rows": snapshot.rows,
        "rejected": build.outcome.rejected_rows,
        "snapshot_sha256": snapshot.sha256,
        "origins_sha256": origins.sha256 if origins is not None else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="billing lines in the day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args(argv)

    data = invoice_lines(args.lines, args.work)
    runs = [one_run(data) for _ in range(args.repeat)]
    started = time.thread_time()
    MANUAL[KIND].format.check(data, max_problems=MAX_PROBLEMS)
    MANUAL[KIND].read(data)
    apart_s = time.thread_time() - started
    median = {key: statistics.median(float(r[key]) for r in runs) for key in runs[0] if key.endswith("_s")}
    last = runs[-1]
    ratio = median["invocation_s"] / median["engine_s"]
    print(f"Invoice_Lines.csv of {args.lines:,} lines ({len(data) / 1e6:.0f} MB), as in Lambda: CPU seconds,")
    print(f"median of {args.repeat} runs (read and check are part of the invocation, timed alone as well)")
    print(
        f"  read and check {median['read_s']:.2f} (apart, cell by cell then read: {apart_s:.2f})  "
        f"engine {median['engine_s']:.2f}  "
        f"snapshot {median['snapshot_s']:.2f}  origins {median['origins_s']:.2f}  "
        f"invocation {median['invocation_s']:.2f}  "
        f"= ×{ratio:.2f} its engine (target ≤ ×{RATIO_TARGET:g})"
    )
    print(f"  {int(last['rows']):,} rows published, {int(last['rejected']):,} rejected")
    print(f"  snapshot sha256 {last['snapshot_sha256']}\n  origins  sha256 {last['origins_sha256']}")
    emit(
        "etl_manual_upload",
        invocation_figures("upload", args.lines, median["invocation_s"], median["engine_s"]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
