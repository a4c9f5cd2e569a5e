"""The cutover gate in the compare table, and each date's official run.

- `gate` / `state`: the current state and the number of changes applied (`seq`), the guard that
  settles concurrent requests.
- `gate` / `change#<seq>`: every change, in the order applied.
- `gate` / `request#<request_id>`: how a request was answered (applied or refused), so a
  re-delivery answers nothing new.
- `gate` / `last-refusal`: the latest refusal, for `ior cutover status`.
- `date#<D>` / `designation`: the official run last announced for the date."""

from __future__ import annotations

from datetime import date
from typing import Any

from ior_compare.adapters.table import Table
from ior_compare.domain.cutover import GateState, StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.domain.records import GateRequest, Refusal
from ior_compare.domain.stamps import moment, stamp
from ior_compare.ports import StoredDesignation

GATE = "gate"


class GateStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    # --- changes --------------------------------------------------------------------------------

    def changes(self) -> list[StateChange]:
        """Every change, in the order applied."""
        found = self._table.query(
            "pk = :pk AND begins_with(sk, :change)", {":pk": GATE, ":change": "change#"}
        )
        return [_change(item) for item in found]

    def apply(self, change: StateChange, seq: int, event_id: str) -> bool:
        """Record `change` as the `seq`-th, with its request's answer, in one transaction. False when
        another change got in first or the request was answered meanwhile: re-read and decide again."""
        change_item = {"pk": GATE, "sk": f"change#{seq:06d}", "seq": seq, "event_id": event_id}
        request_item = {"pk": GATE, "sk": f"request#{change.request_id}", "outcome": "applied"}
        state_item = {"pk": GATE, "sk": "state", "seq": seq, "state": change.after.state}
        first_time = "attribute_not_exists(pk)"
        return self._table.put_all(
            [
                self._table.conditional_put({**change_item, **change.record_data()}, first_time),
                self._table.conditional_put(
                    {**request_item, "change_id": change.change_id, "seq": seq, "done": False}, first_time
                ),
                self._table.conditional_put(
                    {
                        **state_item,
                        "change_id": change.change_id,
                        "effective_date": change.effective_date.isoformat(),
                    },
                    "attribute_not_exists(pk) OR seq = :previous",
                    {":previous": seq - 1},
                ),
            ]
        )

    def request(self, request_id: str) -> GateRequest | None:
        item = self._table.get(GATE, f"request#{request_id}")
        if item is None:
            return None
        refusal = _refusal(item["refusal"]) if "refusal" in item else None
        return GateRequest(
            request_id, item["outcome"], item.get("change_id"), refusal, done=item.get("done", True)
        )

    def finish(self, request_id: str) -> None:
        """The applied change was announced and its dates designated."""
        self._table.update(GATE, f"request#{request_id}", "SET done = :done", values={":done": True})

    # --- refusals -------------------------------------------------------------------------------

    def refuse(self, refusal: Refusal) -> bool:
        """Record a refusal as the request's answer; False when the request was answered before."""
        data = refusal.audit_data()
        answered = {"pk": GATE, "sk": f"request#{refusal.request_id}", "outcome": "refused", "refusal": data}
        if not self._table.put_new({**answered, "done": True}):
            return False
        # Unless a later refusal is already the last one.
        self._table.put(
            {"pk": GATE, "sk": "last-refusal", **data, "at": stamp(refusal.at)},
            condition="attribute_not_exists(pk) OR #at <= :at",
            names={"#at": "at"},
            values={":at": stamp(refusal.at)},
        )
        return True

    def last_refusal(self) -> Refusal | None:
        item = self._table.get(GATE, "last-refusal")
        return _refusal(item) if item else None

    # --- designations ---------------------------------------------------------------------------

    def designation(self, business_date: date) -> StoredDesignation | None:
        item = self._table.get(f"date#{business_date.isoformat()}", "designation")
        if item is None:
            return None
        official = OfficialRun(
            business_date=business_date,
            state=item["state"],
            official_mode=item["official_mode"],
            run_id=item.get("run_id"),
            incomplete=item["incomplete"],
            reason=item["reason"],
        )
        return StoredDesignation(official, item["cause"], item["version"])

    def put_designation(self, official: OfficialRun, *, cause: str, version: int) -> bool:
        """Record `official` as version `version` of the date's designation; False when another
        writer recorded that version first."""
        return self._table.put(
            {
                "pk": f"date#{official.business_date.isoformat()}",
                "sk": "designation",
                "business_date": official.business_date.isoformat(),
                "state": official.state,
                "official_mode": official.official_mode,
                "run_id": official.run_id,
                "incomplete": official.incomplete,
                "reason": official.reason,
                "cause": cause,
                "version": version,
            },
            condition="attribute_not_exists(pk) OR version = :previous",
            values={":previous": version - 1},
        )


def _change(item: dict[str, Any]) -> StateChange:
    return StateChange(
        change_id=item["change_id"],
        request_id=item["request_id"],
        action=item["action"],
        before=GateState(item["before_state"], _date(item.get("before_effective_date"))),
        after=GateState(item["after_state"], _date(item.get("after_effective_date"))),
        streak=item["streak"],
        required_streak=item["required_streak"],
        forced=item["forced"],
        reason=item["reason"],
        actor=item["actor"],
        at=moment(item["at"]),
    )


def _refusal(data: dict[str, Any]) -> Refusal:
    return Refusal(
        request_id=data["request_id"],
        action=data["action"],
        effective_date=date.fromisoformat(data["effective_date"]),
        reason=data["reason"],
        force=data["force"],
        requested_by=data["requested_by"],
        refused_because=data["refused_because"],
        error=data["error"],
        streak=data["streak"],
        required_streak=data["required_streak"],
        state=data["state"],
        at=moment(data["at"]),
        event_id=data["event_id"],
    )


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
