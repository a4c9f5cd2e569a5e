"""The recorded fee notices and the landed HTS release on moto: a notice is kept once, in the order
notices were recorded, with an audit copy; the ledger remembers the release last landed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ior_ingestion.adapters.fee_notices import RecordedFeeNotices
from ior_ingestion.adapters.ledger import RunLedger
from ior_ingestion.domain.fee_notices import FeeNotice
from ior_ingestion.domain.releases import Release
from ior_tools.runtime.aws import Endpoint

from tests.support.deployed import NAMING

TABLE, AUDIT = NAMING.table("ingestion"), NAMING.audit_bucket


def notice(event_id: str, recorded_at: str, maximum: str = "660.00") -> FeeNotice:
    # Test figures only: no fiscal year after 2026 could be cited here.
    return FeeNotice(
        fiscal_year=2027,
        effective_from=date(2026, 10, 1),
        effective_to=date(2027, 9, 30),
        mpf_rate="0.003464",
        mpf_minimum="34.00",
        mpf_maximum=maximum,
        hmf_rate="0.00125",
        citation="TEST ONLY - fictitious notice",
        recorded_by="maria.chen",
        recorded_at=recorded_at,
        event_id=event_id,
    )


def test_notices_are_kept_once_in_recorded_order_each_with_an_audit_copy(provisioned: Endpoint) -> None:
    s3: Any = provisioned.client("s3")
    store = RecordedFeeNotices(provisioned.client("dynamodb"), TABLE, s3, AUDIT)
    later, earlier = (
        notice("b", "2027-07-31T00:00:00.000000Z", "661.00"),
        notice("a", "2027-07-30T00:00:00.000000Z"),
    )

    store.record(later)
    store.record(earlier)
    store.record(earlier)  # re-delivered

    assert store.recorded() == [earlier, later]
    copy = s3.get_object(Bucket=AUDIT, Key="ingestion/fee-notices/b.json")["Body"].read()
    assert json.loads(copy) == later.record()


def test_the_ledger_remembers_the_release_last_landed(provisioned: Endpoint) -> None:
    ledger = RunLedger(provisioned.client("dynamodb"), TABLE)
    assert ledger.landed_release("USITC_HTS") is None
    rev10 = Release("2026HTSRev10", 2026, 10, date(2026, 6, 8))
    ledger.record_release("USITC_HTS", rev10)
    assert ledger.landed_release("USITC_HTS") == rev10
