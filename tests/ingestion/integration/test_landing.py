"""Landing on moto: the extract stored once under its checksum, a copy and the run's record under
the audit prefix, and a claim check that names what was stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ior_ingestion.adapters.landing import S3Landing
from ior_ingestion.adapters.staging import TempFileStaging
from ior_tools.runtime.aws import Endpoint

from tests.support.deployed import NAMING

DATA, AUDIT = NAMING.data_bucket, NAMING.audit_bucket
PAGES = [[{"VBELN": "0090010000", "POSNR": "000010"}], [{"VBELN": "0090010001", "POSNR": "000010"}]]


@pytest.fixture
def s3(provisioned: Endpoint) -> Any:
    return provisioned.client("s3")


def keys(s3: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_an_extract_is_stored_under_its_checksum_with_an_audit_copy_and_record(
    s3: Any, tmp_path: Path
) -> None:
    staged = TempFileStaging(tmp_path).stage_pages(PAGES)
    landed = S3Landing(s3, DATA, AUDIT).land(staged, source="ZSDR002", run_id="run-a", record={"rows": 2})

    name = f"{staged.sha256}.jsonl.gz"
    assert landed.extract.uri == f"s3://{DATA}/ingestion/published/raw/ZSDR002/{name}"
    assert (landed.extract.sha256, landed.extract.row_count, landed.extract.schema_version) == (
        staged.sha256,
        2,
        "sap-jsonl-1",
    )
    assert landed.audit_uri == f"s3://{AUDIT}/ingestion/runs/ZSDR002/run-a/run.json"
    stored = s3.get_object(Bucket=DATA, Key=f"ingestion/published/raw/ZSDR002/{name}")["Body"].read()
    assert stored == staged.path.read_bytes()
    assert keys(s3, AUDIT) == [
        f"ingestion/runs/ZSDR002/run-a/{name}",
        "ingestion/runs/ZSDR002/run-a/run.json",
    ]
    record = json.loads(
        s3.get_object(Bucket=AUDIT, Key="ingestion/runs/ZSDR002/run-a/run.json")["Body"].read()
    )
    assert record == {"rows": 2, "extract": {"uri": landed.extract.uri, "sha256": staged.sha256}}


def test_the_same_extract_landed_again_is_one_object_with_an_audit_copy_per_run(
    s3: Any, tmp_path: Path
) -> None:
    staging, landing = TempFileStaging(tmp_path), S3Landing(s3, DATA, AUDIT)
    first = landing.land(staging.stage_pages(PAGES), source="ZSDR002", run_id="run-a", record={})
    second = landing.land(staging.stage_pages(PAGES), source="ZSDR002", run_id="run-b", record={})

    assert first.extract == second.extract
    assert len(keys(s3, DATA)) == 1
    assert len(keys(s3, AUDIT)) == 4


def test_a_staged_extract_is_gone_once_discarded(tmp_path: Path) -> None:
    staging = TempFileStaging(tmp_path)
    staged = staging.stage_pages(PAGES)
    assert staged.path.parent == tmp_path
    staging.discard(staged)
    assert list(tmp_path.iterdir()) == []
