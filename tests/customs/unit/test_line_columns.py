"""The compared columns a run publishes beside its lines (`customs-line-columns/1` and its
arrays, `customs-line-arrays/2`; `customs-entry-columns/2`): the same bytes for the same run, each
entry's span in the lines document where its object is, each entry's gzip member range inflating to
text that holds it, no companion where one could not be faithful, and the claims on the run's
announcement."""

from __future__ import annotations

import csv
import gzip
import io
import json
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_contracts.customs import LinesGenerated
from ior_contracts.line_columns import (
    ARRAY_INTEGERS,
    ENTRY_ARRAYS_SCHEMA,
    ENTRY_COLUMNS,
    ENTRY_COLUMNS_SCHEMA,
    LINE_ARRAYS_SCHEMA,
    LINE_COLUMNS,
    LINE_COLUMNS_SCHEMA,
    names,
)
from ior_customs.adapters.outputs import gzip_members
from ior_customs.domain import process
from ior_customs.domain.line_arrays import entry_columns_arrays, line_columns_arrays
from ior_customs.domain.line_columns import EntrySpans, entry_columns_csv, line_columns_csv

from tests.customs.builders import DAY, TRANSACTIONS
from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case
from tests.customs.unit.fakes import Service
from tests.customs.unit.test_properties import _shuffled
from tests.customs.universe import business_days

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Members of a few kilobytes, so a generated day's lines are several (customs writes a megabyte).
MEMBER_BYTES = 3_000


def _companion(inputs: Any) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """The run's lines object (as members), its line and entry columns, and their arrays."""
    result = process(inputs)
    spans = EntrySpans()
    body, members = gzip_members(spans.passing(result.json_chunks()), MEMBER_BYTES)
    lines, arrays = line_columns_csv(result.lines), line_columns_arrays(result.lines)
    assert lines is not None
    assert arrays is not None
    entries = entry_columns_csv(result.entries, spans.spans, members)
    return body, lines, entries, arrays, entry_columns_arrays(result.entries, spans.spans, members)


@FEW
@given(case=business_days(), seed=st.integers(0, 2**32 - 1))
def test_the_same_run_writes_byte_identical_columns_whatever_the_row_order(
    case: dict[str, Any], seed: int
) -> None:
    # GIVEN a day's inputs, and the same inputs in another row order
    inputs = inputs_from_case(case)
    # WHEN the run's lines object and columns are written from each
    first = _companion(inputs)
    # THEN they are the same bytes
    assert _companion(inputs) == first
    assert _companion(_shuffled(inputs, seed)) == first


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_each_entry_span_is_where_its_object_is_in_the_lines_document(path: Path) -> None:
    # GIVEN a golden case's run, its lines document written as the service streams it
    result = process(inputs_from_case(load_case(path)))
    spans = EntrySpans()
    document = b"".join(spans.passing(result.json_chunks()))
    # THEN each entry's span holds exactly that entry's object, lines and all
    entries = [json.loads(json.dumps(entry)) for entry in result.entry_records()]
    assert [json.loads(document[start:end]) for start, end in spans.spans] == entries
    # AND the entry columns name those spans, in the entries' order
    _, members = gzip_members([document])
    rows = list(csv.DictReader(io.StringIO(entry_columns_csv(result.entries, spans.spans, members).decode())))
    assert [(int(r["json_start"]), int(r["json_end"])) for r in rows] == spans.spans
    assert [r["entry_id"] for r in rows] == [entry["entry_id"] for entry in entries]


@FEW
@given(case=business_days(), member_bytes=st.integers(1, 5_000))
def test_each_entrys_member_range_inflates_to_text_that_holds_exactly_its_object(
    case: dict[str, Any], member_bytes: int
) -> None:
    # GIVEN a day's run, its lines object written as members of a generated size
    result = process(inputs_from_case(case))
    spans = EntrySpans()
    body, members = gzip_members(spans.passing(result.json_chunks()), member_bytes)
    document = gzip.decompress(body)
    rows = list(csv.DictReader(io.StringIO(entry_columns_csv(result.entries, spans.spans, members).decode())))
    # THEN the object reads whole as the document; its members follow one another, each but the last
    # at least the size asked, each cut between two of the document's chunks
    assert document == b"".join(result.json_chunks())
    starts, ends = members[1:], members[:-1]
    assert [(m.gzip_start, m.text_start) for m in starts] == [(m.gzip_end, m.text_end) for m in ends]
    assert (members[0].gzip_start, members[-1].gzip_end) == (0, len(body))
    assert members[-1].text_end == len(document)
    assert all(m.text_end - m.text_start >= member_bytes for m in members[:-1])
    assert {m.text_end for m in members} <= set(accumulate(map(len, result.json_chunks())))
    # AND each entry's range, inflated alone, holds the entry's text where its offsets say
    for row in rows:
        start, end, text_start = (int(row[k]) for k in ("gzip_start", "gzip_end", "gzip_text_start"))
        text = gzip.decompress(body[start:end])
        json_start, json_end = int(row["json_start"]) - text_start, int(row["json_end"]) - text_start
        assert text[json_start:json_end] == document[int(row["json_start"]) : int(row["json_end"])]
        assert json.loads(text[json_start:json_end])["entry_id"] == row["entry_id"]
        # and no more members than hold it: its range starts in the member its text starts in
        assert 0 <= json_start < len(text)
        assert (start, text_start) in {(m.gzip_start, m.text_start) for m in members}


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_columns_hold_the_compared_text_forms_of_each_line(path: Path) -> None:
    # GIVEN a golden case's run
    result = process(inputs_from_case(load_case(path)))
    body = line_columns_csv(result.lines)
    assert body is not None
    # WHEN its line columns are read back as plain CSV
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    # THEN the header is the contract's and each row is its line: stack and rates `;`-joined in
    # stack order, quantity as `unit=amount` pairs, money in cents
    assert tuple(rows[0]) == names(LINE_COLUMNS)
    records = [line for entry in result.entry_records() for line in entry["lines"]]
    assert len(rows) == len(records)
    for row, line in zip(rows, records, strict=True):
        quantity = ";".join(f"{unit}={amount}" for unit, amount in sorted(line["quantity"].items()))
        assert row == {
            "entry_id": row["entry_id"], "line": str(line["line"]), "hts10": line["hts10"],
            "origin": line["origin"], "part": line["part"], "stack": ";".join(line["stack"]),
            "rates": ";".join(line["rates"][number] for number in line["stack"]), "quantity": quantity,
            "value": str(line["value"]), "duty_cents": line["duty"].replace(".", "").lstrip("0") or "0",
            "net_kg": str(line["net_kg"]), "gross_kg": str(line["gross_kg"]),
            "description": line["description"],
        }  # fmt: skip


def _stored_arrays(body: bytes) -> list[np.ndarray[Any, Any]]:
    stream = io.BytesIO(body)
    stream.readline()
    found = []
    while stream.tell() < len(body):
        found.append(np.lib.format.read_array(stream, allow_pickle=False))
    return found


def _narrowest(array: np.ndarray[Any, Any]) -> np.dtype[Any]:
    limits = [(np.dtype(dtype), np.iinfo(np.dtype(dtype))) for dtype in ARRAY_INTEGERS]
    return next(dtype for dtype, i in limits if i.min <= array.min() and array.max() <= i.max)


@pytest.mark.parametrize("path", golden_files()[:4], ids=case_name)
def test_each_integer_array_is_of_the_narrowest_type_that_holds_its_values(path: Path) -> None:
    # GIVEN a run's line and entry arrays, with one entry's value beyond what four bytes hold
    result = process(inputs_from_case(load_case(path)))
    entries = result.entries.copy()
    entries.loc[0, "value_usd"] = 2**40
    spans = EntrySpans()
    _, members = gzip_members(spans.passing(result.json_chunks()), MEMBER_BYTES)
    line_arrays = line_columns_arrays(result.lines)
    assert line_arrays is not None
    entry_arrays = _stored_arrays(entry_columns_arrays(entries, spans.spans, members))
    integers = [a for a in (*_stored_arrays(line_arrays), *entry_arrays) if a.dtype.kind != "b"]
    # THEN each integer array (the lines' 9 codes and 4 values, the entries' 2 codes and 9 values) is
    # of the contract's types the narrowest that holds its values
    assert len(integers) == 9 + 4 + 2 + 9
    assert [array.dtype for array in integers] == [_narrowest(array) for array in integers]
    # AND the value beyond four bytes takes eight
    assert entry_arrays[1].dtype == np.dtype("<i8")


def test_a_run_whose_description_is_empty_text_publishes_no_columns() -> None:
    # GIVEN a run one of whose lines has an empty description (an empty cell would read as null)
    result = process(inputs_from_case(load_case(golden_files()[0])))
    lines = result.lines.copy()
    lines.loc[0, "description"] = ""
    # THEN no line columns are written, as CSV or arrays: compare reads that run from its JSON
    assert line_columns_csv(lines) is None
    assert line_columns_arrays(lines) is None


def test_a_run_announces_its_columns_beside_its_lines() -> None:
    # GIVEN the reference datasets in force
    service = Service()
    service.announce_reference()
    # WHEN the day's transactions are announced
    service.announce("transactions", TRANSACTIONS, [DAY])
    # THEN its announcement names the line and entry columns, counted as the lines and entries
    (sent,) = service.sent
    assert isinstance(sent.event, LinesGenerated)
    event = sent.event
    assert event.line_columns is not None
    assert event.entry_columns is not None
    assert (event.line_columns.schema_version, event.entry_columns.schema_version) == (
        LINE_COLUMNS_SCHEMA, ENTRY_COLUMNS_SCHEMA,
    )  # fmt: skip
    assert (event.line_columns.row_count, event.entry_columns.row_count) == (
        event.lines.row_count, event.entries.row_count,
    )  # fmt: skip
    # AND the arrays of each, counted as the lines and entries
    assert event.line_arrays is not None
    assert event.entry_arrays is not None
    assert (event.line_arrays.schema_version, event.line_arrays.row_count) == (
        LINE_ARRAYS_SCHEMA, event.lines.row_count,
    )  # fmt: skip
    assert (event.entry_arrays.schema_version, event.entry_arrays.row_count) == (
        ENTRY_ARRAYS_SCHEMA, event.entries.row_count,
    )  # fmt: skip
    # AND the objects stored are the columns of the lines stored
    stored = service.outputs.objects
    header = stored[event.entry_columns.uri].decode().splitlines()[0]
    assert tuple(header.split(",")) == names(ENTRY_COLUMNS)
    assert len(stored[event.line_columns.uri].decode().splitlines()) == event.lines.row_count + 1
    for arrays, claim in ((event.line_arrays, event.lines), (event.entry_arrays, event.entries)):
        assert json.loads(stored[arrays.uri].split(b"\n", 1)[0])["rows"] == claim.row_count
