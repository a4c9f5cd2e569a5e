"""The compare table's batched reads and writes: what DynamoDB leaves unprocessed is asked for
again, a bounded number of rounds, and the answer is by key."""

from __future__ import annotations

from typing import Any

import pytest
from ior_compare.adapters import table as table_module
from ior_compare.adapters.table import BATCH_ROUNDS, Table, UnprocessedError


def _key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": "s"}}


class Throttled:
    """A DynamoDB client that processes one key or item of a batch per request."""

    def __init__(self, stored: set[str], *, stuck: bool = False) -> None:
        self.stored = stored
        self.stuck = stuck
        self.requests: list[int] = []
        self.written: list[str] = []

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        keys = RequestItems["t"]["Keys"]
        assert RequestItems["t"]["ConsistentRead"] is True
        self.requests.append(len(keys))
        first, rest = (None, keys) if self.stuck else (keys[0], keys[1:])
        found = [first | {"n": {"N": "1"}}] if first and first["pk"]["S"] in self.stored else []
        left = {"t": {"Keys": rest, "ConsistentRead": True}} if rest else {}
        return {"Responses": {"t": found}, "UnprocessedKeys": left}

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        puts = RequestItems["t"]
        self.requests.append(len(puts))
        self.written.append(puts[0]["PutRequest"]["Item"]["pk"]["S"])
        return {"UnprocessedItems": {"t": puts[1:]} if puts[1:] else {}}


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_module, "FIRST_PAUSE_S", 0.0)


def test_keys_left_unprocessed_are_asked_for_again_and_found_items_come_back_by_key() -> None:
    client = Throttled({"a", "c"})
    found = Table(client, "t").get_many([("a", "s"), ("b", "s"), ("c", "s")])
    assert client.requests == [3, 2, 1]
    assert found == {("a", "s"): {"pk": "a", "sk": "s", "n": 1}, ("c", "s"): {"pk": "c", "sk": "s", "n": 1}}


def test_keys_left_unprocessed_round_after_round_are_an_error_not_an_absence() -> None:
    client = Throttled({"a"}, stuck=True)
    with pytest.raises(UnprocessedError, match="unprocessed after"):
        Table(client, "t").get_many([("a", "s")])
    assert len(client.requests) == BATCH_ROUNDS


def test_items_left_unwritten_are_written_again() -> None:
    client = Throttled(set())
    Table(client, "t").put_many([{"pk": pk, "sk": "s"} for pk in "xyz"])
    assert (client.requests, client.written) == ([3, 2, 1], ["x", "y", "z"])


def test_a_batch_beyond_dynamodb_s_limit_is_refused_before_it_is_sent() -> None:
    client = Throttled(set())
    with pytest.raises(ValueError, match="at most 100"):
        Table(client, "t").get_many([(str(n), "s") for n in range(101)])
    with pytest.raises(ValueError, match="at most 25"):
        Table(client, "t").put_many([{"pk": str(n), "sk": "s"} for n in range(26)])
    assert client.requests == []
