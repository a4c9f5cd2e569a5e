"""The event catalogue for consumers (`contracts/CATALOGUE.md`), rendered from the contracts' JSON
Schemas and example events, so it cannot drift from what producers send.

    python -m ior_contracts.catalogue            # print it
    python -m ior_contracts.catalogue --check    # exit 1 when the committed file is out of date
    python -m ior_contracts.catalogue --write    # rewrite the committed file
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ior_contracts import examples
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event, Metadata
from ior_contracts.registry import FAMILIES, contracts
from ior_contracts.rendered import command_line
from ior_contracts.schema_files import generate

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "CATALOGUE.md"

# Types documented once, in the envelope section, and linked from every field that uses them.
SHARED_MODELS: tuple[type[BaseModel], ...] = (Metadata, ClaimCheck)
SHARED = tuple(model.__name__ for model in SHARED_MODELS)

_HEADER = """\
# Event catalogue

Every event ior-pipeline puts on its EventBridge bus (`ior-<stage>`), for the services that consume
them and for downstream subscribers. Generated from the models in `contracts/src/ior_contracts` by
`python -m ior_contracts.catalogue --write`; do not edit by hand. The JSON Schema of each event's
`detail` is committed under `contracts/src/ior_contracts/schemas/`, a whole example event under
`contracts/src/ior_contracts/examples/`. The same events for tools: `contracts/asyncapi.json`
(AsyncAPI 3). Subscribing from another AWS account: `docs/consumers.md`.
"""

_ENVELOPE = """\
## The envelope

An event as delivered by EventBridge (to an SQS queue, one event per message body):

| field | type | description |
|---|---|---|
| `version` | string | EventBridge's own envelope version, `"0"`. |
| `id` | string | EventBridge's id of this delivery; use `detail.metadata.event_id` for idempotency. |
| `detail-type` | string | `<domain>.<entity>.<verb>.v<major>`, e.g. `etl.dataset.published.v1`. |
| `source` | string | `ior.<service>`: the one service allowed to emit the contract. |
| `time` | date-time | When the bus received it, to the second. |
| `region` | string | The AWS region of the bus. |
| `resources` | list of string | Always empty. |
| `detail` | object | `metadata` and `data`, below. |

EventBridge also sets `account`; no contract requires it and the local runtime omits it, so never
read it. Match on `source` and `detail-type` (and, where useful, on `detail.data` fields).

`detail`:

| field | type | required | description |
|---|---|---|---|
| `metadata` | [Metadata](#metadata) | yes | Who said what, when, and in answer to which event. |
| `data` | object | yes | The payload of the contract named by `detail-type`, below. |
"""

# Examples of a contract by detail-type: the committed ones, unless a caller brings its own.
Examples = Callable[[str], dict[str, Any]]

_RULES = """\
### Rules every consumer can rely on

- **Versions.** Within a major version a contract only gains optional fields; removing or renaming
  a field, making one required, or changing a type, format, pattern, enumeration or bound is a new
  contract (`.v2`). The producer then emits both versions of each event (the older one's
  `event_id` derived from the newer's) through a deprecation window the older one's entry
  announces, with its last day; after it, only the new version. Ignore fields you do not know.
- **Claim checks.** Content (rows, reports) never travels in an event: a [ClaimCheck](#claimcheck)
  names an immutable object under the producer's `published/` prefix. Verify its SHA-256 before use
  and keep what you need in your own table.
- **Delivery is at least once.** A redelivered or replayed event has the same `event_id`;
  outputs are keyed by their inputs, so handling it again must change nothing.
- **Money** is integer cents (`*_cents`); other decimal amounts and rates are decimal strings.
  Dates are ISO `YYYY-MM-DD`; times are RFC 3339 with an offset.
"""


def render(models: Mapping[str, type[Event]] | None = None, example: Examples = examples.load) -> str:
    """The whole catalogue, deterministic: same contracts and examples, same text. `models` and
    `example` default to the registry's contracts and the committed examples."""
    models = dict(models if models is not None else contracts())
    parts = [_HEADER, _contents(models), _ENVELOPE, _shared_types(), _RULES]
    for family in FAMILIES:
        members = [m for m in models.values() if m.DETAIL_TYPE.split(".", 1)[0] == family]
        if not members:
            continue
        parts.append(f"## {family}\n")
        parts.extend(_contract(model, example) for model in members)
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


def _contents(models: dict[str, type[Event]]) -> str:
    lines = ["## Contents", "", "- [The envelope](#the-envelope)"]
    for family in FAMILIES:
        members = [m for m in models.values() if m.DETAIL_TYPE.split(".", 1)[0] == family]
        if members:
            lines.append(f"- [{family}](#{_anchor(family)})")
        for model in members:
            lines.append(
                f"  - [`{model.DETAIL_TYPE}`](#{_anchor(model.DETAIL_TYPE)}) from `{model.SOURCE}`"
                f" ({model.__name__})"
            )
    return "\n".join(lines) + "\n"


def _shared_types() -> str:
    blocks = []
    for model in SHARED_MODELS:
        schema = model.model_json_schema(mode="validation")
        text = f"### {model.__name__}\n\n{_one_line(model.__doc__ or '')}\n\n"
        blocks.append(text + _table(_rows(schema, schema, prefix="")))
    return "\n".join(blocks)


def _contract(model: type[Event], example_of: Examples) -> str:
    schema = generate(model)
    data = _resolve(schema["properties"]["data"], schema)
    example = example_of(model.DETAIL_TYPE)
    return "\n".join(
        [
            f"### `{model.DETAIL_TYPE}`",
            "",
            f"- source: `{model.SOURCE}`",
            f"- model: `{model.__module__}.{model.__name__}`",
            f"- schema: `schemas/{model.DETAIL_TYPE}.json`",
            *_deprecation(model),
            "",
            _one_line(model.DESCRIPTION),
            "",
            "`data`:",
            "",
            _table(_rows(data, schema, prefix="")).rstrip("\n"),
            "",
            "Example `detail`:",
            "",
            "```json",
            json.dumps(example["detail"], indent=2, ensure_ascii=False),
            "```",
            "",
        ]
    )


def _deprecation(model: type[Event]) -> list[str]:
    deprecation = model.DEPRECATION
    if deprecation is None:
        return []
    return [
        f"- **deprecated** since {deprecation.announced.isoformat()}: replaced by "
        f"[`{deprecation.successor}`](#{_anchor(deprecation.successor)}), emitted beside it through "
        f"{deprecation.sunset.isoformat()}, then no more"
    ]


# --- field tables -------------------------------------------------------------------------------


def _rows(node: dict[str, Any], root: dict[str, Any], prefix: str) -> Iterator[tuple[str, str, str, str]]:
    """(name, type, required, description) for each property, nested objects flattened as `a.b`
    and `a[].b`, shared types linked instead."""
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        resolved = _resolve(prop, root)
        default = f" (default `{_json(resolved['default'])}`)" if "default" in resolved else ""
        yield (
            f"`{prefix}{name}`",
            _type(prop, root),
            "yes" if name in required else "no" + default,
            _one_line(resolved.get("description", "")),
        )
        for nested, suffix in _nested_objects(prop, root):
            yield from _rows(nested, root, prefix=f"{prefix}{name}{suffix}.")


def _nested_objects(node: dict[str, Any], root: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """The non-shared object types inside a property (itself, an alternative, or its items)."""
    if _shared_name(node) is not None:
        return
    resolved = _resolve(node, root)
    if "properties" in resolved:
        yield resolved, ""
    for alternative in resolved.get("anyOf", ()):
        yield from _nested_objects(alternative, root)
    if isinstance(resolved.get("items"), dict):
        for nested, suffix in _nested_objects(resolved["items"], root):
            yield nested, "[]" + suffix


def _type(node: dict[str, Any], root: dict[str, Any]) -> str:
    shared = _shared_name(node)
    if shared is not None:
        return f"[{shared}](#{_anchor(shared)})"
    resolved = _resolve(node, root)
    if "anyOf" in resolved:
        return " or ".join(_type(alternative, root) for alternative in resolved["anyOf"])
    if "const" in resolved:
        return f"`{_json(resolved['const'])}`"
    if "enum" in resolved:
        return "one of " + ", ".join(f"`{_json(v)}`" for v in resolved["enum"])
    kind = resolved.get("type")
    if kind == "string":
        return _string_type(resolved)
    if kind in ("integer", "number"):
        return f"{kind}{_bounds(resolved)}"
    if kind == "array":
        item = _type(resolved["items"], root) if isinstance(resolved.get("items"), dict) else "any"
        return f"list of {item}" + _length(resolved, "minItems", "maxItems", "items")
    values = resolved.get("additionalProperties")
    if kind == "object" and "properties" not in resolved and isinstance(values, dict):
        keys = resolved.get("propertyNames", {})
        key = _type(keys, root) if keys else "string"
        return f"map of ({key}) to ({_type(values, root)})"
    return str(kind) if kind else "any"


def _string_type(node: dict[str, Any]) -> str:
    text = {"date": "date", "date-time": "date-time with offset"}.get(node.get("format", ""), "string")
    if "pattern" in node:
        text += f" matching `{node['pattern']}`"
    return text + _length(node, "minLength", "maxLength", "characters")


def _bounds(node: dict[str, Any]) -> str:
    parts = []
    if "minimum" in node:
        parts.append(f"≥ {node['minimum']}")
    if "exclusiveMinimum" in node:
        parts.append(f"> {node['exclusiveMinimum']}")
    if "maximum" in node:
        parts.append(f"≤ {node['maximum']}")
    if "exclusiveMaximum" in node:
        parts.append(f"< {node['exclusiveMaximum']}")
    return (" " + ", ".join(parts)) if parts else ""


def _length(node: dict[str, Any], low: str, high: str, unit: str) -> str:
    if node.get(low) == 1 and high not in node:
        return " (non-empty)"
    if low in node and high in node:
        return f" ({node[low]} to {node[high]} {unit})"
    if low in node:
        return f" (at least {node[low]} {unit})"
    if high in node:
        return f" (at most {node[high]} {unit})"
    return ""


def _table(rows: Iterator[tuple[str, str, str, str]]) -> str:
    lines = ["| field | type | required | description |", "|---|---|---|---|"]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


# --- helpers ------------------------------------------------------------------------------------


def _shared_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
    return name if name in SHARED else None


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    return command_line(
        argv,
        module="ior_contracts.catalogue",
        description="The event catalogue.",
        path=CATALOGUE_PATH,
        render=render,
    )


if __name__ == "__main__":
    raise SystemExit(main())
