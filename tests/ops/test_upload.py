"""`ior upload` (SAP down → manual upload): the analysts' CSVs stored and announced as the dashboard
does, and the ETL's answer shown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ior_contracts.bus import EventPublisher
from ior_tools import uploads
from ior_tools.runtime.stack import LocalStack
from ior_tools.uploads import BundleRefusedError, sample_bundle, upload

from tests.etl.unit.records import legacy_csv
from tests.ops.conftest import ior

RATES = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850")
PACKAGING = legacy_csv("Material,Description,Is Packaging,Unit Weight (kg)", "90000001,Carton,Y,0.9")


class Bucket:
    """Just what `upload` asks of S3: it records what was stored."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, **_: Any) -> None:
        self.stored[Key] = Body


class Bus:
    """Just what `EventPublisher` asks of EventBridge: it records what was announced."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def put_events(self, *, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.entries.extend(Entries)
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "1"}]}


def _files(folder: Path, **contents: bytes) -> list[Path]:
    paths = []
    for name, body in contents.items():
        path = folder / name.replace("_csv", ".csv")
        path.write_bytes(body)
        paths.append(path)
    return paths


def test_a_bundle_with_one_bad_file_stores_and_announces_nothing(tmp_path: Path) -> None:
    # GIVEN a clean rates file beside a packaging file whose row 2 has no unit weight
    bad_packaging = legacy_csv(
        "Material,Description,Is Packaging,Unit Weight (kg)", "90000001,Carton,Y,heavy"
    )
    files = _files(tmp_path, Exchange_Rates_csv=RATES, Packaging_Material_csv=bad_packaging)
    bucket, bus = Bucket(), Bus()
    # WHEN the bundle is uploaded
    with pytest.raises(BundleRefusedError) as refused:
        upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=None)
    # THEN the problem is named by file, row and column, and nothing is stored or announced
    assert [(p.file, p.row, p.column) for p in refused.value.problems] == [
        ("Packaging_Material.csv", 2, "Unit Weight (kg)")
    ]
    assert (bucket.stored, bus.entries) == ({}, [])


def test_a_bundle_with_an_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    files = _files(tmp_path, Exchange_Rates_csv=RATES, Packaging_Material_csv=b"")
    bucket, bus = Bucket(), Bus()
    with pytest.raises(BundleRefusedError) as refused:
        upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=None)
    assert [(p.file, p.rule) for p in refused.value.problems] == [("Packaging_Material.csv", "empty_file")]
    assert "the file is empty" in refused.value.problems[0].message
    assert bucket.stored == {}


def test_a_file_given_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    files = [
        *_files(tmp_path / "a", Exchange_Rates_csv=RATES),
        *_files(tmp_path / "b", Exchange_Rates_csv=RATES),
    ]
    with pytest.raises(BundleRefusedError) as refused:
        upload(Bucket(), EventPublisher(Bus(), "bus"), "data", files, by="analyst", day=None)
    assert [p.rule for p in refused.value.problems] == ["file_given_twice"]


def test_a_clean_bundle_is_stored_whole_and_announced_once_per_date(tmp_path: Path) -> None:
    files = _files(tmp_path, Exchange_Rates_csv=RATES, Packaging_Material_csv=PACKAGING)
    bucket, bus = Bucket(), Bus()
    first = upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=date(2026, 3, 31))
    again = upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=date(2026, 3, 31))
    other_day = upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=date(2026, 4, 1))
    assert sorted(key.rsplit("/", 1)[1] for key in bucket.stored) == [
        "Exchange_Rates.csv",
        "Packaging_Material.csv",
    ]
    announced = json.loads(bus.entries[0]["Detail"])["data"]
    assert [f["object"]["row_count"] for f in announced["files"]] == [1, 1]
    # THEN the same bundle for the same date is the same upload, as the API's is; another date is another
    assert first.metadata.event_id == again.metadata.event_id != other_day.metadata.event_id


def test_uploads_a_days_csvs_and_shows_the_datasets_built(
    stack: LocalStack, sample: Path, tmp_path: Path
) -> None:
    day = json.loads((sample / "manifest.json").read_text())["business_dates"][-1]
    files = [str(p) for p in sample_bundle(sample / "legacy", __import__("datetime").date.fromisoformat(day))]
    uploaded = ior("upload", *files, "--date", day, "--as", "analyst", "--wait", "60")
    assert uploaded.exit_code == 0, uploaded.output
    assert "uploaded 6 file(s)" in uploaded.output
    assert "transactions" in uploaded.output
    assert "manual" in uploaded.output
    received = [e for e in stack.event_log.window() if e.detail_type == "manual.upload.received.v1"]
    assert any(e.event["detail"]["data"]["uploaded_by"] == "analyst" for e in received)


def test_refuses_a_file_that_is_not_a_legacy_csv(stack: LocalStack, tmp_path: Path) -> None:
    stray = tmp_path / "notes.csv"
    stray.write_text("a,b\n1,2\n")
    refused = ior("upload", str(stray), "--wait", "0")
    assert refused.exit_code == 2
    assert "'notes.csv' is not one of the legacy files" in refused.output


def test_a_bundle_over_the_direct_limit_is_stored_unchecked_for_the_etl_as_the_presigned_path_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a bundle larger than the API takes directly, whose packaging file has a bad weight
    monkeypatch.setattr(uploads, "MAX_DIRECT_BYTES", len(RATES))
    bad_packaging = legacy_csv(
        "Material,Description,Is Packaging,Unit Weight (kg)", "90000001,Carton,Y,heavy"
    )
    files = _files(tmp_path, Exchange_Rates_csv=RATES, Packaging_Material_csv=bad_packaging)
    bucket, bus = Bucket(), Bus()
    # WHEN it is uploaded
    done = upload(bucket, EventPublisher(bus, "bus"), "data", files, by="analyst", day=None)
    # THEN it is stored and announced unchecked, its rows not counted: the ETL checks it in full
    assert not done.checked
    assert len(bucket.stored) == 2
    announced = json.loads(bus.entries[0]["Detail"])["data"]
    assert announced["checked"] is False
    assert [f["object"]["row_count"] for f in announced["files"]] == [0, 0]
    # AND a file none of the pinned ones is still refused by its name, nothing stored
    (tmp_path / "Other.csv").write_bytes(RATES)
    with pytest.raises(BundleRefusedError) as refused:
        upload(
            Bucket(), EventPublisher(Bus(), "bus"), "data", [*files, tmp_path / "Other.csv"], by="a", day=None
        )
    assert [(p.file, p.rule) for p in refused.value.problems] == [("Other.csv", "unknown_file")]
