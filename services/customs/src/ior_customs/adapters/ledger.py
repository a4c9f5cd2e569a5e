"""Runs and each date's current run, in the customs table:
- `run#<mode>#<yyyy-mm-dd>` / `<run key>`: one run; a conditional write decides which trigger makes it;
- `date#<mode>` / `<yyyy-mm-dd>`: the date's current run, moved by compare-and-set so that of two
  runs finishing together the one with newer inputs stays current;
- `proposed#<mode>` / `<yyyy-mm-dd>`: the latest correction candidate proposed for a closed date."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_customs.adapters.table import ConditionFailedError, Table, attribute, plain
from ior_customs.ports import CurrentRun, ProposedCorrection, RunClaim, RunKey, StoredEvent, Trigger

RUNNING, PROPOSED = "running", "proposed"


def _events_text(events: Sequence[StoredEvent]) -> str:
    return json.dumps(
        [
            {"detail_type": e.detail_type, "event_id": e.event_id,
             "business_date": e.business_date.isoformat(), "data": e.data}
            for e in events
        ],
        sort_keys=True,
    )  # fmt: skip


def _events(text: str) -> tuple[StoredEvent, ...]:
    return tuple(
        StoredEvent(e["detail_type"], e["event_id"], date.fromisoformat(e["business_date"]), e["data"])
        for e in json.loads(text)
    )


class RunLedger:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._table = Table(dynamodb, table)

    @staticmethod
    def _run_key(key: RunKey) -> dict[str, Any]:
        return {"pk": {"S": f"run#{key.mode}#{key.business_date.isoformat()}"}, "sk": {"S": key.digest}}

    def claim(self, key: RunKey, trigger: Trigger, *, now: int, lease_s: int) -> RunClaim:
        """Take the run key. Of concurrent triggers one wins; a run whose holder died (its lease
        lapsed) may be taken over. A failed run stays failed: the same key fails the same way."""
        item = {
            **self._run_key(key),
            "run_id": {"S": key.run_id},
            "business_date": {"S": key.business_date.isoformat()},
            "mode": {"S": key.mode},
            "status": {"S": RUNNING},
            "started_at": {"N": str(now)},
            "lease_until": {"N": str(now + lease_s)},
            "trigger": attribute(trigger.as_dict()),
            "inputs": attribute(dict(key.inputs)),
            "code_version": {"S": key.code_version},
            "config_version": {"S": key.config_version},
        }
        try:
            self._table.put_if(
                item,
                "attribute_not_exists(pk) OR (#s = :running AND lease_until < :now)",
                names={"#s": "status"},
                values={":running": {"S": RUNNING}, ":now": {"N": str(now)}},
            )
        except ConditionFailedError as refused:
            old = refused.item
            return RunClaim(
                won=False,
                status=old.get("status", {}).get("S", ""),
                announced=old.get("announced", {}).get("BOOL", False),
                events=_events(old["events"]["S"]) if "events" in old else (),
            )
        return RunClaim(won=True, status=RUNNING)

    def finish(
        self, key: RunKey, status: str, details: Mapping[str, Any], events: Sequence[StoredEvent]
    ) -> None:
        """The run's outcome, and the events it announces (kept until `announced`)."""
        self._update(key, {**details, "status": status, "events": _events_text(events), "announced": False})

    def announced(self, key: RunKey) -> None:
        self._update(key, {"announced": True})

    def _update(self, key: RunKey, values: Mapping[str, Any]) -> None:
        self._table.update_existing(self._run_key(key), values)

    def run(self, mode: str, day: date, digest: str) -> dict[str, Any] | None:
        """A run's record as plain values (numbers as Decimal), or None."""
        item = self._table.get({"pk": {"S": f"run#{mode}#{day.isoformat()}"}, "sk": {"S": digest}})
        return None if item is None else plain(item)

    @staticmethod
    def _date_key(mode: str, day: date, kind: str = "date") -> dict[str, Any]:
        return {"pk": {"S": f"{kind}#{mode}"}, "sk": {"S": day.isoformat()}}

    def current(self, mode: str, day: date) -> CurrentRun | None:
        item = self._table.get(self._date_key(mode, day))
        if item is None:
            return None
        values = plain(item)
        return CurrentRun(
            run_id=values["run_id"],
            run_key=values["run_key"],
            inputs_at=values["inputs_at"],
            lines=_claim(values["lines"]),
            inputs=values["inputs"],
            code_version=values["code_version"],
            config_version=values["config_version"],
            previous_run=values.get("previous_run"),
        )

    def make_current(self, mode: str, day: date, run: CurrentRun, expected: str | None) -> bool:
        """Make `run` the date's current run if the current one is still `expected`."""
        values = {
            "run_id": run.run_id,
            "run_key": run.run_key,
            "inputs_at": run.inputs_at,
            "lines": run.lines.model_dump(),
            "inputs": dict(run.inputs),
            "code_version": run.code_version,
            "config_version": run.config_version,
            "previous_run": run.previous_run,
        }
        item = {**self._date_key(mode, day), **{k: attribute(v) for k, v in values.items()}}
        try:
            if expected is None:
                self._table.put_if(item, "attribute_not_exists(pk)")
            else:
                self._table.put_if(item, "run_id = :expected", values={":expected": {"S": expected}})
        except ConditionFailedError:
            return False
        return True

    def proposed(self, mode: str, day: date) -> ProposedCorrection | None:
        item = self._table.get(self._date_key(mode, day, PROPOSED))
        if item is None:
            return None
        values = plain(item)
        return ProposedCorrection(values["run_id"], _claim(values["lines"]))

    def record_proposed(self, mode: str, day: date, proposed: ProposedCorrection) -> None:
        values = {"run_id": proposed.run_id, "lines": proposed.lines.model_dump()}
        self._table.put(
            {**self._date_key(mode, day, PROPOSED), **{k: attribute(v) for k, v in values.items()}}
        )


def _claim(stored: Mapping[str, Any]) -> ClaimCheck:
    """A claim check as the table keeps it (its row count a Decimal)."""
    return ClaimCheck.model_validate({**stored, "row_count": int(stored["row_count"])})
