"""Where an automated build's rows were read, placed per row (a rejected row) or all at once (the
published rows' origins): both say the same extract and line, and the origins' bytes are the same."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import date

import numpy as np
from ior_contracts.claims import ClaimCheck
from ior_etl.domain.building import build_automated
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.origins import origins_csv
from ior_etl.domain.quarantine import LocatesRows
from ior_etl.domain.sap_fields import ZSDR002
from ior_etl.domain.snapshot import InputChecksum
from ior_etl.domain.sources import INCREMENTAL
from ior_etl.ports import LandedExtract
from ior_etl.service_layer.incremental import Part, merge
from ior_etl.service_layer.inputs import Plan, Reader, load

from tests.etl.unit.fakes import FakeObjects
from tests.etl.unit.records import billing


def _landed(objects: FakeObjects, name: str, records: list[dict[str, str]], window: str) -> LandedExtract:
    """An extract stored as landing stores it (a blank line after the first record)."""
    lines = [json.dumps(r) for r in records]
    data = gzip.compress("\n".join([lines[0], "", *lines[1:], ""]).encode(), mtime=0)
    uri = f"s3://landing/{name}.jsonl.gz"
    objects.stored[uri] = data
    claim = ClaimCheck(uri=uri, sha256=hashlib.sha256(data).hexdigest(), row_count=0, schema_version="t")
    day = date.fromisoformat(window)
    return LandedExtract(ZSDR002.name, claim, day, day, f"{window}T06:00:00Z", name)


def test_a_merged_sources_rows_are_placed_alike_one_by_one_and_all_at_once() -> None:
    # GIVEN two billing extracts, the newer restating document 3 and speaking for the 11th
    objects = FakeObjects()
    older = _landed(
        objects,
        "older",
        [billing("1", ZZARRIVAL="2026-03-10"), billing("3", ZZARRIVAL="2026-03-10"), billing("2")],
        "2026-03-10",
    )
    newer = _landed(
        objects,
        "newer",
        [billing("3", ZZARRIVAL="2026-03-11"), billing("4", ZZARRIVAL="2026-03-11")],
        "2026-03-11",
    )
    plan = Plan("transactions", latest={}, windows={ZSDR002.name: [older, newer]})
    # WHEN they are loaded
    loaded = load(plan, Reader(objects))  # type: ignore[arg-type]
    locate = loaded.locate
    # THEN each row is placed at its extract's line, skipping the blank line, one by one or all at once
    assert isinstance(locate, LocatesRows)
    rows = np.arange(1, len(loaded.frames[ZSDR002.name]) + 1)
    one_by_one = [locate(ZSDR002.name, int(row)) for row in rows]
    assert [(found.uri if found else None, line) for line, found in one_by_one] == [
        (older.claim.uri, 1),
        (older.claim.uri, 4),
        (newer.claim.uri, 1),
        (newer.claim.uri, 3),
    ]
    at_once = locate.rows(ZSDR002.name, rows)
    assert at_once.there.tolist() == [line for line, _ in one_by_one]
    assert [at_once.objects[w] for w in at_once.which.tolist()] == [found for _, found in one_by_one]


def test_the_origins_are_the_same_bytes_placed_all_at_once_as_one_by_one() -> None:
    # GIVEN a transactions build from a merged billing source, with a row rejected
    objects = FakeObjects()
    first = _landed(
        objects, "first", [billing(str(n), ZZARRIVAL="2026-03-10") for n in range(1, 6)], "2026-03-10"
    )
    second = _landed(
        objects, "second", [billing("2", ZZARRIVAL="2026-03-11"), billing("7", FKIMG="x")], "2026-03-11"
    )
    plan = Plan("transactions", latest={}, windows={ZSDR002.name: [first, second]})
    loaded = load(plan, Reader(objects))  # type: ignore[arg-type]
    build = build_automated("transactions", loaded.frames)
    assert build.validation.rejected_rows == 1
    inputs = [InputChecksum(i.name, i.sha256, i.uri) for i in plan.inputs]
    # WHEN its origins are written with the locator, and with a plain function asking it row by row
    at_once = origins_csv(build, loaded.locate, inputs)
    one_by_one = origins_csv(build, lambda source, row: loaded.locate(source, row), inputs)
    # THEN the bytes are the same, each row citing its extract as the manifest numbers it
    assert at_once is not None
    assert at_once == one_by_one
    assert at_once.decode().splitlines()[1:] == [
        "ZSDR002,1,1",
        "ZSDR002,1,2",
        "ZSDR002,4,1",
        "ZSDR002,5,1",
        "ZSDR002,6,1",
    ]


def test_one_extract_is_merged_whole_renumbered_and_its_frame_left_as_read() -> None:
    # GIVEN one extract's frame whose records are on lines 2, 5 and 9
    frame = records_frame([billing("1"), billing("2"), billing("3")], ZSDR002, [2, 5, 9])
    landed = LandedExtract(
        ZSDR002.name,
        ClaimCheck(uri="s3://b/a", sha256="a" * 64, row_count=3, schema_version="t"),
        date(2026, 3, 10),
        date(2026, 3, 10),
        "1",
        "a",
    )
    # WHEN it is merged alone
    merged = merge([Part(landed, frame)], INCREMENTAL[ZSDR002.name])
    # THEN every row is kept, numbered afresh, each placed at its line; the extract's frame is unchanged
    assert merged.frame["VBELN"].tolist() == frame["VBELN"].tolist()
    assert merged.frame["source_row"].tolist() == [1, 2, 3]
    assert [(e.run_id, line) for e, line in merged.origins] == [("a", 2), ("a", 5), ("a", 9)]
    assert frame["source_row"].tolist() == [2, 5, 9]
