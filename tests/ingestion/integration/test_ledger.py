"""The run ledger on moto: one trigger wins a window, a lapsed lease lets another take it over, a
run is finished only by its holder, and the watermark only moves forward."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from ior_ingestion.adapters.ledger import RunLedger
from ior_ingestion.adapters.table import ConditionFailedError
from ior_ingestion.ports import Claim
from ior_tools.runtime.aws import Endpoint

from tests.support.deployed import NAMING

TABLE = NAMING.table("ingestion")
WINDOW = "2026-03-02..2026-03-09"


@pytest.fixture
def dynamodb(provisioned: Endpoint) -> Any:
    return provisioned.client("dynamodb")


def test_of_two_triggers_for_one_window_the_first_wins_and_the_second_learns_who_holds_it(
    dynamodb: Any,
) -> None:
    ledger = RunLedger(dynamodb, TABLE)
    assert ledger.claim("ZSDR002", WINDOW, "run-a", now=1_000, lease_s=900) == Claim(True, "run-a", "running")
    assert ledger.claim("ZSDR002", WINDOW, "run-b", now=1_500, lease_s=900) == Claim(
        False, "run-a", "running"
    )


def test_a_run_whose_lease_has_lapsed_is_taken_over(dynamodb: Any) -> None:
    ledger = RunLedger(dynamodb, TABLE)
    ledger.claim("ZSDR002", WINDOW, "run-a", now=1_000, lease_s=900)
    assert ledger.claim("ZSDR002", WINDOW, "run-b", now=1_901, lease_s=900).won


def test_a_finished_window_is_run_again_by_a_later_request(dynamodb: Any) -> None:
    ledger = RunLedger(dynamodb, TABLE)
    ledger.claim("ZSDR002", WINDOW, "run-a", now=1_000, lease_s=900)
    ledger.finish("ZSDR002", WINDOW, "run-a", "landed", {"extract": "s3://data/x.jsonl.gz"})
    item = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "run#ZSDR002"}, "sk": {"S": WINDOW}})["Item"]
    assert (item["status"]["S"], item["extract"]["S"]) == ("landed", "s3://data/x.jsonl.gz")
    assert ledger.claim("ZSDR002", WINDOW, "run-b", now=1_001, lease_s=900).won


def test_only_the_run_holding_the_window_finishes_it(dynamodb: Any) -> None:
    ledger = RunLedger(dynamodb, TABLE)
    ledger.claim("ZSDR002", WINDOW, "run-a", now=1_000, lease_s=900)
    with pytest.raises(ConditionFailedError):
        ledger.finish("ZSDR002", WINDOW, "run-b", "failed", {"reason": "timeout"})


def test_the_watermark_starts_unset_and_only_moves_forward(dynamodb: Any) -> None:
    ledger = RunLedger(dynamodb, TABLE)
    assert ledger.watermark("ZSDR002") is None
    ledger.advance_watermark("ZSDR002", date(2026, 3, 9))
    ledger.advance_watermark("ZSDR002", date(2026, 3, 2))
    assert ledger.watermark("ZSDR002") == date(2026, 3, 9)
    ledger.advance_watermark("ZSDR002", date(2026, 3, 10))
    assert ledger.watermark("ZSDR002") == date(2026, 3, 10)
