"""The ingestion table: one run per source and window (a conditional write decides which trigger
wins), each source's watermark, and the newest official HTS release landed."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from ior_ingestion.adapters.table import ConditionFailedError, Item, Table
from ior_ingestion.domain.releases import Release, release_named
from ior_ingestion.ports import Claim


def _run_key(source: str, window: str) -> Item:
    return {"pk": {"S": f"run#{source}"}, "sk": {"S": window}}


def _watermark_key(source: str) -> Item:
    return {"pk": {"S": f"watermark#{source}"}, "sk": {"S": "current"}}


def _release_key(source: str) -> Item:
    return {"pk": {"S": f"release#{source}"}, "sk": {"S": "landed"}}


class RunLedger:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._table = Table(dynamodb, table)

    def claim(self, source: str, window: str, run_id: str, *, now: int, lease_s: int) -> Claim:
        """Take the window for `run_id` unless another run is extracting it right now (and within
        its lease): of concurrent triggers one wins; a later request runs again."""
        try:
            self._table.put_if(
                {
                    **_run_key(source, window),
                    "run_id": {"S": run_id},
                    "status": {"S": "running"},
                    "started_at": {"N": str(now)},
                    "lease_until": {"N": str(now + lease_s)},
                },
                "attribute_not_exists(pk) OR #s <> :running OR lease_until < :now",
                names={"#s": "status"},
                values={":running": {"S": "running"}, ":now": {"N": str(now)}},
            )
        except ConditionFailedError as exc:
            old = exc.item
            return Claim(False, old.get("run_id", {}).get("S", ""), old.get("status", {}).get("S", ""))
        return Claim(True, run_id, "running")

    def finish(self, source: str, window: str, run_id: str, status: str, details: dict[str, str]) -> None:
        sets = ", ".join(["#s = :s", *(f"#{k} = :{k}" for k in details)])
        self._table.update(
            _run_key(source, window),
            f"SET {sets}",
            condition="run_id = :run",
            names={"#s": "status", **{f"#{k}": k for k in details}},
            values={
                ":s": {"S": status},
                ":run": {"S": run_id},
                **{f":{k}": {"S": v} for k, v in details.items()},
            },
        )

    def watermark(self, source: str) -> date | None:
        item = self._table.get(_watermark_key(source))
        return date.fromisoformat(item["watermark"]["S"]) if item else None

    def advance_watermark(self, source: str, to: date) -> None:
        """Move forward only: a replay of an older window never moves it back."""
        with contextlib.suppress(ConditionFailedError):
            self._table.update(
                _watermark_key(source),
                "SET watermark = :d",
                condition="attribute_not_exists(watermark) OR watermark < :d",
                values={":d": {"S": to.isoformat()}},
            )

    def landed_release(self, source: str) -> Release | None:
        item = self._table.get(_release_key(source))
        if item is None:
            return None
        return release_named(item["release"]["S"], date.fromisoformat(item["available_from"]["S"]))

    def record_release(self, source: str, release: Release) -> None:
        """The release last landed (a re-landed older one, say a pinned one, is recorded too: it is
        what the datasets now hold)."""
        self._table.put(
            {
                **_release_key(source),
                "release": {"S": release.name},
                "available_from": {"S": release.available_from.isoformat()},
            }
        )
