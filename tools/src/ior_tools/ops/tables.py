"""Restoring a service's table to a point in time (DynamoDB PITR) as a new table beside it. DynamoDB
never restores in place: the restored table is checked, then switched to by hand (see the runbook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ior_contracts.topology import Naming


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


def restore(client: Any, naming: Naming, service: str, services: list[str], to: datetime) -> Restored:
    if service not in services:
        raise UnknownServiceError(f"no service {service!r}; services: {', '.join(sorted(services))}")
    source = naming.table(service)
    described = client.describe_continuous_backups(TableName=source)["ContinuousBackupsDescription"]
    pitr = described.get("PointInTimeRecoveryDescription", {})
    if pitr.get("PointInTimeRecoveryStatus") != "ENABLED":
        raise RecoveryNotEnabledError(f"{source} has no point-in-time recovery enabled")
    target = restored_name(source, to)
    client.restore_table_to_point_in_time(SourceTableName=source, TargetTableName=target, RestoreDateTime=to)
    client.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    items = client.describe_table(TableName=target)["Table"].get("ItemCount", 0)
    return Restored(
        source,
        target,
        to,
        pitr.get("EarliestRestorableDateTime"),
        pitr.get("LatestRestorableDateTime"),
        items,
    )
