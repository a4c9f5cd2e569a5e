"""Restoring a service's table to a point in time (DynamoDB PITR) as a new table beside it. DynamoDB
never restores in place: the restored table is checked, then the service is pointed at it through
the stack's configuration (`tableOverrides`), its role's grant following (see the runbook).

A restore leaves out what the program sets on a table besides its data and keys: it is encrypted
here with its source's key, and its point-in-time recovery and TTL are switched back on, so the
restored table is kept to the same standard as the one it replaces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


class UnknownServiceError(KeyError):
    """No service of that name has a table."""


class RecoveryNotEnabledError(RuntimeError):
    """The table has no point-in-time recovery to restore from."""


@dataclass(frozen=True)
class Restored:
    source: str
    target: str
    to: datetime
    earliest: datetime | None
    latest: datetime | None
    items: int


def restored_name(source: str, to: datetime) -> str:
    return f"{source}-restored-{to.strftime('%Y%m%dT%H%M%SZ')}"


def restore(client: Any, tables: dict[str, str], service: str, to: datetime) -> Restored:
    """`tables`: each service's table, as the stack's outputs name them."""
    if service not in tables:
        raise UnknownServiceError(f"no service {service!r}; services: {', '.join(sorted(tables))}")
    source = tables[service]
    described = client.describe_continuous_backups(TableName=source)["ContinuousBackupsDescription"]
    pitr = described.get("PointInTimeRecoveryDescription", {})
    if pitr.get("PointInTimeRecoveryStatus") != "ENABLED":
        raise RecoveryNotEnabledError(f"{source} has no point-in-time recovery enabled")
    target = restored_name(source, to)
    restore: dict[str, Any] = {"SourceTableName": source, "TargetTableName": target, "RestoreDateTime": to}
    key = client.describe_table(TableName=source)["Table"].get("SSEDescription", {}).get("KMSMasterKeyArn")
    if key:
        restore["SSESpecificationOverride"] = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
    client.restore_table_to_point_in_time(**restore)
    client.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    _as_its_source(client, source, target)
    items = client.describe_table(TableName=target)["Table"].get("ItemCount", 0)
    return Restored(
        source,
        target,
        to,
        pitr.get("EarliestRestorableDateTime"),
        pitr.get("LatestRestorableDateTime"),
        items,
    )


def _as_its_source(client: Any, source: str, target: str) -> None:
    client.update_continuous_backups(
        TableName=target, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    ttl = client.describe_time_to_live(TableName=source)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        client.update_time_to_live(
            TableName=target, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]}
        )
