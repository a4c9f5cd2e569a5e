"""`ior table restore` restores a service's table to a point in time as a new table and says how to
switch over; locally it says that moto ignores the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior


def _recorder(into: list[dict[str, Any]]) -> Callable[..., None]:
    def record(params: dict[str, Any], **_: Any) -> None:
        into.append(dict(params))

    return record


def count(stack: LocalStack, table: str) -> int:
    return int(stack.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"])


def test_restores_into_a_new_table_and_explains_the_switch(stack: LocalStack, outputs: str) -> None:
    dynamodb = stack.client("dynamodb")
    source = stack.naming.table("compare")
    dynamodb.put_item(TableName=source, Item={"pk": {"S": "restore-test"}, "sk": {"S": "1"}})
    to = (datetime.now(UTC) - timedelta(minutes=5)).replace(microsecond=0)
    restores: list[dict[str, Any]] = []
    events = boto3._get_default_session().events
    record = _recorder(restores)
    events.register("provide-client-params.dynamodb.RestoreTableToPointInTime", record)
    try:
        restored = ior(
            "table", "restore", "compare", "--to", to.isoformat(), "--stack", "local", "--outputs", outputs
        )
    finally:
        events.unregister("provide-client-params.dynamodb.RestoreTableToPointInTime", record)
    assert restored.exit_code == 0, restored.output
    target = f"{source}-restored-{to.strftime('%Y%m%dT%H%M%SZ')}"
    assert target in restored.output
    assert count(stack, target) == count(stack, source)
    # Kept to its source's standard: the stage's key (asked for; moto's restore ignores it),
    # point-in-time recovery, TTL.
    source_key = dynamodb.describe_table(TableName=source)["Table"]["SSEDescription"]["KMSMasterKeyArn"]
    [asked] = restores
    assert asked["SSESpecificationOverride"] == {
        "Enabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": source_key,
    }
    backups = dynamodb.describe_continuous_backups(TableName=target)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=target)["TimeToLiveDescription"]
    assert ttl == dynamodb.describe_time_to_live(TableName=source)["TimeToLiveDescription"]
    assert f"pulumi config set --stack local --path 'tableOverrides.compare' {target}" in restored.output
    assert "moto ignores the restore time" in restored.output
    assert f"ior replay --stack local --stage compare --since {to.isoformat()}" in restored.output
    dynamodb.delete_table(TableName=target)


def test_refuses_an_unknown_service_and_a_future_time(stack: LocalStack) -> None:
    unknown = ior("table", "restore", "nosuch", "--to", "2026-01-01T00:00:00")
    assert unknown.exit_code == 2
    assert "no service 'nosuch'" in unknown.output
    future = ior("table", "restore", "etl", "--to", (datetime.now(UTC) + timedelta(days=1)).isoformat())
    assert future.exit_code == 2
    assert "in the future" in future.output
