"""The customs lines document → the comparison's frames. Built from the golden cases' expected
output (the shape of the processor's `to_records()`) and from the processor's own output, so a
change of shape on either side fails here, naming the field."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ior_compare.adapters.lines import LinesShapeError, PublishedLines, read_document
from ior_compare.adapters.objects import ChecksumMismatchError, ForeignObjectError, S3Objects
from ior_compare.domain.engine import compare
from ior_compare.domain.records import RunRecord
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import new_metadata
from ior_customs.domain import process

from tests.compare.documents import (
    AUDIT_BUCKET,
    DATA_BUCKET,
    document,
    encoded,
    lines_generated,
    put_document,
)
from tests.compare.integration.conftest import World
from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case

DAY = date(2026, 3, 16)


def test_the_golden_shape_maps_field_by_field() -> None:
    # GIVEN the expected entries of a golden case (a metal part, fees, several stacks)
    lines = read_document(encoded(document(DAY)), "s3://b/k").lines
    assert lines is not None
    # THEN each line is one row of the frame contract, rates in stack order, money in cents
    metal = lines[lines["part"] == "metal"].iloc[0]
    assert (metal["entry_id"], metal["line"], metal["hts10"], metal["origin"]) == (
        "2709-20260316-SH2001", 3, "8504.40.95.20", "TW",
    )  # fmt: skip
    assert (metal["stack"], metal["rates"]) == ("9903.03.06;9903.81.91;8504.40.95.20", "0;0.50;0")
    assert (metal["quantity"], metal["duty_cents"], metal["value"], metal["net_kg"]) == ("No.=0", 4500, 90, 0)
    assert list(lines["line"]) == [1, 2, 3, 4, 5, 6]


def test_entries_carry_their_totals_in_cents() -> None:
    [entry] = read_document(encoded(document(DAY)), "s3://b/k").entries.to_dict("records")
    assert entry == {
        "entry_id": "2709-20260316-SH2001", "value": 28471, "duty_cents": 284670, "mpf_cents": 9862,
        "hmf_cents": 3559, "formal": True, "flags": "",
    }  # fmt: skip


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_processor_output_maps_and_compares_equal_to_itself(path: Path) -> None:
    # GIVEN what the processor publishes for a golden case
    body = process(inputs_from_case(load_case(path))).to_json_bytes()
    parsed = read_document(body, str(path))
    lines, entries = parsed.lines, parsed.entries
    assert lines is not None
    # THEN it maps, and compared with itself every line matches
    result = compare(lines, lines, entries, entries)
    assert result.passed
    assert result.counts.lines.match == len(lines) == len(process(inputs_from_case(load_case(path))).lines)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda line: line.pop("duty"), "duty"),
        (lambda line: line.update(rates={"9903.03.01": "0.10"}), "rates"),
        (lambda line: line.update(value="1347"), "value"),
        (lambda line: line.update(duty="134.7"), "duty"),
        (lambda line: line.update(part="steel"), "part"),
    ],
    ids=["missing field", "a rate short", "value as text", "duty with one decimal", "unknown part"],
)
def test_a_document_of_another_shape_fails_naming_the_field(
    change: Callable[[dict[str, Any]], object], named: str
) -> None:
    doc = document(DAY)
    change(doc["entries"][0]["lines"][0])
    with pytest.raises(LinesShapeError, match=named):
        read_document(encoded(doc), "s3://b/k")


def test_every_object_read_is_checked_against_its_claim_check(world: World) -> None:
    s3 = world.client("s3")
    objects = S3Objects(s3, DATA_BUCKET, AUDIT_BUCKET)
    lines_claim, entries_claim = put_document(s3, document(DAY), "manual")
    assert objects.read(lines_claim)
    tampered = lines_claim.model_copy(update={"sha256": hashlib.sha256(b"other").hexdigest()})
    with pytest.raises(ChecksumMismatchError):
        objects.read(tampered)
    foreign = ClaimCheck(uri=f"s3://{AUDIT_BUCKET}/customs/runs/x.json", sha256="0" * 64, row_count=1,
                         schema_version="x")  # fmt: skip
    with pytest.raises(ForeignObjectError):
        objects.read(foreign)
    # AND a count that disagrees with the claim check fails the run
    event = lines_generated(DAY, "manual", (lines_claim.model_copy(update={"row_count": 5}), entries_claim))
    run = RunRecord.from_event(event, new_metadata(type(event)))
    with pytest.raises(LinesShapeError, match="holds 6 lines, its claim check says 5"):
        PublishedLines(objects).load(run)


def test_a_document_in_another_layout_maps_to_the_same_frames() -> None:
    # GIVEN the golden document as published (canonical) and the same document indented, keys unsorted
    doc = document(DAY)
    canonical = read_document(encoded(doc), "s3://b/k")
    relaid = json.dumps(dict(reversed(doc.items())), indent=1, ensure_ascii=False).encode()
    # WHEN both are read
    other = read_document(relaid, "s3://b/k")
    # THEN the frames and what an explanation cites are the same
    assert canonical.lines is not None
    assert other.lines is not None
    pd.testing.assert_frame_equal(canonical.lines, other.lines)
    pd.testing.assert_frame_equal(canonical.entries, other.entries)
    entry_id = doc["entries"][0]["entry_id"]
    assert canonical.cited.entry(entry_id) == other.cited.entry(entry_id) == doc["entries"][0]
    assert other.cited.line(entry_id, 3) == next(x for x in doc["entries"][0]["lines"] if x["line"] == 3)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda entry: entry["totals"].update(mpf="9.8"), "totals.mpf"),
        (lambda entry: entry.update(formal="yes"), "formal"),
        (lambda entry: entry["lines"][0].update(quantity={"No.": 1.5}), "quantity"),
        (lambda entry: entry["lines"][0].update(stack=[]), "stack"),
        (lambda entry: entry["lines"][1].update(net_kg=True), "entries.0.lines.1.net_kg"),
    ],
    ids=["fee with one decimal", "formal as text", "fractional quantity", "empty stack", "weight as boolean"],
)
def test_an_entry_or_line_of_another_shape_fails_naming_where(
    change: Callable[[dict[str, Any]], object], named: str
) -> None:
    doc = document(DAY)
    change(doc["entries"][0])
    with pytest.raises(LinesShapeError, match=named.replace(".", r"\.")):
        read_document(encoded(doc), "s3://b/k")
