"""The AsyncAPI 3 document of the bus (`contracts/asyncapi.json`), rendered from the contracts'
JSON Schemas and example events like the catalogue, for consumers' tools (code generators, AsyncAPI
Studio, documentation sites). One channel per detail-type; each message's payload is the committed
schema of the event's `detail`, with the example; the envelope, the claim-check convention and the
versioning rules are in `info.description` and on each message.

    python -m ior_contracts.asyncapi            # print it
    python -m ior_contracts.asyncapi --check    # exit 1 when the committed file is out of date
    python -m ior_contracts.asyncapi --write    # rewrite the committed file
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ior_contracts import examples
from ior_contracts.catalogue import Examples
from ior_contracts.envelope import Event
from ior_contracts.registry import contracts
from ior_contracts.rendered import command_line
from ior_contracts.schema_files import generate

ASYNCAPI_PATH = Path(__file__).resolve().parents[2] / "asyncapi.json"
ASYNCAPI_VERSION = "3.0.0"

_DESCRIPTION = """\
Every event ior-pipeline puts on its EventBridge bus (`ior-<stage>`), one channel per detail-type.
Generated from `contracts/` (`python -m ior_contracts.asyncapi --write`); the same contracts are
described for people in `contracts/CATALOGUE.md`, and subscribing from another AWS account is
described step by step in `docs/consumers.md`.

## The envelope
Each message is the `detail` of an EventBridge event (`source` = `ior.<service>`, `detail-type` =
the channel's address, `<domain>.<entity>.<verb>.v<major>`): `metadata` (event id, version, when,
producer, correlation and causation) and `data`, the contract's payload. Never rely on
EventBridge's `account`. Match on `source` and `detail-type`.

## Claim checks
Content (rows, reports) never travels in an event: a claim check (`uri`, `sha256`, `row_count`,
`schema_version`) names an immutable, content-addressed object under the producer's `published/`
prefix (reports: its audit prefix). Verify the object's SHA-256 before trusting a byte, and keep
what you need: the objects you are granted are read-only and named by the events.

## Delivery
At least once. A redelivered or replayed event keeps its `detail.metadata.event_id`: make handling
idempotent on it (EventBridge's own `id` changes on a replay).

## Versions and compatibility
Within a major version a contract only gains optional fields (a test fails the build otherwise);
ignore fields you do not know. Removing or renaming a field, making one required, or changing a
type, format, pattern, enumeration or bound is a new contract (`.v2`, its own channel). The
producer then emits both versions of each event through a deprecation window (the older version's
`event_id` derived from the newer's); the older message carries `x-deprecation` with its successor
and its last day (`sunset`), and its payload schema is `deprecated`. After the sunset only the new
version is emitted.
"""


def render(models: Mapping[str, type[Event]] | None = None, example: Examples = examples.load) -> str:
    """The whole document as JSON text, deterministic: same contracts and examples, same text."""
    return json.dumps(document(models, example), indent=2, ensure_ascii=False) + "\n"


def document(
    models: Mapping[str, type[Event]] | None = None, example: Examples = examples.load
) -> dict[str, Any]:
    models = dict(models if models is not None else contracts())
    schemas = {detail_type: _payload(model) for detail_type, model in models.items()}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for detail_type, model in models.items():
        channel = channel_id(detail_type)
        channels[channel] = {
            "address": detail_type,
            "title": detail_type,
            "description": f"Events of detail-type `{detail_type}` from source `{model.SOURCE}`.",
            "messages": {model.__name__: {"$ref": f"#/components/messages/{detail_type}"}},
        }
        operations[f"emit_{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "title": f"{model.SOURCE} emits {detail_type}",
            "messages": [{"$ref": f"#/channels/{channel}/messages/{model.__name__}"}],
        }
        messages[detail_type] = _message(model, example)
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:ior-pipeline:bus",
        "info": {
            "title": "ior-pipeline events",
            "version": _version(schemas),
            "description": _DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def channel_id(detail_type: str) -> str:
    """AsyncAPI 3 names channels and operations by `[A-Za-z0-9_-]+`; the address is the detail-type."""
    return re.sub(r"[^A-Za-z0-9_\-]", "_", detail_type)


def _message(model: type[Event], example_of: Examples) -> dict[str, Any]:
    description = " ".join(model.DESCRIPTION.split())
    message: dict[str, Any] = {
        "name": model.__name__,
        "title": model.DETAIL_TYPE,
        "summary": description.split(". ", 1)[0].rstrip(".") + ".",
        "description": description,
        "contentType": "application/json",
        "payload": {"$ref": f"#/components/schemas/{model.DETAIL_TYPE}"},
        "examples": [{"name": "example", "payload": example_of(model.DETAIL_TYPE)["detail"]}],
        "x-eventbridge": {"source": model.SOURCE, "detail-type": model.DETAIL_TYPE},
    }
    if model.DEPRECATION is not None:
        message["x-deprecation"] = {
            "successor": model.DEPRECATION.successor,
            "announced": model.DEPRECATION.announced.isoformat(),
            "sunset": model.DEPRECATION.sunset.isoformat(),
        }
    return message


def _payload(model: type[Event]) -> dict[str, Any]:
    """The contract's schema (as committed) as a component: references into its own `$defs` made
    absolute within this document; the dialect and id left to the committed file."""
    schema = generate(model)
    schema.pop("$schema", None)
    schema.pop("$id", None)
    if model.DEPRECATION is not None:
        schema["deprecated"] = True
    text = json.dumps(schema, sort_keys=True).replace(
        '"#/$defs/', f'"#/components/schemas/{model.DETAIL_TYPE}/$defs/'
    )
    payload: dict[str, Any] = json.loads(text)
    return payload


def _version(schemas: Mapping[str, Any]) -> str:
    """Changes whenever a schema does: a digest of them all."""
    text = json.dumps(schemas, sort_keys=True).encode()
    return f"1.0.0+{hashlib.sha256(text).hexdigest()[:12]}"


def main(argv: Sequence[str] | None = None) -> int:
    return command_line(
        argv,
        module="ior_contracts.asyncapi",
        description="The AsyncAPI document.",
        path=ASYNCAPI_PATH,
        render=render,
    )


if __name__ == "__main__":
    raise SystemExit(main())
