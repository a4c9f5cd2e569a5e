"""An explanation reads a run's lines document by the ranges of the gzip members its entry columns
(`customs-entry-columns/2`) name: the same head and entries as reading the whole stream, each member
fetched once in as few reads as hold them, and a member range that is corrupted, too short or holds
another entry refused naming the object and the entry."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from ior_compare.adapters.document_parts import DocumentParts
from ior_compare.adapters.line_columns import read_entry_columns
from ior_compare.adapters.lines import LinesShapeError, PublishedLines
from ior_compare.adapters.objects import ForeignObjectError, S3Objects
from ior_compare.domain.explanation import LazyRunDocument
from ior_compare.domain.records import RunRecord
from ior_contracts.claims import ClaimCheck
from ior_contracts.line_columns import ENTRY_COLUMNS_SCHEMA, ENTRY_COLUMNS_SCHEMA_V1
from ior_customs.domain import Result, process

from tests.compare.documents import AUDIT_BUCKET, DATA_BUCKET
from tests.compare.integration.conftest import World
from tests.compare.integration.test_line_columns import MemoryObjects, csv_only
from tests.compare.integration.test_line_columns import published as published_with_arrays
from tests.customs.cases import golden_files, inputs_from_case, load_case
from tests.customs.universe import business_days

SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Rows = list[dict[str, str]]


def published(result: Result, objects: MemoryObjects, *how: str) -> tuple[RunRecord, RunRecord]:
    """The run as customs publishes it, its columns read from their CSV (which these tests change),
    and as before the columns."""
    with_columns, without = published_with_arrays(result, objects, *how)
    return csv_only(with_columns), without


def golden_run(copies: int = 12) -> Result:
    """A golden case's run with its entry repeated under new ids: a run whose lines are several
    members (an entry is about 4 kB of text, a member here 2 kB)."""
    result = process(inputs_from_case(load_case(golden_files()[1])))

    def repeated(frame: pd.DataFrame) -> pd.DataFrame:
        ids = frame["entry_id"].astype(str)
        return pd.concat([frame.assign(entry_id=ids + f"-{k:02d}") for k in range(copies)], ignore_index=True)

    return replace(
        result,
        entries=repeated(result.entries),
        lines=repeated(result.lines),
        sources=repeated(result.sources),
    )


def document(run: RunRecord, objects: Any) -> LazyRunDocument:
    cited = PublishedLines(objects).load(run).document
    assert isinstance(cited, LazyRunDocument)
    return cited


def entry_rows(objects: MemoryObjects, run: RunRecord) -> Rows:
    assert run.entry_columns is not None
    text = gzip.decompress(objects.bodies[run.entry_columns.uri]).decode()
    return list(csv.DictReader(io.StringIO(text)))


def with_entry_rows(objects: MemoryObjects, run: RunRecord, change: Callable[[Rows], None]) -> RunRecord:
    """The run announced with its entry columns changed by `change` (a claim made anew: only the
    content can tell)."""
    assert run.entry_columns is not None
    rows = entry_rows(objects, run)
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    body = gzip.compress(out.getvalue().encode(), mtime=0)
    claim = objects.put("entry-columns", body, len(rows), run.entry_columns.schema_version)
    return replace(run, entry_columns=claim)


def read_all(run: RunRecord, objects: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The head's versions and every entry of the run, as an explanation reads them."""
    frames = PublishedLines(objects).load(run)
    cited, entry_ids = frames.document, frames.entries["entry_id"].tolist()
    cited.cite(entry_ids)
    head = {"datasets": cited.datasets, "fee_table": cited.fee_table}
    return head, {entry_id: cited.entry(entry_id) for entry_id in entry_ids}


@SOME
@given(case=business_days())
def test_a_ranged_read_gives_the_head_and_entries_of_the_whole_read(case: dict[str, Any]) -> None:
    # GIVEN a generated run published with entry columns that name its members, and as before them
    result = process(inputs_from_case(case))
    objects = MemoryObjects()
    ranged, whole_json = published(result, objects)
    streamed, _ = published(result, objects, "manual", ENTRY_COLUMNS_SCHEMA_V1)
    # WHEN every entry is read by member ranges, from the stream's start, and from the whole JSON
    by_ranges = read_all(ranged, objects)
    # THEN the ranged run's object was not read whole (but for a run of no entries: its head is all)
    assert objects.reads[ranged.lines.uri] == (0 if len(result.entries) else 1)
    # AND the head and every entry are the same
    assert by_ranges == read_all(streamed, objects)
    whole = PublishedLines(objects).load(whole_json).document
    assert by_ranges[1] == {entry_id: whole.entry(entry_id) for entry_id in by_ranges[1]}
    assert (by_ranges[0]["datasets"], by_ranges[0]["fee_table"]) == (whole.datasets, whole.fee_table)


def test_ranges_that_touch_are_read_as_one_and_each_member_once() -> None:
    # GIVEN a golden run whose lines are several members
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    rows = entry_rows(objects, run)
    members = sorted({(int(r["gzip_start"]), int(r["gzip_end"])) for r in rows})
    assert len(members) >= 3
    # WHEN every entry is cited at once
    read_all(run, objects)
    # THEN the object was read in one range, from its start to the end of the last entry's member
    assert objects.ranges == [(run.lines.uri, 0, members[-1][1])]


def parts(run: RunRecord, objects: MemoryObjects, gap: int) -> DocumentParts:
    """The run's document read in part, ranges less than `gap` apart fetched by one read."""
    assert run.entry_columns is not None
    body = objects.bodies[run.entry_columns.uri]
    _, spans = read_entry_columns(body, run.entry_columns.uri, run.entry_columns.schema_version)
    return DocumentParts(objects, run.lines, spans, gap)


def test_entries_in_members_apart_are_read_in_a_range_each_and_the_head_once() -> None:
    # GIVEN a golden run, and two entries in members apart from each other and from the first
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    by_member = {(int(r["gzip_start"]), int(r["gzip_end"])): r["entry_id"] for r in entry_rows(objects, run)}
    spans = sorted(by_member)
    assert len(spans) >= 5
    first, one, other = spans[0], spans[2], spans[4]
    cited = LazyRunDocument(parts(run, objects, gap=0))
    # WHEN the two are cited, then an entry of the first member, each range read alone
    cited.cite([by_member[one], by_member[other]])
    cited.cite([by_member[first]])
    # THEN the first citing read the head (the members up to the first entry's) and each entry's
    # member, one range each; the second read only its entry's member, not the head again
    uri = run.lines.uri
    assert objects.ranges == [(uri, 0, first[1]), (uri, *one), (uri, *other), (uri, *first)]


def test_ranges_a_little_apart_are_fetched_by_one_read_and_the_members_between_not_inflated() -> None:
    # GIVEN a golden run, two entries with a member between them, and that member corrupted
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    by_member = {(int(r["gzip_start"]), int(r["gzip_end"])): r["entry_id"] for r in entry_rows(objects, run)}
    spans = sorted(by_member)
    one, between, other = spans[2], spans[3], spans[4]
    body = objects.bodies[run.lines.uri]
    objects.bodies[run.lines.uri] = _corrupted(body, (between[0] + between[1]) // 2)
    # WHEN the two entries are cited, the gap between their ranges less than the gap allowed
    cited = LazyRunDocument(parts(run, objects, gap=max(end - start for start, end in spans) + 1))
    cited.cite([by_member[one], by_member[other]])
    # THEN one read fetched the head's members and both entries' (and the corrupted one between,
    # which was not inflated: the entries are read)
    assert objects.ranges == [(run.lines.uri, 0, other[1])]
    assert cited.entry(by_member[one]) is not None
    assert cited.entry(by_member[other]) is not None


def _corrupted(body: bytes, at: int) -> bytes:
    return body[:at] + bytes([body[at] ^ 0xFF]) + body[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda body, member: _corrupted(body, member[1] - 6), "not whole gzip members: .*check"),
        (lambda body, member: _corrupted(body, (member[0] + member[1]) // 2), "not whole gzip members"),
        (lambda body, member: body[: member[1] - 3], "not whole gzip members: the gzip stream ends early"),
    ],
    ids=["member length", "member data", "object cut short"],
)
def test_a_cited_members_bytes_that_are_not_what_customs_wrote_are_refused(
    damage: Callable[[bytes, tuple[int, int]], bytes], named: str
) -> None:
    # GIVEN a run whose lines object was changed after customs wrote it, in its last entry's member
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    last = entry_rows(objects, run)[-1]
    member = (int(last["gzip_start"]), int(last["gzip_end"]))
    assert member[0] > 0
    objects.bodies[run.lines.uri] = damage(objects.bodies[run.lines.uri], member)
    cited = document(run, objects)
    # WHEN that entry is cited THEN the read is refused naming the object and the bytes
    with pytest.raises(LinesShapeError, match=f"{run.lines.uri}: bytes {member[0]}-{member[1]} are {named}"):
        cited.cite([last["entry_id"]])


def test_a_range_that_stops_before_its_entry_ends_is_refused_naming_the_entry() -> None:
    # GIVEN entry columns whose last entry's range is only the member before its own
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    rows = entry_rows(objects, run)
    earlier = next(r for r in reversed(rows) if r["gzip_end"] == rows[-1]["gzip_start"])

    def shortened(rows: Rows) -> None:
        rows[-1] |= {k: earlier[k] for k in ("gzip_start", "gzip_end", "gzip_text_start")}

    changed = with_entry_rows(objects, run, shortened)
    # WHEN the entry is cited THEN the read is refused: the text there does not reach its end
    entry_id = rows[-1]["entry_id"]
    with pytest.raises(LinesShapeError, match=f"{run.lines.uri}: the members at .* not {entry_id}'s"):
        document(changed, objects).cite([entry_id])


def test_an_entry_found_where_the_columns_put_another_is_refused_naming_both() -> None:
    # GIVEN entry columns in which two entries' places are swapped
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    placed = ("json_start", "json_end", "gzip_start", "gzip_end", "gzip_text_start")

    def swapped(rows: Rows) -> None:
        one, other = rows[1], rows[-1]
        for name in placed:
            one[name], other[name] = other[name], one[name]

    changed = with_entry_rows(objects, run, swapped)
    rows = entry_rows(objects, run)
    # WHEN one of them is cited THEN the read is refused naming the entry asked for and the one found
    asked, found = rows[1]["entry_id"], rows[-1]["entry_id"]
    with pytest.raises(LinesShapeError, match=f"put entry {asked} is {found}"):
        document(changed, objects).cite([asked])


def test_entry_columns_of_a_version_it_does_not_know_are_refused_naming_it() -> None:
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    assert run.entry_columns is not None
    unknown = replace(run, entry_columns=run.entry_columns.model_copy(update={"schema_version": "x/9"}))
    with pytest.raises(LinesShapeError, match="'x/9' is not an entry columns version"):
        PublishedLines(objects).load(unknown)


def test_s3_reads_the_member_ranges_an_explanation_cites(world: World) -> None:
    # GIVEN a golden run's objects stored in the data bucket under the customs prefix
    s3 = world.client("s3")
    objects = MemoryObjects()
    run, whole_json = published(golden_run(), objects)
    for uri, body in objects.bodies.items():
        s3.put_object(Bucket=DATA_BUCKET, Key=uri.split("/", 3)[3], Body=body)
    reader = S3Objects(s3, DATA_BUCKET, AUDIT_BUCKET)
    # WHEN every entry is read through S3 by ranges THEN they are those of the whole JSON
    assert read_all(run, reader) == read_all(run, objects)
    whole = PublishedLines(objects).load(whole_json).document
    assert all(entry == whole.entry(entry_id) for entry_id, entry in read_all(run, reader)[1].items())
    # AND a range is the object's bytes there, and a claim outside the customs prefix is refused
    assert reader.read_range(run.lines, 3, 40) == objects.bodies[run.lines.uri][3:40]
    foreign = ClaimCheck(uri=f"s3://{DATA_BUCKET}/etl/x.gz", sha256="0" * 64, row_count=0, schema_version="x")
    with pytest.raises(ForeignObjectError):
        reader.read_range(foreign, 0, 1)


def test_the_entry_columns_version_published_names_the_members() -> None:
    objects = MemoryObjects()
    run, _ = published(golden_run(), objects)
    assert run.entry_columns is not None
    assert run.entry_columns.schema_version == ENTRY_COLUMNS_SCHEMA
    assert {"gzip_start", "gzip_end", "gzip_text_start"} <= set(entry_rows(objects, run)[0])
