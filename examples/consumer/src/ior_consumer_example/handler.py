"""One event, handled as a consumer of ior-pipeline should: its `detail` checked against the
published JSON Schema of its detail-type, each claim-check object fetched and checked by its
SHA-256, and its effect (here, a record of what was read) had once per `detail.metadata.event_id`,
so a redelivery or a replay changes nothing.

Nothing here imports the pipeline's code: the schemas are the published files, the events plain
JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

# What makes an object in `data` a claim check (contracts/CATALOGUE.md, "ClaimCheck").
CLAIM_CHECK_FIELDS = frozenset({"uri", "sha256", "row_count", "schema_version"})


class ConsumerError(Exception):
    """An event this consumer cannot take; the message goes back to the queue (then its DLQ)."""


class InvalidEventError(ConsumerError):
    """The event is not what its detail-type's published schema says."""


class UnknownDetailTypeError(ConsumerError):
    """No published schema has this detail-type (subscribe only to what the catalogue lists)."""


class ChecksumMismatchError(ConsumerError):
    """A claim-check object's bytes are not the ones the event announced."""


@dataclass(frozen=True)
class ReadObject:
    uri: str
    size: int
    # The SHA-256 the event announced and the bytes matched; None for a report, which events name
    # without a checksum (it is immutable under the producer's Object Lock).
    sha256: str | None


@dataclass(frozen=True)
class Handled:
    event_id: str
    detail_type: str
    duplicate: bool
    objects: tuple[ReadObject, ...] = ()


class SeenEvents(Protocol):
    """Where the consumer records each event it has had its effect for, keyed by `event_id`."""

    def seen(self, event_id: str) -> bool: ...

    def record(self, event_id: str, detail_type: str, objects: tuple[ReadObject, ...]) -> bool:
        """Record the event; False when it was already recorded (a concurrent delivery won)."""
        ...


class DynamoSeenEvents:
    """The consumer's own DynamoDB table, `pk` = the event id, written once by a conditional put."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        self._dynamodb = dynamodb
        self._table = table

    def seen(self, event_id: str) -> bool:
        found = self._dynamodb.get_item(
            TableName=self._table, Key={"pk": {"S": event_id}}, ConsistentRead=True
        )
        return "Item" in found

    def record(self, event_id: str, detail_type: str, objects: tuple[ReadObject, ...]) -> bool:
        item = {
            "pk": {"S": event_id},
            "detail_type": {"S": detail_type},
            "objects": {"S": json.dumps([o.__dict__ for o in objects], sort_keys=True)},
        }
        try:
            self._dynamodb.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True


class Schemas:
    """The published JSON Schemas (one file per detail-type, `<detail-type>.json`) in a folder: a
    copy of `contracts/src/ior_contracts/schemas/`, or downloaded from the stage's schema registry."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    @cache  # noqa: B019 - one Schemas per process, a few dozen schemas
    def validator(self, detail_type: str) -> Draft202012Validator:
        path = self._folder / f"{detail_type}.json"
        if not path.is_file():
            raise UnknownDetailTypeError(f"no published schema for {detail_type!r} in {self._folder}")
        return Draft202012Validator(
            json.loads(path.read_text(encoding="utf-8")), format_checker=FormatChecker()
        )


class Handler:
    """Handles the events the consumer's queue receives (EventBridge events, one per message body)."""

    def __init__(self, s3: Any, seen: SeenEvents, schemas: Schemas) -> None:
        self._s3 = s3
        self._seen = seen
        self._schemas = schemas

    def handle(self, event: dict[str, Any]) -> Handled:
        detail_type, detail = self._valid(event)
        event_id = str(detail["metadata"]["event_id"])
        if self._seen.seen(event_id):
            return Handled(event_id, detail_type, duplicate=True)
        objects = tuple(self._read(uri, sha256) for uri, sha256 in objects_named(detail["data"]))
        first = self._seen.record(event_id, detail_type, objects)
        return Handled(event_id, detail_type, duplicate=not first, objects=objects)

    def _valid(self, event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        detail_type, detail = event.get("detail-type"), event.get("detail")
        if not isinstance(detail_type, str) or not isinstance(detail, dict):
            raise InvalidEventError("not an EventBridge event: no detail-type or detail")
        validator = self._schemas.validator(detail_type)
        try:
            validator.validate(detail)
        except ValidationError as invalid:
            where = "/".join(str(p) for p in invalid.absolute_path) or "detail"
            raise InvalidEventError(f"{detail_type} at {where}: {invalid.message}") from invalid
        return detail_type, detail

    def _read(self, uri: str, sha256: str | None) -> ReadObject:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        body: bytes = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if sha256 is not None and hashlib.sha256(body).hexdigest() != sha256:
            raise ChecksumMismatchError(f"{uri}: its bytes are not the ones announced ({sha256})")
        return ReadObject(uri, len(body), sha256)


def objects_named(data: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """The objects an event's payload names for this consumer to read: every claim check (with its
    SHA-256); for an event that carries none, its JSON report (`report_uri`), if any."""
    claims = list(_claim_checks(data))
    if claims:
        yield from ((claim["uri"], claim["sha256"]) for claim in claims)
    elif isinstance(data.get("report_uri"), str):
        yield data["report_uri"], None


def _claim_checks(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.keys() >= CLAIM_CHECK_FIELDS:
            yield node
            return
        for value in node.values():
            yield from _claim_checks(value)
    elif isinstance(node, list):
        for item in node:
            yield from _claim_checks(item)
