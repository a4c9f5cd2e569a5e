"""The ETL table (`pk`/`sk` strings):

| pk | sk | holds |
|---|---|---|
| `extract#<SOURCE>` | `<landed_at>#<sha256>` | one landed extract: its claim check, window, ingestion run |
| `current#<dataset>#<mode>` | `current` | the current version, its snapshot and manifest, `as_of` |
| `run#<dataset>#<mode>` | `<run_id>` | a run's outcome: status, version, counts, quarantine, cause |
| `pending#<dataset>#<mode>` | `latest` | rows of the latest run waiting for master data |

The current pointer moves only forward: a build whose inputs are older (`as_of`) than the current
version's cannot replace it, a conditional write decides."""

from __future__ import annotations

from datetime import date
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.vocabulary import Mode

from ior_etl.ports import CurrentVersion, LandedExtract, PendingRows, Pointer, RunRecord


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


class Catalog:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    # --- extracts ------------------------------------------------------------------------------

    def record_extract(self, extract: LandedExtract) -> None:
        claim = extract.claim
        self._db.put_item(
            TableName=self._table,
            Item={
                "pk": _s(f"extract#{extract.source}"),
                "sk": _s(f"{extract.landed_at}#{claim.sha256}"),
                "uri": _s(claim.uri),
                "sha256": _s(claim.sha256),
                "row_count": _n(claim.row_count),
                "schema_version": _s(claim.schema_version),
                "window_from": _s(extract.window_from.isoformat()),
                "window_to": _s(extract.window_to.isoformat()),
                "landed_at": _s(extract.landed_at),
                "run_id": _s(extract.run_id),
            },
        )

    def extracts(self, source: str) -> list[LandedExtract]:
        items = self._query(f"extract#{source}")
        return [
            LandedExtract(
                source=source,
                claim=ClaimCheck(
                    uri=i["uri"]["S"],
                    sha256=i["sha256"]["S"],
                    row_count=int(i["row_count"]["N"]),
                    schema_version=i["schema_version"]["S"],
                ),
                window_from=date.fromisoformat(i["window_from"]["S"]),
                window_to=date.fromisoformat(i["window_to"]["S"]),
                landed_at=i["landed_at"]["S"],
                run_id=i["run_id"]["S"],
            )
            for i in items
        ]

    def _query(self, pk: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": _s(pk)},
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # --- the current version -------------------------------------------------------------------

    def current(self, dataset: str, mode: Mode) -> CurrentVersion | None:
        item = self._get(f"current#{dataset}#{mode}", "current")
        return None if item is None else _current(item, dataset, mode)

    def make_current(self, version: CurrentVersion) -> Pointer:
        snapshot = version.snapshot
        try:
            old = self._db.put_item(
                TableName=self._table,
                Item={
                    "pk": _s(f"current#{version.dataset}#{version.mode}"),
                    "sk": _s("current"),
                    "version": _s(version.version),
                    "as_of": _s(version.as_of),
                    "run_id": _s(version.run_id),
                    "snapshot_uri": _s(snapshot.uri),
                    "snapshot_sha256": _s(snapshot.sha256),
                    "row_count": _n(snapshot.row_count),
                    "schema_version": _s(snapshot.schema_version),
                    "manifest_uri": _s(version.manifest_uri),
                },
                ConditionExpression="attribute_not_exists(pk) OR as_of <= :as_of",
                ExpressionAttributeValues={":as_of": _s(version.as_of)},
                ReturnValues="ALL_OLD",
            ).get("Attributes")
        except self._db.exceptions.ConditionalCheckFailedException:
            return "stale"
        if old is not None and old["version"]["S"] == version.version:
            return "already"
        return "made"

    # --- runs and pending rows -----------------------------------------------------------------

    def run(self, dataset: str, mode: Mode, run_id: str) -> RunRecord | None:
        item = self._get(f"run#{dataset}#{mode}", run_id)
        if item is None:
            return None
        return RunRecord(
            dataset=dataset,
            mode=mode,
            run_id=run_id,
            status=item["status"]["S"],
            as_of=item["as_of"]["S"],
            total_rows=int(item["total_rows"]["N"]),
            rejected_rows=int(item["rejected_rows"]["N"]),
            reevaluable_rows=int(item["reevaluable_rows"]["N"]),
            version=_optional(item, "version"),
            quarantine_uri=_optional(item, "quarantine_uri"),
            rule=_optional(item, "rule"),
            cause=item["cause"]["S"],
        )

    def record_run(self, run: RunRecord) -> None:
        item = {
            "pk": _s(f"run#{run.dataset}#{run.mode}"),
            "sk": _s(run.run_id),
            "status": _s(run.status),
            "as_of": _s(run.as_of),
            "total_rows": _n(run.total_rows),
            "rejected_rows": _n(run.rejected_rows),
            "reevaluable_rows": _n(run.reevaluable_rows),
            "cause": _s(run.cause),
        }
        for name, value in (
            ("version", run.version),
            ("quarantine_uri", run.quarantine_uri),
            ("rule", run.rule),
        ):
            if value is not None:
                item[name] = _s(value)
        self._db.put_item(TableName=self._table, Item=item)

    def record_pending(self, pending: PendingRows) -> None:
        item = {
            "pk": _s(f"pending#{pending.dataset}#{pending.mode}"),
            "sk": _s("latest"),
            "run_id": _s(pending.run_id),
            "rows": _n(pending.rows),
            "sources": {"L": [_s(s) for s in pending.sources]},
        }
        if pending.quarantine_uri is not None:
            item["quarantine_uri"] = _s(pending.quarantine_uri)
        self._db.put_item(TableName=self._table, Item=item)

    def pending(self, dataset: str, mode: Mode) -> PendingRows | None:
        item = self._get(f"pending#{dataset}#{mode}", "latest")
        if item is None:
            return None
        return PendingRows(
            dataset=dataset,
            mode=mode,
            run_id=item["run_id"]["S"],
            rows=int(item["rows"]["N"]),
            quarantine_uri=_optional(item, "quarantine_uri"),
            sources=tuple(s["S"] for s in item["sources"]["L"]),
        )

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._db.get_item(
            TableName=self._table, Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True
        ).get("Item")
        return item


def _optional(item: dict[str, Any], name: str) -> str | None:
    return item[name]["S"] if name in item else None


def _current(item: dict[str, Any], dataset: str, mode: Mode) -> CurrentVersion:
    return CurrentVersion(
        dataset=dataset,
        mode=mode,
        version=item["version"]["S"],
        as_of=item["as_of"]["S"],
        run_id=item["run_id"]["S"],
        snapshot=ClaimCheck(
            uri=item["snapshot_uri"]["S"],
            sha256=item["snapshot_sha256"]["S"],
            row_count=int(item["row_count"]["N"]),
            schema_version=item["schema_version"]["S"],
        ),
        manifest_uri=item["manifest_uri"]["S"],
    )
