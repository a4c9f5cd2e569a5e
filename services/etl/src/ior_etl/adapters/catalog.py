"""The ETL table (`pk`/`sk` strings):

| pk | sk | holds |
|---|---|---|
| `extract#<SOURCE>` | `<landed_at>#<sha256>` | one landed extract: claim check, window, run, HTS revision |
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

from ior_etl.adapters.table import ConditionFailedError, Item, Table, number, optional_text, text
from ior_etl.ports import CurrentVersion, LandedExtract, PendingRows, Pointer, RunRecord


class Catalog:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._table = Table(dynamodb, table)

    # --- extracts ------------------------------------------------------------------------------

    def record_extract(self, extract: LandedExtract) -> None:
        claim = extract.claim
        self._table.put(
            {
                "pk": text(f"extract#{extract.source}"),
                "sk": text(f"{extract.landed_at}#{claim.sha256}"),
                "uri": text(claim.uri),
                "sha256": text(claim.sha256),
                "row_count": number(claim.row_count),
                "schema_version": text(claim.schema_version),
                "window_from": text(extract.window_from.isoformat()),
                "window_to": text(extract.window_to.isoformat()),
                "landed_at": text(extract.landed_at),
                "run_id": text(extract.run_id),
                **({"revision": text(extract.revision)} if extract.revision else {}),
            }
        )

    def extracts(self, source: str) -> list[LandedExtract]:
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
                revision=optional_text(i, "revision"),
            )
            for i in self._table.query(f"extract#{source}")
        ]

    # --- the current version -------------------------------------------------------------------

    def current(self, dataset: str, mode: Mode) -> CurrentVersion | None:
        item = self._table.get(f"current#{dataset}#{mode}", "current")
        return None if item is None else _current(item, dataset, mode)

    def make_current(self, version: CurrentVersion) -> Pointer:
        snapshot = version.snapshot
        item = {
            "pk": text(f"current#{version.dataset}#{version.mode}"),
            "sk": text("current"),
            "version": text(version.version),
            "as_of": text(version.as_of),
            "run_id": text(version.run_id),
            "snapshot_uri": text(snapshot.uri),
            "snapshot_sha256": text(snapshot.sha256),
            "row_count": number(snapshot.row_count),
            "schema_version": text(snapshot.schema_version),
            "manifest_uri": text(version.manifest_uri),
        }
        try:
            old = self._table.put_if(
                item, "attribute_not_exists(pk) OR as_of <= :as_of", {":as_of": text(version.as_of)}
            )
        except ConditionFailedError:
            return "stale"
        if old is not None and old["version"]["S"] == version.version:
            return "already"
        return "made"

    # --- runs and pending rows -----------------------------------------------------------------

    def run(self, dataset: str, mode: Mode, run_id: str) -> RunRecord | None:
        item = self._table.get(f"run#{dataset}#{mode}", run_id)
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
            version=optional_text(item, "version"),
            quarantine_uri=optional_text(item, "quarantine_uri"),
            rule=optional_text(item, "rule"),
            cause=item["cause"]["S"],
        )

    def record_run(self, run: RunRecord) -> None:
        item = {
            "pk": text(f"run#{run.dataset}#{run.mode}"),
            "sk": text(run.run_id),
            "status": text(run.status),
            "as_of": text(run.as_of),
            "total_rows": number(run.total_rows),
            "rejected_rows": number(run.rejected_rows),
            "reevaluable_rows": number(run.reevaluable_rows),
            "cause": text(run.cause),
        }
        for name, value in (
            ("version", run.version),
            ("quarantine_uri", run.quarantine_uri),
            ("rule", run.rule),
        ):
            if value is not None:
                item[name] = text(value)
        self._table.put(item)

    def record_pending(self, pending: PendingRows) -> None:
        item = {
            "pk": text(f"pending#{pending.dataset}#{pending.mode}"),
            "sk": text("latest"),
            "run_id": text(pending.run_id),
            "rows": number(pending.rows),
            "sources": {"L": [text(s) for s in pending.sources]},
        }
        if pending.quarantine_uri is not None:
            item["quarantine_uri"] = text(pending.quarantine_uri)
        self._table.put(item)

    def pending(self, dataset: str, mode: Mode) -> PendingRows | None:
        item = self._table.get(f"pending#{dataset}#{mode}", "latest")
        if item is None:
            return None
        return PendingRows(
            dataset=dataset,
            mode=mode,
            run_id=item["run_id"]["S"],
            rows=int(item["rows"]["N"]),
            quarantine_uri=optional_text(item, "quarantine_uri"),
            sources=tuple(s["S"] for s in item["sources"]["L"]),
        )


def _current(item: Item, dataset: str, mode: Mode) -> CurrentVersion:
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
