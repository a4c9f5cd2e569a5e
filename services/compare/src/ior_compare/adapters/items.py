"""DynamoDB items from and to plain Python values: numbers are integers here (money in cents,
counts), so what the deserializer gives as Decimal comes back as int."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_TO = TypeSerializer()
_FROM = TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """An item in DynamoDB's typed JSON; None values are left out (absent, not null)."""
    return {name: _TO.serialize(_dynamo(value)) for name, value in values.items() if value is not None}


def to_value(value: Any) -> dict[str, Any]:
    return dict(_TO.serialize(_dynamo(value)))


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _plain(_FROM.deserialize(value)) for name, value in item.items()}


def stamp(moment: datetime) -> str:
    """A UTC time as fixed-width text, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("a stored time must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _dynamo(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_dynamo(v) for v in value]
    if isinstance(value, float):
        raise TypeError("floats are not stored; use integers or decimal text")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
