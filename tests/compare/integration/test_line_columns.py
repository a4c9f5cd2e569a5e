"""A run read from the compared columns customs publishes beside its lines
(`customs-line-columns/1` or its arrays, `customs-line-arrays/2`; `customs-entry-columns/2`, and
`/1` before it) gives the frames its lines document gives, is refused when the columns are not what
their claims say, and is explained from the same entries, read by the ranges of their gzip members
(`/2`) or from the stream's start (`/1`); a run published without them is read from its JSON."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_compare.adapters.lines import LinesShapeError, PublishedLines
from ior_compare.adapters.objects import ChecksumMismatchError, S3Objects
from ior_compare.domain import frames
from ior_compare.domain.engine import compare
from ior_compare.domain.explanation import explain
from ior_compare.domain.frames import Kind
from ior_compare.domain.records import ComparisonKey, RunRecord
from ior_compare.ports import RunFrames
from ior_contracts.claims import ClaimCheck
from ior_contracts.line_columns import (
    ENTRY_ARRAYS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA_V1,
    LINE_ARRAYS_SCHEMA,
    LINE_ARRAYS_SCHEMA_V1,
    LINE_COLUMNS,
    LINE_COLUMNS_SCHEMA,
)
from ior_customs.adapters.outputs import gzip_members
from ior_customs.domain import Result, process
from ior_customs.domain.line_arrays import entry_columns_arrays, line_columns_arrays
from ior_customs.domain.line_columns import EntrySpans, entry_columns_csv, line_columns_csv

from tests.compare.documents import AUDIT_BUCKET, DATA_BUCKET, lines_generated, metadata_for
from tests.compare.integration.conftest import World
from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case
from tests.customs.universe import business_days

SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Members of a few kilobytes of text, so a golden run's lines are several (customs writes a megabyte).
MEMBER_BYTES = 2_000


class MemoryObjects:
    """Published objects by URI; counts what is read, whole and by range."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.reads: Counter[str] = Counter()
        self.ranges: list[tuple[str, int, int]] = []

    def put(self, kind: str, body: bytes, rows: int, schema: str) -> ClaimCheck:
        digest = hashlib.sha256(body).hexdigest()
        uri = f"s3://{DATA_BUCKET}/customs/published/{kind}/{digest}.gz"
        self.bodies[uri] = body
        return ClaimCheck(uri=uri, sha256=digest, row_count=rows, schema_version=schema)

    def read(self, claim: ClaimCheck) -> bytes:
        self.reads[claim.uri] += 1
        return self.bodies[claim.uri]

    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes:
        self.ranges.append((claim.uri, start, end))
        return self.bodies[claim.uri][start:end]


def published(
    result: Result, objects: MemoryObjects, mode: str = "automated", version: str = ENTRY_COLUMNS_SCHEMA
) -> tuple[RunRecord, RunRecord]:
    """The run as customs publishes it: once announced with its columns (entry columns of `version`),
    once as before them."""
    spans = EntrySpans()
    body, members = gzip_members(spans.passing(result.json_chunks()), MEMBER_BYTES)
    entry_body = entry_columns_csv(result.entries, spans.spans, members)
    if version == ENTRY_COLUMNS_SCHEMA_V1:
        # As customs published before the members: one gzip stream, its entries placed only in its text.
        body = gzip.compress(gzip.decompress(body), mtime=0)
        entry_body = b"".join(row.rsplit(b",", 3)[0] + b"\n" for row in entry_body.splitlines())
    lines = objects.put("lines", body, len(result.lines), "customs-lines/1")
    # The entries travel in the lines object here, as the compare service also accepts.
    entries = lines.model_copy(update={"row_count": len(result.entries)})
    line_body, arrays_body = line_columns_csv(result.lines), line_columns_arrays(result.lines)
    entry_arrays = entry_columns_arrays(result.entries, spans.spans, members)
    assert line_body is not None
    assert arrays_body is not None
    columns = {
        "line_columns": objects.put("line-columns", gzip.compress(line_body, mtime=0), len(result.lines),
                                    LINE_COLUMNS_SCHEMA),
        "line_arrays": objects.put("line-arrays", gzip.compress(arrays_body, mtime=0), len(result.lines),
                                   LINE_ARRAYS_SCHEMA),
        **({} if version == ENTRY_COLUMNS_SCHEMA_V1 else {"entry_arrays": objects.put(
            "entry-arrays", gzip.compress(entry_arrays, mtime=0), len(result.entries), ENTRY_ARRAYS_SCHEMA)}),
        "entry_columns": objects.put("entry-columns", gzip.compress(entry_body, mtime=0), len(result.entries),
                                     version),
    }  # fmt: skip
    before = lines_generated(result.business_date, mode, (lines, entries))
    after = before.model_copy(update=columns)
    return (
        RunRecord.from_event(after, metadata_for(after)),
        RunRecord.from_event(before, metadata_for(before)),
    )


def assert_same_frames(one: RunFrames, other: RunFrames) -> None:
    pd.testing.assert_frame_equal(one.lines, other.lines)
    pd.testing.assert_frame_equal(one.entries, other.entries)


def csv_only(run: RunRecord) -> RunRecord:
    """The run as announced before the arrays: its columns read from the CSV."""
    return replace(run, line_arrays=None, entry_arrays=None)


def assert_columns_read_as_json(objects: MemoryObjects, with_columns: RunRecord, without: RunRecord) -> None:
    """The frames read from the arrays, and from the CSV, are the JSON's, values and types."""
    from_json = PublishedLines(objects).load(without)
    assert_same_frames(PublishedLines(objects).load(with_columns), from_json)
    assert_same_frames(PublishedLines(objects).load(csv_only(with_columns)), from_json)


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_a_golden_run_reads_the_same_frames_from_its_columns_as_from_its_json(path: Path) -> None:
    # GIVEN a golden case's run, published with its columns
    objects = MemoryObjects()
    with_columns, without = published(process(inputs_from_case(load_case(path))), objects)
    # WHEN it is read from its columns' arrays, from their CSV and from its lines document
    # THEN the frames are equal, values and types
    assert_columns_read_as_json(objects, with_columns, without)
    # AND the lines document was read only for the JSON's frames
    assert objects.reads[with_columns.lines.uri] == 1


@SOME
@given(case=business_days())
def test_a_generated_run_reads_the_same_frames_from_its_columns_as_from_its_json(
    case: dict[str, Any],
) -> None:
    objects = MemoryObjects()
    with_columns, without = published(process(inputs_from_case(case)), objects)
    assert_columns_read_as_json(objects, with_columns, without)


# Text as CSV makes it hard: separators, quotes, line breaks, text pandas reads as null by default.
AWKWARD = st.one_of(
    st.sampled_from(
        ["NA", "N/A", "null", "nan", "None", "#N/A", " ", 'a "quoted", text', "two\nlines", "cr\rlf"]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1),
)


@SOME
@given(descriptions=st.lists(AWKWARD, min_size=1, max_size=6))
def test_descriptions_that_are_hard_as_csv_read_back_as_the_same_text(descriptions: list[str]) -> None:
    # GIVEN a golden run whose lines carry awkward descriptions
    result = process(inputs_from_case(load_case(golden_files()[1])))
    lines = result.lines.copy()
    lines["description"] = pd.array(
        [descriptions[k % len(descriptions)] for k in range(len(lines))], dtype=lines["description"].dtype
    )
    objects = MemoryObjects()
    with_columns, without = published(replace(result, lines=lines), objects)
    # THEN the arrays and the CSV give the frames the JSON gives: no text turned into null, none altered
    assert_columns_read_as_json(objects, with_columns, without)


def test_nulls_read_back_as_nulls_from_the_arrays_and_the_csv() -> None:
    # GIVEN a golden run some of whose lines have no description, no quantity, or no weights
    result = process(inputs_from_case(load_case(golden_files()[1])))
    lines = result.lines.copy()
    none = lines.index[::2]
    lines.loc[none, "description"] = None
    lines[["quantity_no", "quantity_kg"]] = lines[["quantity_no", "quantity_kg"]].astype("Int64")
    lines.loc[lines.index[1::3], ["quantity_no", "quantity_kg"]] = pd.NA
    for weight in ("net_kg", "gross_kg"):  # as the processor holds a missing weight: None
        lines[weight] = lines[weight].astype(object)
        lines.loc[lines.index[:2], weight] = None
    objects = MemoryObjects()
    with_columns, without = published(replace(result, lines=lines), objects)
    # WHEN it is read from its arrays and its CSV, THEN each is the JSON's, null for null
    assert_columns_read_as_json(objects, with_columns, without)
    frame = PublishedLines(objects).load(with_columns).lines
    assert frame["description"].isna().sum() == len(none)
    assert frame["quantity"].isna().sum() == len(lines.index[1::3])
    assert frame["net_kg"].isna().sum() == frame["gross_kg"].isna().sum() == 2


def _tampered(body: bytes, change: Any) -> bytes:
    return gzip.compress(change(gzip.decompress(body).decode()).encode(), mtime=0)


@pytest.mark.parametrize(
    ("claim", "change", "named"),
    [
        ("line_columns", lambda t: t.replace("id,line,", "id,number,", 1), "'line', found 'number'"),
        ("line_columns", lambda t: t.replace(",description\n", "\n", 1), "'description', found 'nothing'"),
        ("entry_columns", lambda t: t.replace(",flags,", ",flags,extra,", 1), "'json_start', found 'extra'"),
        ("line_columns", lambda t: t.replace(",1,", ",one,", 1), "column 'line' must be int, found 'one'"),
        ("entry_columns", lambda t: t.replace(",True,", ",yes,", 1), "column 'formal' must be bool"),
        ("line_columns", lambda t: t.replace(",whole,", ",,", 1), "column 'part' must be key"),
        ("line_columns", lambda t: t.rsplit("\n", 2)[0] + "\n", "holds 5 lines, its claim check says 6"),
    ],
    ids=["renamed column", "missing column", "extra column", "text for a number", "text for a boolean",
         "null key", "a line short"],
)  # fmt: skip
def test_columns_that_are_not_what_their_claims_say_are_refused_naming_why(
    claim: str, change: Any, named: str
) -> None:
    # GIVEN a golden run's columns, changed after customs wrote them (the claim made anew, so only the
    # content can tell)
    objects = MemoryObjects()
    run, _ = published(process(inputs_from_case(load_case(golden_files()[1]))), objects)
    original: ClaimCheck = getattr(run, claim)
    kind = claim.replace("_", "-")
    changed = objects.put(
        kind, _tampered(objects.bodies[original.uri], change), original.row_count, original.schema_version
    )
    # WHEN the run is read from them, THEN it is refused with a message that says what is wrong
    with pytest.raises(LinesShapeError, match=named):
        PublishedLines(objects).load(replace(csv_only(run), **{claim: changed}))


def _arrays_changed(body: bytes, change: Any) -> bytes:
    """The arrays object with its head and arrays (in the contract's order) given to `change`, which
    returns the head line and the arrays' bytes to write instead."""
    data = gzip.decompress(body)
    stream = io.BytesIO(data)
    head = json.loads(stream.readline())
    arrays = []
    while stream.tell() < len(data):
        arrays.append(np.lib.format.read_array(stream))
    head_line, arrays = change(head, arrays)
    out = io.BytesIO()
    out.write(head_line)
    for array in arrays:
        if isinstance(array, bytes):
            out.write(array)
        else:
            np.lib.format.write_array(out, array, allow_pickle=True)
    return gzip.compress(out.getvalue(), mtime=0)


def _json_line(head: dict[str, Any]) -> bytes:
    return json.dumps(head).encode() + b"\n"


def _at(place: int, array: Any) -> Any:
    """A change putting `array` (made from the one there) at `place`."""

    def change(head: dict[str, Any], arrays: list[Any]) -> tuple[bytes, list[Any]]:
        return _json_line(head), [*arrays[:place], array(arrays[place]), *arrays[place + 1 :]]

    return change


def _parts_named(head: dict[str, Any], name: str) -> dict[str, Any]:
    return {**head, "texts": {**head["texts"], "part": [name for _ in head["texts"]["part"]]}}


def test_the_frames_key_columns_may_never_be_null_in_the_arrays() -> None:
    # The arrays' reader refuses a null key by its code (-1), and leaves the frame's check of the key
    # columns' nulls out: it may because no key column is nullable in the arrays' contract.
    keys = {name for name, kind in frames.LINE_COLUMNS.items() if kind is Kind.KEY}
    assert keys
    assert not keys & {column.name for column in LINE_COLUMNS if column.nullable}


# The arrays in the contract's order: entry_id 0, line 1, hts10 2, origin 3, part 4, stack 5, rates 6,
# quantity 7, value 8, duty_cents 9, net_kg 10 (nulls) and 11, gross_kg 12 and 13, description 14.
@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda head, arrays: (b"not json\n", arrays), "the head is not a line of JSON"),
        (lambda head, arrays: (_json_line({**head, "texts": {}}), arrays), "texts of column 'entry_id'"),
        (_at(0, lambda codes: codes.astype(np.uint16)),
         "'entry_id' must be 6 values of \\|i1 or <i2 or <i4 or <i8, found .* <u2"),
        (_at(8, lambda values: values.astype(np.float64)), "'value' must be 6 values of .*, found .* <f8"),
        (_at(8, lambda values: values[:-1]), "'value' must be 6 values of .*, found \\(5,\\)"),
        (_at(2, lambda codes: codes + 100), "'hts10' has a code beyond its"),
        (_at(4, lambda codes: np.full_like(codes, -1)), "column 'part' must not be null"),
        (_at(14, lambda codes: codes.astype(object)), "'description' is not a readable array"),
        (lambda head, arrays: (_json_line(head), [*arrays, b"more"]), "bytes follow the last column"),
        (lambda head, arrays: (_json_line(head), arrays[:-1]), "'description' is not a readable array"),
        (lambda head, arrays: (_json_line({**head, "rows": 5}), [array[:-1] for array in arrays]),
         "holds 5 lines, its claim check says 6"),
        (lambda head, arrays: (_json_line(_parts_named(head, "bogus")), arrays), "'part' must be one of"),
    ],
    ids=["head not JSON", "texts missing", "unsigned codes", "float values", "a value short",
         "code beyond texts", "null key", "objects", "bytes after", "a column missing", "a line short",
         "not a part"],
)  # fmt: skip
def test_arrays_that_are_not_what_their_claim_says_are_refused_naming_why(change: Any, named: str) -> None:
    # GIVEN a golden run's line arrays, changed after customs wrote them (the claim made anew)
    # WHEN the run is read, THEN it is refused with a message that says what is wrong
    assert_changed_arrays_refused(golden_files()[1], "line_arrays", 6, change, named)


def _as_first_version(head: dict[str, Any], arrays: list[Any]) -> tuple[bytes, list[Any]]:
    """The lines' arrays as `/1` wrote them: `<i4` codes, `<i8` values."""
    wide, at = [], 0
    for column in LINE_COLUMNS:
        if column.kind == "int" and column.nullable:
            wide.append(arrays[at])  # its nulls
            at += 1
        wide.append(arrays[at].astype({"str": "<i4", "int": "<i8"}.get(column.kind, arrays[at].dtype)))
        at += 1
    return _json_line(head), wide


def test_arrays_of_the_first_version_are_read_as_the_second_and_held_to_their_own_types() -> None:
    # GIVEN a golden run, and its line arrays as the first version wrote them (claimed as `/1`)
    objects = MemoryObjects()
    run, _ = published(process(inputs_from_case(load_case(golden_files()[1]))), objects)
    claim = run.line_arrays
    assert claim is not None
    assert claim.schema_version == LINE_ARRAYS_SCHEMA
    narrow = np.lib.format.read_array(
        io.BytesIO(gzip.decompress(objects.bodies[claim.uri]).split(b"\n", 1)[1])
    )
    assert narrow.dtype == np.dtype("|i1")  # the entry ids' codes: a handful of entries
    wide = _arrays_changed(objects.bodies[claim.uri], _as_first_version)
    first = objects.put("line-arrays-v1", wide, claim.row_count, LINE_ARRAYS_SCHEMA_V1)
    # WHEN each is read, THEN they give the same frames
    assert_same_frames(
        PublishedLines(objects).load(replace(run, line_arrays=first)), PublishedLines(objects).load(run)
    )
    # AND a `/1` object holds `/1`'s types: narrow codes claimed as `/1` are refused
    narrow_as_first = objects.put(
        "line-arrays-narrow", objects.bodies[claim.uri], claim.row_count, LINE_ARRAYS_SCHEMA_V1
    )
    with pytest.raises(LinesShapeError, match=r"'entry_id' must be 6 values of <i4, found .* \|i1"):
        PublishedLines(objects).load(replace(run, line_arrays=narrow_as_first))


def assert_changed_arrays_refused(case: Path, claim: str, rows: int, change: Any, named: str) -> None:
    """The case's run, published with its arrays under `claim` (of `rows` rows) changed and claimed
    anew, is refused when read, with a message matching `named`."""
    objects = MemoryObjects()
    run, _ = published(process(inputs_from_case(load_case(case))), objects)
    original: ClaimCheck | None = getattr(run, claim)
    assert original is not None
    assert original.row_count == rows
    body = _arrays_changed(objects.bodies[original.uri], change)
    changed = objects.put(claim.replace("_", "-"), body, original.row_count, original.schema_version)
    with pytest.raises(LinesShapeError, match=named):
        PublishedLines(objects).load(replace(run, **{claim: changed}))


# The entries' arrays in the contract's order: entry_id 0, value 1, duty_cents 2, mpf_cents 3 (nulls)
# and 4, hmf_cents 5 and 6, formal 7, flags 8, json_start 9, json_end 10, gzip_start 11, gzip_end 12,
# gzip_text_start 13.
@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_at(7, lambda formal: formal.astype(np.int64)), "'formal' must be 2 values of \\|b1, found .* <i8"),
        (_at(9, lambda starts: starts[:-1]), "'json_start' must be 2 values"),
        (_at(0, lambda codes: np.full_like(codes, -1)), "column 'entry_id' must not be null"),
        (lambda head, arrays: (_json_line({**head, "texts": {**head["texts"], "entry_id": ["", "x"]}}),
                               arrays), "column 'entry_id' holds an empty text"),
    ],
    ids=["formal as numbers", "a span short", "null entry id", "empty entry id"],
)  # fmt: skip
def test_entry_arrays_that_are_not_what_their_claim_says_are_refused_naming_why(
    change: Any, named: str
) -> None:
    # GIVEN a golden run of two entries, its entries' arrays changed after customs wrote them
    # WHEN the run is read, THEN it is refused with a message that says what is wrong
    assert_changed_arrays_refused(golden_files()[4], "entry_arrays", 2, change, named)


def test_arrays_that_are_not_gzip_or_of_another_version_are_refused_or_passed_over() -> None:
    objects = MemoryObjects()
    run, _ = published(process(inputs_from_case(load_case(golden_files()[1]))), objects)
    assert run.line_arrays is not None
    plain = objects.put("line-arrays", b"arrays", 6, LINE_ARRAYS_SCHEMA)
    with pytest.raises(LinesShapeError, match="is not valid gzip"):
        PublishedLines(objects).load(replace(run, line_arrays=plain))
    # A version this reader does not know is passed over for the CSV.
    later = run.line_arrays.model_copy(update={"schema_version": "customs-line-arrays/3"})
    objects.reads.clear()
    frames = PublishedLines(objects).load(replace(run, line_arrays=later))
    assert run.line_columns is not None
    assert (objects.reads[later.uri], objects.reads[run.line_columns.uri]) == (0, 1)
    assert_same_frames(frames, PublishedLines(objects).load(run))


def test_runs_read_together_fetch_each_object_once_and_give_each_run_its_frames() -> None:
    # GIVEN two golden runs, one read from its arrays and one from the lines JSON it was published with
    objects = MemoryObjects()
    arrays_run, _ = published(process(inputs_from_case(load_case(golden_files()[1]))), objects)
    other, _ = published(process(inputs_from_case(load_case(golden_files()[4]))), objects)
    json_run = replace(other, line_columns=None, entry_columns=None, line_arrays=None, entry_arrays=None)
    alone = [PublishedLines(objects).load(run) for run in (arrays_run, json_run, arrays_run)]
    # WHEN they are read together, one of them twice
    objects.reads.clear()
    together = PublishedLines(objects).load_all([arrays_run, json_run, arrays_run])
    # THEN each run has the frames it has alone, and each object was fetched once
    for found, expected in zip(together, alone, strict=True):
        assert_same_frames(found, expected)
    assert set(objects.reads.values()) == {1}
    assert arrays_run.line_arrays is not None
    assert {arrays_run.line_arrays.uri, json_run.lines.uri} <= set(objects.reads)


def test_columns_whose_bytes_are_not_their_claims_are_refused(world: World) -> None:
    # GIVEN a run's columns stored under the customs prefix, and a claim whose SHA-256 is another's
    s3 = world.client("s3")
    objects = MemoryObjects()
    run, _ = published(process(inputs_from_case(load_case(golden_files()[1]))), objects)
    for uri, body in objects.bodies.items():
        s3.put_object(Bucket=DATA_BUCKET, Key=uri.split("/", 3)[3], Body=body)
    reader = PublishedLines(S3Objects(s3, DATA_BUCKET, AUDIT_BUCKET))
    assert len(reader.load(run).lines) == run.lines.row_count
    other = hashlib.sha256(b"other").hexdigest()
    assert run.line_columns is not None
    assert run.line_arrays is not None
    # WHEN it is read, from its arrays or its CSV, THEN the checksum refuses it before a byte is trusted
    with pytest.raises(ChecksumMismatchError):
        reader.load(replace(run, line_arrays=run.line_arrays.model_copy(update={"sha256": other})))
    csv_claim = run.line_columns.model_copy(update={"sha256": other})
    with pytest.raises(ChecksumMismatchError):
        reader.load(replace(csv_only(run), line_columns=csv_claim))


def test_a_run_published_before_the_columns_is_read_from_its_json() -> None:
    # GIVEN a run announced without columns (as every run before them)
    objects = MemoryObjects()
    result = process(inputs_from_case(load_case(golden_files()[1])))
    with_columns, without = published(result, objects)
    assert without.line_columns is None
    # WHEN it is read and compared with the same run read from its columns
    old = PublishedLines(objects).load(without)
    new = PublishedLines(objects).load(with_columns)
    # THEN only its lines document was read, and every line matches; the other, its arrays alone
    assert with_columns.line_columns is not None
    assert with_columns.line_arrays is not None
    assert objects.reads[with_columns.line_arrays.uri] == 1
    assert objects.reads[with_columns.line_columns.uri] == 0
    assert compare(old.lines, new.lines, old.entries, new.entries).passed


VERSIONS = pytest.mark.parametrize("version", [ENTRY_COLUMNS_SCHEMA, ENTRY_COLUMNS_SCHEMA_V1])


def lines_reads(objects: MemoryObjects, run: RunRecord) -> tuple[int, int]:
    """How often the run's lines object was read whole, and by range."""
    return objects.reads[run.lines.uri], sum(uri == run.lines.uri for uri, _, _ in objects.ranges)


@VERSIONS
def test_a_discrepancy_on_runs_read_from_their_columns_is_explained_as_from_their_json(version: str) -> None:
    # GIVEN two runs of a golden case that differ in one line's value, with entry columns of a version
    expected = process(inputs_from_case(load_case(golden_files()[1])))
    lines = expected.lines.copy()
    lines.loc[0, "value_usd"] += 7
    actual = replace(expected, lines=lines)
    objects = MemoryObjects()
    (expected_columns, expected_json), (actual_columns, actual_json) = (
        published(expected, objects, "manual", version), published(actual, objects, version=version),
    )  # fmt: skip

    def explained(expected_run: RunRecord, actual_run: RunRecord) -> dict[str, Any]:
        one, other = PublishedLines(objects).load(expected_run), PublishedLines(objects).load(actual_run)
        result = compare(one.lines, other.lines, one.entries, other.entries)
        # Reading the frames from the columns reads no lines document.
        assert objects.reads[actual_run.lines.uri] == (0 if actual_run.line_columns else 1)
        return explain(result, one.document, other.document, {}, metadata={"comparison_id": "c"})

    # WHEN the discrepancy is explained from runs read from their columns, and from their JSON
    from_columns = explained(expected_columns, actual_columns)
    # THEN the columns-read run's lines document was read for the explanation: by the ranges of the
    # members holding the entries cited (`/2`), or once whole (`/1`)
    read = lines_reads(objects, actual_columns)
    assert read[0] == (0 if version == ENTRY_COLUMNS_SCHEMA else 1)
    assert (read[1] >= 1) == (version == ENTRY_COLUMNS_SCHEMA)
    objects.reads.clear()
    # AND the explanation is the same as from the JSON: the same entries, lines, lineage and versions
    assert from_columns == explained(expected_json, actual_json)
    assert from_columns["total"] >= 1
    actual_side = from_columns["discrepancies"][0]["sides"]["actual"]
    assert actual_side["sources"]
    assert actual_side["datasets"] == dict(sorted(expected.dataset_versions.items()))
    assert from_columns["datasets"]["actual"] == actual_side["datasets"]


def test_the_ledger_keeps_a_runs_columns_and_a_run_without_them_stays_without(world: World) -> None:
    # GIVEN a run announced with its columns and one announced before them
    objects = MemoryObjects()
    result = process(inputs_from_case(load_case(golden_files()[1])))
    with_columns, _ = published(result, objects)
    _, without = published(result, objects, "manual")
    ledger = world.ledger
    # WHEN both are recorded and read back
    for run in (with_columns, without):
        assert ledger.record_run(run)
    both = ComparisonKey(with_columns.business_date, without.run_id, with_columns.run_id, "any")
    found = ledger.records_of(both)
    kept_without, kept = found.manual, found.automated
    # THEN the claims are kept as announced, and the older run has none
    assert kept is not None
    assert kept_without is not None
    claims = ("line_columns", "entry_columns", "line_arrays", "entry_arrays")
    assert [getattr(kept, claim) for claim in claims] == [getattr(with_columns, claim) for claim in claims]
    assert [getattr(kept_without, claim) for claim in claims] == [None] * len(claims)


@VERSIONS
def test_a_run_read_from_its_columns_gives_the_entries_cited_and_any_other_asked_later(version: str) -> None:
    # GIVEN a golden run read from its columns (entry columns of a version), and from its JSON
    result = process(inputs_from_case(load_case(golden_files()[4])))  # two entries
    objects = MemoryObjects()
    with_columns, without = published(result, objects, version=version)
    reads = 1 if version == ENTRY_COLUMNS_SCHEMA else 0  # the index a read is counted at: range or whole
    lazy = PublishedLines(objects).load(with_columns).document
    whole = PublishedLines(objects).load(without).document
    entry_ids = result.entries["entry_id"].tolist()
    assert len(entry_ids) >= 2
    objects.reads.clear()
    # WHEN the first entry is cited, then its versions, it and another entry are asked for
    lazy.cite(entry_ids[:1])
    assert lazy.datasets == whole.datasets
    assert lazy.fee_table == whole.fee_table
    assert lazy.entry(entry_ids[0]) == whole.entry(entry_ids[0])
    # THEN the document was read once for the head and the cited entry (one range: the head is in
    # the members up to the first entry's), and never the other way
    assert lines_reads(objects, with_columns)[reads] == 1
    assert lines_reads(objects, with_columns)[1 - reads] == 0
    # AND an entry not cited is read when asked, once, and is the JSON's own
    assert lazy.entry(entry_ids[-1]) == whole.entry(entry_ids[-1])
    assert lazy.line(entry_ids[-1], 1) == whole.line(entry_ids[-1], 1)
    assert lines_reads(objects, with_columns)[reads] == 2
    # AND an entry the run does not have is none, as from the JSON
    assert lazy.entry("no such entry") is None
    assert whole.entry("no such entry") is None
