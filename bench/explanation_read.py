"""What a failing comparison's explanation spends reading one run's lines document: the head and the
entries it cites (`MAX_EXPLAINED`, spread over the day as discrepancies are), as the compare
service reads them from a run published with its compared columns.

Before: the lines object one gzip stream and `customs-entry-columns/1` (runs published before the
members): the object read whole, its SHA-256 checked, and inflated from its start to the last entry
cited. After: the object a series of gzip members and `customs-entry-columns/2`: only the members
holding the cited entries fetched by range, merged where they touch, and inflated.

The run is `bench.compare_lines_read`'s (`--customs-lines`, 505 000 by default: one path of the
sample company's 1M-line day). Each figure is the median CPU seconds of `--repeat` reads, each on a
run loaded afresh (nothing read before); the bytes and reads (the GETs the service would make) beside.

    uv run python bench/explanation_read.py [--customs-lines 505000] [--cited 200] [--repeat 3]"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ior_tools.runtime.lambda_python import as_in_lambda

# As in the functions: text as Python strings (no pyarrow in Lambda).
as_in_lambda()

from ior_compare.adapters.lines import PublishedLines  # noqa: E402
from ior_compare.domain.explanation import MAX_EXPLAINED  # noqa: E402
from ior_compare.domain.records import RunRecord  # noqa: E402
from ior_contracts.line_columns import (  # noqa: E402
    ENTRY_COLUMNS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA_V1,
    LINE_COLUMNS_SCHEMA,
)
from ior_customs.adapters.outputs import GZIP_LEVEL, WRITE_BYTES, gzip_members  # noqa: E402
from ior_customs.domain import Result, process  # noqa: E402
from ior_customs.domain.line_columns import EntrySpans, entry_columns_csv, line_columns_csv  # noqa: E402

from bench.compare_lines_read import MemoryObjects, run_record, scaled  # noqa: E402
from bench.customs_processor import build_inputs  # noqa: E402
from bench.figures import Figure, emit  # noqa: E402


def _single_stream(text: bytes) -> bytes:
    """The lines object as customs wrote it before the members: one gzip stream."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
        out.write(text)
    return buffer.getvalue()


def _without_members(entry_columns: bytes) -> bytes:
    """`/2` entry columns as `/1`: the last three (whole-number) columns dropped."""
    return b"".join(row.rsplit(b",", 3)[0] + b"\n" for row in entry_columns.splitlines())


def published(
    result: Result, objects: MemoryObjects, member_bytes: int = WRITE_BYTES
) -> dict[str, RunRecord]:
    """The run published the two ways, by the entry columns' version."""
    spans = EntrySpans()
    members_body, members = gzip_members(spans.passing(result.json_chunks()), member_bytes)
    entry_columns = entry_columns_csv(result.entries, spans.spans, members)
    line_body = line_columns_csv(result.lines)
    if line_body is None:
        raise ValueError("the run's lines cannot be written as columns")
    n_lines, n_entries = len(result.lines), len(result.entries)
    line_columns_gz = gzip.compress(line_body, GZIP_LEVEL, mtime=0)
    line_columns = objects.put("line-columns.csv.gz", line_columns_gz, n_lines, LINE_COLUMNS_SCHEMA)
    stream = _single_stream(gzip.decompress(members_body))
    runs = {}
    for version, lines_body, entries_body in (
        (ENTRY_COLUMNS_SCHEMA_V1, stream, _without_members(entry_columns)),
        (ENTRY_COLUMNS_SCHEMA, members_body, entry_columns),
    ):
        name = version.replace("/", "-")
        lines = objects.put(f"lines-{name}.json.gz", lines_body, n_lines, "customs-lines/1")
        entries = lines.model_copy(update={"row_count": n_entries})
        entries_gz = gzip.compress(entries_body, GZIP_LEVEL, mtime=0)
        columns = objects.put(f"{name}.csv.gz", entries_gz, n_entries, version)
        runs[version] = run_record(lines, entries, line_columns=line_columns, entry_columns=columns)
    return runs


def measure(
    customs_lines: int,
    cited: int,
    repeat: int,
    invoice_lines: int = 1_000_000,
    member_bytes: int = WRITE_BYTES,
) -> dict[str, float]:
    result = scaled(process(build_inputs(invoice_lines)), customs_lines)
    objects = MemoryObjects()
    runs = published(result, objects, member_bytes)
    entry_ids = result.entries["entry_id"].tolist()
    # Spread over the day, as a failing comparison's discrepancies are: the last near the document's end.
    step = max(1, len(entry_ids) // cited)
    chosen = entry_ids[step - 1 :: step][:cited]
    figures: dict[str, float] = {"lines": len(result.lines), "entries": len(entry_ids), "cited": len(chosen)}
    texts = {}
    for version, run in runs.items():
        times = []
        for _ in range(repeat):
            document = PublishedLines(objects).load(run).document
            objects.read_bytes = objects.gets = 0
            start = time.process_time()
            document.cite(chosen)
            versions = (document.datasets, document.fee_table)
            times.append(time.process_time() - start)
        texts[version] = (versions, [document.entry(entry_id) for entry_id in chosen])
        key = "after" if version == ENTRY_COLUMNS_SCHEMA else "before"
        figures[f"{key}_s"] = statistics.median(times)
        figures[f"{key}_mb"] = objects.read_bytes / 2**20
        figures[f"{key}_gets"] = objects.gets
        figures[f"{key}_object_mb"] = len(objects.bodies[run.lines.uri]) / 2**20
    if texts[ENTRY_COLUMNS_SCHEMA] != texts[ENTRY_COLUMNS_SCHEMA_V1]:
        raise AssertionError("the ranged read gave other entries than the stream's")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customs-lines", type=int, default=505_000, help="customs lines of the run")
    parser.add_argument("--cited", type=int, default=MAX_EXPLAINED, help="entries the explanation cites")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--invoice-lines", type=int, default=1_000_000, help="the processor's day, repeated")
    parser.add_argument("--member-bytes", type=int, default=WRITE_BYTES, help="text per gzip member")
    args = parser.parse_args(argv)
    r = measure(args.customs_lines, args.cited, args.repeat, args.invoice_lines, args.member_bytes)
    print(
        f"one run: {r['lines']:,.0f} lines, {r['entries']:,.0f} entries; {r['cited']:.0f} entries cited "
        f"(CPU s, median of {args.repeat})"
    )
    for key, label in (("before", "one stream, entry columns /1"), ("after", "members, entry columns /2")):
        print(
            f"  {label:<31} {r[f'{key}_s']:7.3f} s  {r[f'{key}_mb']:7.1f} MB read in {r[f'{key}_gets']:.0f} "
            f"GET(s) of a {r[f'{key}_object_mb']:.1f} MB object"
        )
    figure = Figure(
        "compare: an explanation's read of one run's lines document",
        r["after_s"],
        "s CPU",
        peer="from the stream's start",
        peer_value=r["before_s"],
    )
    emit("explanation_read", [figure])


if __name__ == "__main__":
    main()
