"""Reading one customs run into the comparison's frames, as the compare service's `compare-lines`
function does: from the lines JSON document (runs published before the compared columns), from the
compared columns customs publishes beside it (`customs-line-columns/1`, `customs-entry-columns/2`),
and from their arrays (`customs-line-arrays/2`, `customs-entry-arrays/2`, which the service reads
where a run has them); and what writing those columns and arrays costs the customs run.

The run is the customs processor benchmark's day (`bench.customs_processor`, `--invoice-lines`,
1 000 000 by default), whose ~23k customs lines are repeated under new entry ids up to
`--customs-lines` (505 000 by default, the lines of one path of the sample company's 1M-line day):
every line, source and entry as the processor made it (at most two sources a line, as in the
sample), only more of them.
Each figure is the median CPU seconds of `--repeat` runs, as in Lambda (text as Python strings, no
pyarrow); the comparison engine on the frames read is printed beside them, the service's reading
being the part of its invocation over the engine.

    uv run python bench/compare_lines_read.py [--customs-lines 505000] [--repeat 3]"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from ior_tools.runtime.lambda_python import as_in_lambda
from isal import igzip

# As in the functions: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

from ior_compare.adapters.lines import PublishedLines  # noqa: E402
from ior_compare.domain.engine import compare  # noqa: E402
from ior_compare.domain.records import RunRecord  # noqa: E402
from ior_contracts.claims import ClaimCheck  # noqa: E402
from ior_contracts.line_columns import (  # noqa: E402
    ENTRY_ARRAYS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA,
    LINE_ARRAYS_SCHEMA,
    LINE_COLUMNS_SCHEMA,
)
from ior_customs.adapters.outputs import GZIP_LEVEL, gzip_members  # noqa: E402  (as customs compresses)
from ior_customs.domain import Result, process  # noqa: E402
from ior_customs.domain.line_arrays import entry_columns_arrays, line_columns_arrays  # noqa: E402
from ior_customs.domain.line_columns import (  # noqa: E402
    EntrySpans,
    GzipMember,
    LineCodes,
    entry_columns_csv,
    line_codes,
    line_columns_csv,
)

from bench.customs_processor import DAY, build_inputs  # noqa: E402
from bench.figures import Figure, emit  # noqa: E402


class MemoryObjects:
    """Claim checks read from memory, their SHA-256 checked as the service's reader does; the bytes
    read (whole or by range) and the reads counted, as the GETs the service would make."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.read_bytes = 0
        self.gets = 0

    def put(self, name: str, body: bytes, rows: int, schema: str) -> ClaimCheck:
        uri = f"s3://bench/customs/published/{name}"
        self.bodies[uri] = body
        digest = hashlib.sha256(body).hexdigest()
        return ClaimCheck(uri=uri, sha256=digest, row_count=rows, schema_version=schema)

    def read(self, claim: ClaimCheck) -> bytes:
        body = self.bodies[claim.uri]
        if hashlib.sha256(body).hexdigest() != claim.sha256:
            raise ValueError(f"{claim.uri}: checksum mismatch")
        self.read_bytes, self.gets = self.read_bytes + len(body), self.gets + 1
        return body

    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes:
        part = self.bodies[claim.uri][start:end]
        self.read_bytes, self.gets = self.read_bytes + len(part), self.gets + 1
        return part


def _cpu(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, found = [], None
    for _ in range(repeat):
        start = time.process_time()
        found = work()
        times.append(time.process_time() - start)
    return statistics.median(times), found


def _peak_allocated_mb(work: Callable[[], Any]) -> float:
    """The peak of what `work` allocated (numpy's buffers included), whatever the process held
    before: the resident set cannot tell, memory freed by an earlier read being reused."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _lines_json(result: Result) -> tuple[bytes, tuple[list[tuple[int, int]], list[GzipMember]]]:
    spans = EntrySpans()
    body, members = gzip_members(spans.passing(result.json_chunks()))
    return body, (spans.spans, members)


def _columns(
    result: Result, located: tuple[list[tuple[int, int]], list[GzipMember]], codes: LineCodes
) -> tuple[bytes, bytes]:
    lines, entries = line_columns_csv(result.lines, codes), entry_columns_csv(result.entries, *located)
    return _gzipped(lines, entries, "columns")


def _arrays(
    result: Result, located: tuple[list[tuple[int, int]], list[GzipMember]], codes: LineCodes
) -> tuple[bytes, bytes]:
    lines, entries = line_columns_arrays(result.lines, codes), entry_columns_arrays(result.entries, *located)
    return _gzipped(lines, entries, "arrays")


def _gzipped(lines: bytes | None, entries: bytes, written_as: str) -> tuple[bytes, bytes]:
    """The lines' and entries' objects, gzip as customs writes them."""
    if lines is None:
        raise ValueError(f"the run's lines cannot be written as {written_as}")
    return (
        igzip.compress(lines, compresslevel=GZIP_LEVEL, mtime=0),
        igzip.compress(entries, compresslevel=GZIP_LEVEL, mtime=0),
    )


def _entries_json(result: Result) -> bytes:
    summary = result.summary_records()
    text = json.dumps({"business_date": DAY.isoformat(), "entries": summary["entries"]}, sort_keys=True)
    return igzip.compress(text.encode(), compresslevel=GZIP_LEVEL, mtime=0)


def run_record(lines: ClaimCheck, entries: ClaimCheck, **columns: ClaimCheck) -> RunRecord:
    """The run as the compare service records it from its announcement."""
    return RunRecord(
        business_date=DAY,
        mode="automated",
        run_id="cus-bench",
        lines=lines,
        entries=entries,
        totals={"lines": lines.row_count},
        quarantined_lines=0,
        occurred_at=datetime(2026, 3, 17, tzinfo=UTC),
        event_id="bench",
        supersedes=None,
        code_version="bench",
        config_version="bench",
        **columns,
    )


def scaled(result: Result, lines: int) -> Result:
    """`result` with its entries repeated (ids suffixed `-<copy>`) until it holds at least `lines`."""
    copies = max(1, -(-lines // len(result.lines)))

    def repeated(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
        ids = frame["entry_id"].astype(str)
        parts = [frame.assign(entry_id=ids + f"-{k:03d}") for k in range(copies)]
        return pd.concat(parts, ignore_index=True).sort_values(order, kind="stable", ignore_index=True)

    # The processor's day consolidates ~40 invoice items into a line, the sample company's about two.
    sources = result.sources[result.sources.groupby(["entry_id", "line"], observed=True).cumcount() < 2]
    return replace(
        result,
        entries=repeated(result.entries, ["entry_id"]),
        lines=repeated(result.lines, ["entry_id", "line"]),
        sources=repeated(sources, ["entry_id", "line"]),
    )


def measure(customs_lines: int, repeat: int, invoice_lines: int = 1_000_000) -> dict[str, float]:
    result = scaled(process(build_inputs(invoice_lines)), customs_lines)
    n_lines, n_entries = len(result.lines), len(result.entries)
    json_s, (lines_gz, spans) = _cpu(lambda: _lines_json(result), repeat)
    # The text columns' codes are made once, for the CSV (counted there) and the arrays, as customs does.
    codes = line_codes(result.lines)
    columns_s, (line_columns_gz, entry_columns_gz) = _cpu(
        lambda: _columns(result, spans, line_codes(result.lines)), repeat
    )
    arrays_s, (line_arrays_gz, entry_arrays_gz) = _cpu(lambda: _arrays(result, spans, codes), repeat)
    objects = MemoryObjects()
    lines = objects.put("lines.json.gz", lines_gz, n_lines, "customs-lines/1")
    entries = objects.put("entries.json.gz", _entries_json(result), n_entries, "customs-entries/1")
    line_columns = objects.put("line-columns.csv.gz", line_columns_gz, n_lines, LINE_COLUMNS_SCHEMA)
    entry_columns = objects.put("entry-columns.csv.gz", entry_columns_gz, n_entries, ENTRY_COLUMNS_SCHEMA)
    line_arrays = objects.put("line-arrays.arrays.gz", line_arrays_gz, n_lines, LINE_ARRAYS_SCHEMA)
    entry_arrays = objects.put("entry-arrays.arrays.gz", entry_arrays_gz, n_entries, ENTRY_ARRAYS_SCHEMA)
    reader = PublishedLines(objects)
    from_json = run_record(lines, entries)
    from_columns = run_record(lines, entries, line_columns=line_columns, entry_columns=entry_columns)
    read_json_s, json_frames = _cpu(lambda: reader.load(from_json), repeat)
    read_columns_s, column_frames = _cpu(lambda: reader.load(from_columns), repeat)
    from_arrays = replace(from_columns, line_arrays=line_arrays, entry_arrays=entry_arrays)
    read_arrays_s, array_frames = _cpu(lambda: reader.load(from_arrays), repeat)
    pd.testing.assert_frame_equal(array_frames.lines, column_frames.lines)
    pd.testing.assert_frame_equal(array_frames.entries, column_frames.entries)
    read_json_mb = _peak_allocated_mb(lambda: reader.load(from_json))
    read_columns_mb = _peak_allocated_mb(lambda: reader.load(from_columns))
    read_arrays_mb = _peak_allocated_mb(lambda: reader.load(from_arrays))
    engine_s, _ = _cpu(
        lambda: compare(json_frames.lines, column_frames.lines, json_frames.entries, column_frames.entries),
        repeat,
    )
    return {
        "lines": n_lines,
        "entries": n_entries,
        "customs_lines_json_s": json_s,
        "customs_columns_s": columns_s,
        "customs_arrays_s": arrays_s,
        "lines_json_mb": len(lines_gz) / 2**20,
        "line_columns_mb": len(line_columns_gz) / 2**20,
        "arrays_mb": (len(line_arrays_gz) + len(entry_arrays_gz)) / 2**20,
        "read_json_s": read_json_s,
        "read_columns_s": read_columns_s,
        "read_json_mb": read_json_mb,
        "read_columns_mb": read_columns_mb,
        "read_arrays_s": read_arrays_s,
        "read_arrays_mb": read_arrays_mb,
        "engine_s": engine_s,
    }


# Each figure: its name, unit, the measure, and its peer's name and measure.
FIGURES = (
    ("compare: one run read from its columns", "s CPU", "read_columns_s", "the lines JSON", "read_json_s"),
    ("compare: peak allocations reading one run from its columns", "MB", "read_columns_mb",
     "the lines JSON", "read_json_mb"),
    ("customs: writing the compared columns", "s CPU", "customs_columns_s",
     "writing the lines JSON", "customs_lines_json_s"),
    ("compare: one run read from its arrays", "s CPU", "read_arrays_s",
     "its CSV columns", "read_columns_s"),
    ("compare: peak allocations reading one run from its arrays", "MB", "read_arrays_mb",
     "its CSV columns", "read_columns_mb"),
    ("customs: writing the arrays", "s CPU", "customs_arrays_s",
     "writing the compared columns", "customs_columns_s"),
)  # fmt: skip


def figures(r: dict[str, float]) -> list[Figure]:
    return [
        Figure(name, r[ours], unit, peer=peer, peer_value=r[theirs])
        for name, unit, ours, peer, theirs in FIGURES
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customs-lines", type=int, default=505_000, help="customs lines of the run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--invoice-lines", type=int, default=1_000_000, help="the processor's day, repeated")
    args = parser.parse_args(argv)
    r = measure(args.customs_lines, args.repeat, args.invoice_lines)
    print(f"one customs run: {r['lines']:,} lines, {r['entries']:,} entries (CPU s, median of {args.repeat})")
    for label, name, size in (
        ("customs writes the lines JSON (gzip)", "customs_lines_json_s", "lines_json_mb"),
        ("customs writes the columns (gzip)", "customs_columns_s", "line_columns_mb"),
        ("customs writes the arrays (gzip)", "customs_arrays_s", "arrays_mb"),
        ("compare reads the run from the JSON", "read_json_s", None),
        ("compare reads the run from the columns", "read_columns_s", None),
        ("compare reads the run from the arrays", "read_arrays_s", None),
        ("the engine on the two runs' frames", "engine_s", None),
    ):
        print(f"  {label:<42} {r[name]:7.2f} s" + (f"  {r[size]:.1f} MB" if size else ""))
    added = (
        f"JSON {r['read_json_mb']:.0f} MB, columns {r['read_columns_mb']:.0f} MB, "
        f"arrays {r['read_arrays_mb']:.0f} MB"
    )
    print(f"  peak allocations reading it: {added}")
    for path in ("json", "columns", "arrays"):
        service = 2 * r[f"read_{path}_s"] + r["engine_s"]
        ratio = service / r["engine_s"]
        print(f"  two runs read from the {path} + the engine: {service:.2f} s, {ratio:.1f} x engine")
    emit("compare_lines_read", figures(r))


if __name__ == "__main__":
    main()
