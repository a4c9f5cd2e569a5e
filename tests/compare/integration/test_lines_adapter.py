"""The customs lines document → the comparison's frames. Built from the golden cases' expected
output (the shape of the processor's `to_records()`) and from the processor's own output, so a
change of shape on either side fails here, naming the field."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ior_compare.adapters.lines import (
    LinesDocument,
    LinesShapeError,
    PublishedLines,
    entries_frame,
    lines_frame,
    parse,
)
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
    parsed = parse(encoded(document(DAY)), LinesDocument, "s3://b/k")
    lines = lines_frame(parsed)
    # THEN each line is one row of the frame contract, rates in stack order, money in cents
    metal = lines[lines["part"] == "metal"].iloc[0]
    assert (metal["entry_id"], metal["line"], metal["hts10"], metal["origin"]) == (
        "2709-20260316-SH2001", 3, "8504.40.95.20", "TW",
    )  # fmt: skip
    assert (metal["stack"], metal["rates"]) == ("9903.03.06;9903.81.91;8504.40.95.20", "0;0.50;0")
    assert (metal["quantity"], metal["duty_cents"], metal["value"], metal["net_kg"]) == ("No.=0", 4500, 90, 0)
    assert list(lines["line"]) == [1, 2, 3, 4, 5, 6]


def test_entries_carry_their_totals_in_cents() -> None:
    [entry] = entries_frame(parse(encoded(document(DAY)), LinesDocument, "s3://b/k").entries).to_dict(
        "records"
    )
    assert entry == {
        "entry_id": "2709-20260316-SH2001", "value": 28471, "duty_cents": 284670, "mpf_cents": 9862,
        "hmf_cents": 3559, "formal": True, "flags": "",
    }  # fmt: skip


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_processor_output_maps_and_compares_equal_to_itself(path: Path) -> None:
    # GIVEN what the processor publishes for a golden case
    body = process(inputs_from_case(load_case(path))).to_json_bytes()
    parsed = parse(body, LinesDocument, str(path))
    lines, entries = lines_frame(parsed), entries_frame(parsed.entries)
    # THEN it maps, and compared with itself every line matches
    result = compare(lines, lines, entries, entries)
    assert result.passed
    assert result.counts.lines.match == len(lines) == sum(len(e.lines) for e in parsed.entries)


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
        parse(encoded(doc), LinesDocument, "s3://b/k")


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
