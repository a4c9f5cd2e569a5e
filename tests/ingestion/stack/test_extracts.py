"""The ingestion service end to end on the local stack: the mock SAP (sample company) and the
official HTS → landed raw extracts, audit copies, the ledger, and the events that announce them."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ior_contracts.envelope import new_metadata
from ior_contracts.ingestion import ExtractRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.adapters.ledger import RunLedger
from ior_tools.runtime.stack import LocalStack

from tests.support.stack import wait_for

SAP = ["ZFMIOR001", "ZFMIOR002", "ZFMIOR003", "ZEMM005", "ZEMM004", "ZEMM07", "ZSDR002"]
# The sample's history: from before its days around 1 October 2025 to the end of 2026.
EVERYTHING = DateWindow(from_date=date(2025, 6, 1), to_date=date(2026, 12, 31))
OUTCOMES = ("ingestion.extract.landed.v1", "ingestion.extract.failed.v1")


def ask(stack: LocalStack, source: str, window: DateWindow | None = EVERYTHING) -> str:
    request = ExtractRequested(source=source, window=window, trigger="cli")  # type: ignore[arg-type]
    return stack.publisher().publish(request).event_id


def outcome(stack: LocalStack, cause: str, timeout: float = 60) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    def answered() -> bool:
        found[:] = [e.event for e in stack.event_log.caused_by([cause], OUTCOMES)]
        return bool(found)

    wait_for(answered, timeout, f"the outcome of {cause}")
    return found[0]


def read(stack: LocalStack, uri: str) -> bytes:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def keys(stack: LocalStack, bucket: str, prefix: str) -> list[str]:
    listed = stack.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for o in listed.get("Contents", []))


@pytest.mark.parametrize("source", SAP)
def test_each_sap_source_lands_whole_and_is_announced(stack: LocalStack, sample: Path, source: str) -> None:
    event = outcome(stack, ask(stack, source))
    assert event["detail-type"] == "ingestion.extract.landed.v1", event["detail"]["data"]
    data = event["detail"]["data"]
    body = read(stack, data["extract"]["uri"])
    # THEN the object is what its claim check says, and holds every row the mock SAP serves
    assert hashlib.sha256(body).hexdigest() == data["extract"]["sha256"]
    rows = [json.loads(line) for line in gzip.decompress(body).splitlines()]
    expected = [json.loads(line) for line in (sample / "sap" / f"{source}.jsonl").read_text().splitlines()]
    assert data["extract"]["row_count"] == len(rows) == len(expected)
    assert rows == expected  # normalised back to the generator's canonical strings
    assert data["extract"]["uri"].startswith(
        f"s3://{stack.naming.data_bucket}/ingestion/published/raw/{source}/"
    )
    # AND an immutable audit copy and a run record exist under the ingestion audit prefix
    audit = json.loads(read(stack, data["audit_uri"]))
    assert audit["extract"]["sha256"] == data["extract"]["sha256"]
    copies = keys(stack, stack.naming.audit_bucket, f"ingestion/runs/{source}/{data['run_id']}/")
    assert any(k.endswith(".jsonl.gz") for k in copies)


def test_the_official_hts_lands_byte_for_byte(stack: LocalStack) -> None:
    from ior_tools.paths import OFFICIAL_HTS

    event = outcome(stack, ask(stack, "USITC_HTS", None))
    assert event["detail-type"] == "ingestion.extract.landed.v1", event["detail"]["data"]
    data = event["detail"]["data"]
    assert read(stack, data["extract"]["uri"]) == OFFICIAL_HTS.read_bytes()
    assert data["extract"]["row_count"] == len(json.loads(gzip.decompress(OFFICIAL_HTS.read_bytes())))


def test_sap_down_is_retried_then_fails_with_its_reason_and_lands_nothing(stack: LocalStack) -> None:
    assert stack.sap is not None
    before = keys(stack, stack.naming.data_bucket, "ingestion/published/raw/ZEMM005/")
    stack.sap.set_fault("503", entity_set="ZEMM005")
    stack.sap.reset_request_counts()
    try:
        event = outcome(
            stack, ask(stack, "ZEMM005", DateWindow(from_date=date(2026, 2, 1), to_date=date(2026, 2, 1)))
        )
    finally:
        stack.sap.clear_faults()
    data = event["detail"]["data"]
    assert event["detail-type"] == "ingestion.extract.failed.v1"
    assert data["reason"] == "server_error"
    assert data["attempts"] == 3 == stack.sap.request_count("ZEMM005")
    assert keys(stack, stack.naming.data_bucket, "ingestion/published/raw/ZEMM005/") == before


def test_too_many_requests_is_honoured_then_the_extract_lands(stack: LocalStack) -> None:
    assert stack.sap is not None
    stack.sap.set_fault("429", entity_set="ZFMIOR001", times=1, retry_after=1)
    started = time.monotonic()
    event = outcome(
        stack, ask(stack, "ZFMIOR001", DateWindow(from_date=date(2026, 2, 2), to_date=date(2026, 2, 2)))
    )
    assert event["detail-type"] == "ingestion.extract.landed.v1"
    assert time.monotonic() - started >= 1.0


def test_a_slow_sap_times_out(stack: LocalStack) -> None:
    assert stack.sap is not None
    stack.sap.set_fault("slow", entity_set="ZFMIOR002", seconds=3)
    try:
        event = outcome(
            stack, ask(stack, "ZFMIOR002", DateWindow(from_date=date(2026, 2, 3), to_date=date(2026, 2, 3)))
        )
    finally:
        stack.sap.clear_faults()
    assert event["detail"]["data"]["reason"] == "timeout"


def test_a_malformed_page_fails_naming_the_page(stack: LocalStack) -> None:
    assert stack.sap is not None
    stack.sap.page_size = 100
    stack.sap.set_fault("malformed", entity_set="ZSDR002", page=2)
    try:
        event = outcome(
            stack, ask(stack, "ZSDR002", DateWindow(from_date=date(2026, 2, 4), to_date=date(2026, 12, 31)))
        )
    finally:
        stack.sap.clear_faults()
        stack.sap.page_size = 5000
    data = event["detail"]["data"]
    assert (event["detail-type"], data["reason"], data["page"]) == (
        "ingestion.extract.failed.v1",
        "malformed",
        2,
    )


def test_a_duplicate_trigger_makes_one_run(stack: LocalStack) -> None:
    # GIVEN one request delivered twice
    request = ExtractRequested(
        source="ZEMM07",
        window=DateWindow(from_date=date(2026, 3, 1), to_date=date(2026, 3, 31)),
        trigger="cli",
    )
    metadata = new_metadata(ExtractRequested)
    stack.publisher().publish_with(request, metadata)
    stack.publisher().publish_with(request, metadata)
    outcome(stack, metadata.event_id)
    stack.wait_idle()
    # THEN it was extracted and announced once
    assert len(stack.event_log.caused_by([metadata.event_id], OUTCOMES)) == 1


def test_concurrent_claims_for_one_window_have_one_winner(stack: LocalStack) -> None:
    ledger = RunLedger(stack.client("dynamodb"), stack.naming.table("ingestion"))
    now = int(time.time())
    first = ledger.claim("ZEMM004", "2026-05-01..2026-05-02", "run-a", now=now, lease_s=60)
    second = ledger.claim("ZEMM004", "2026-05-01..2026-05-02", "run-b", now=now, lease_s=60)
    assert (first.won, second.won, second.holder) == (True, False, "run-a")
    # AND once the lease has lapsed (the holder died), another trigger may take the window over
    assert ledger.claim("ZEMM004", "2026-05-01..2026-05-02", "run-c", now=now + 61, lease_s=60).won


def test_the_watermark_resumes_where_the_last_run_ended_less_the_lookback(stack: LocalStack) -> None:
    ledger = RunLedger(stack.client("dynamodb"), stack.naming.table("ingestion"))
    today = datetime.now(UTC).date()
    # GIVEN a source that has run before
    first = outcome(stack, ask(stack, "ZSDR002", None))["detail"]["data"]
    mark = min(date.fromisoformat(first["watermark"]), today)
    # WHEN it runs again without a window
    second = outcome(stack, ask(stack, "ZSDR002", None))["detail"]["data"]
    # THEN it resumes at its watermark less the 7-day look-back, up to the run date
    assert second["window"] == {
        "from_date": (mark - timedelta(days=7)).isoformat(),
        "to_date": today.isoformat(),
    }
    assert ledger.watermark("ZSDR002") >= today
