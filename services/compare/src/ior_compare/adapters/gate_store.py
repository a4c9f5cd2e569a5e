"""The cutover gate in the compare table, and each date's official run.

- `gate` / `state`: the current state and the number of changes applied (`seq`), the guard that
  settles concurrent requests.
- `gate` / `change#<seq>`: every change, in the order applied.
- `gate` / `request#<request_id>`: how a request was answered (applied or refused), so a
  re-delivery answers nothing new.
- `gate` / `last-refusal`: the latest refusal, for `ior cutover status`.
- `date#<D>` / `designation`: the official run last announced for the date."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from ior_compare.adapters.items import from_item, moment, stamp, to_item, to_value
from ior_compare.domain.cutover import GateState, StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.records import GateRequest, Refusal

GATE = "gate"


@dataclass(frozen=True)
class StoredDesignation:
    official: OfficialRun
    cause: str
    version: int


class GateStore:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    # --- changes --------------------------------------------------------------------------------

    def changes(self) -> list[StateChange]:
        """Every change, in the order applied."""
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :change)",
            ExpressionAttributeValues={":pk": to_value(GATE), ":change": to_value("change#")},
            ConsistentRead=True,
        )
        return [_change(from_item(item)) for page in pages for item in page.get("Items", [])]

    def apply(self, change: StateChange, seq: int, event_id: str) -> bool:
        """Record `change` as the `seq`-th, with its request's answer, in one transaction. False when
        another change got in first or the request was answered meanwhile: re-read and decide again."""
        change_item = {"pk": GATE, "sk": f"change#{seq:06d}", "seq": seq, "event_id": event_id}
        request_item = {"pk": GATE, "sk": f"request#{change.request_id}", "outcome": "applied"}
        state_item = {"pk": GATE, "sk": "state", "seq": seq, "state": change.after.state}
        first_time = "attribute_not_exists(pk)"
        puts: list[dict[str, Any]] = [
            self._put({**change_item, **_change_data(change)}, first_time),
            self._put({**request_item, "change_id": change.change_id, "seq": seq, "done": False}, first_time),
            self._put(
                {
                    **state_item,
                    "change_id": change.change_id,
                    "effective_date": change.effective_date.isoformat(),
                },
                "attribute_not_exists(pk) OR seq = :previous",
                {":previous": to_value(seq - 1)},
            ),
        ]
        try:
            self._db.transact_write_items(TransactItems=puts)
        except self._db.exceptions.TransactionCanceledException:
            return False
        return True

    def _put(
        self, values: dict[str, Any], condition: str, condition_values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": to_item(values),
            "ConditionExpression": condition,
        }
        if condition_values:
            put["ExpressionAttributeValues"] = condition_values
        return {"Put": put}

    def request(self, request_id: str) -> GateRequest | None:
        item = self._get(GATE, f"request#{request_id}")
        if item is None:
            return None
        refusal = _refusal(item["refusal"]) if "refusal" in item else None
        return GateRequest(
            request_id, item["outcome"], item.get("change_id"), refusal, done=item.get("done", True)
        )

    def finish(self, request_id: str) -> None:
        """The applied change was announced and its dates designated."""
        self._db.update_item(
            TableName=self._table,
            Key=to_item({"pk": GATE, "sk": f"request#{request_id}"}),
            UpdateExpression="SET done = :done",
            ExpressionAttributeValues={":done": to_value(True)},
        )

    # --- refusals -------------------------------------------------------------------------------

    def refuse(self, refusal: Refusal) -> bool:
        """Record a refusal as the request's answer; False when the request was answered before."""
        data = refusal.audit_data()
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item({"pk": GATE, "sk": f"request#{refusal.request_id}", "outcome": "refused",
                              "refusal": data, "done": True}),
                ConditionExpression="attribute_not_exists(pk)",
            )  # fmt: skip
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        # Unless a later refusal is already the last one.
        with suppress(self._db.exceptions.ConditionalCheckFailedException):
            self._db.put_item(
                TableName=self._table,
                Item=to_item({"pk": GATE, "sk": "last-refusal", **data, "at": stamp(refusal.at)}),
                ConditionExpression="attribute_not_exists(pk) OR #at <= :at",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={":at": to_value(stamp(refusal.at))},
            )
        return True

    def last_refusal(self) -> Refusal | None:
        item = self._get(GATE, "last-refusal")
        return _refusal(item) if item else None

    # --- designations ---------------------------------------------------------------------------

    def designation(self, business_date: date) -> StoredDesignation | None:
        item = self._get(f"date#{business_date.isoformat()}", "designation")
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
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(
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
                    }
                ),
                ConditionExpression="attribute_not_exists(pk) OR version = :previous",
                ExpressionAttributeValues={":previous": to_value(version - 1)},
            )
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = self._db.get_item(
            TableName=self._table, Key=to_item({"pk": pk, "sk": sk}), ConsistentRead=True
        ).get("Item")
        return from_item(item) if item else None


def _change_data(change: StateChange) -> dict[str, Any]:
    return {
        "change_id": change.change_id,
        "request_id": change.request_id,
        "action": change.action,
        "before_state": change.before.state,
        "before_effective_date": _iso(change.before.effective_date),
        "after_state": change.after.state,
        "after_effective_date": _iso(change.after.effective_date),
        "streak": change.streak,
        "required_streak": change.required_streak,
        "forced": change.forced,
        "reason": change.reason,
        "actor": change.actor,
        "at": stamp(change.at),
    }


def change_audit(change: StateChange, seq: int) -> dict[str, Any]:
    """The change as its audit object holds it: only what is stored, so a retry writes equal bytes."""
    return {**_change_data(change), "seq": seq}


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


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
