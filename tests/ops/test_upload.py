"""`ior upload` (SAP down → manual upload): the analysts' CSVs stored and announced as the dashboard
does, and the ETL's answer shown."""

from __future__ import annotations

import json
from pathlib import Path

from ior_tools.runtime.stack import LocalStack
from ior_tools.uploads import sample_bundle

from tests.ops.conftest import ior


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
    assert "notes.csv is not one of the legacy files" in refused.output
