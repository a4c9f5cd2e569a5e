"""Each contract as EventBridge's schema registry takes it: JSON Schema draft 4 (the registry
accepts `OpenApi3` and `JSONSchemaDraft4`, not 2020-12) describing the whole event as delivered,
so the registry's code bindings give consumers a typed event with its typed `detail`.

Made from the committed schema (`schemas/<detail-type>.json`): `$defs` become `definitions`, the
references follow, `$id` becomes draft 4's `id`, `const` a one-value `enum`, a numeric exclusive
bound draft 4's boolean form. A map's `propertyNames` (its keys' pattern) has no draft-4 word and
is left out, so the registry's schema is as strict as the committed one but for map keys; the
committed schema stays the authority. A keyword draft 4 cannot approach is refused."""

from __future__ import annotations

from typing import Any

from ior_contracts.registry import model_for
from ior_contracts.schema_files import load_committed

DRAFT_4 = "http://json-schema.org/draft-04/schema#"
# Keywords draft 4 lacks and that no rewording approaches.
_NOT_IN_DRAFT_4 = frozenset({"contains", "if", "then", "else", "prefixItems", "dependentSchemas"})
# EventBridge's own envelope around `detail` (docs: "Amazon EventBridge events").
_ENVELOPE_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources")


class NotDraft4Error(ValueError):
    """A committed schema uses a keyword JSON Schema draft 4 cannot express."""


def registry_name(detail_type: str) -> str:
    """`<source>@<detail-type>`, as EventBridge names the schemas it discovers (`aws.ec2@…`)."""
    return f"{model_for(detail_type).SOURCE}@{detail_type}"


def event_schema(detail_type: str) -> dict[str, Any]:
    """The draft-4 schema of the whole event (EventBridge's envelope, `detail` the contract's)."""
    model = model_for(detail_type)
    detail = convert(load_committed(detail_type))
    definitions = detail.pop("definitions", {})
    detail.pop("$schema", None)
    # A draft-4 `id` inside would make `Detail` its own document, where `#/definitions/…` is not.
    detail.pop("id", None)
    properties: dict[str, Any] = {name: {"type": "string"} for name in _ENVELOPE_FIELDS}
    properties["time"] = {"type": "string", "format": "date-time"}
    properties["resources"] = {"type": "array", "items": {"type": "string"}}
    properties["detail-type"] = {"type": "string", "enum": [detail_type]}
    properties["source"] = {"type": "string", "enum": [model.SOURCE]}
    properties["detail"] = {"$ref": "#/definitions/Detail"}
    return {
        "$schema": DRAFT_4,
        "title": detail_type,
        "description": detail.get("description", ""),
        "type": "object",
        "required": ["detail-type", "source", "detail"],
        "properties": properties,
        "definitions": {**definitions, "Detail": detail},
    }


def convert(schema: Any) -> Any:
    """A 2020-12 schema (as committed) in draft 4's words."""
    if isinstance(schema, list):
        return [convert(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = _NOT_IN_DRAFT_4 & schema.keys()
    if found:
        raise NotDraft4Error(f"draft 4 cannot express {sorted(found)}")
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$defs":
            converted["definitions"] = {name: convert(sub) for name, sub in value.items()}
        elif key == "$id":
            converted["id"] = value
        elif key == "$schema":
            converted["$schema"] = DRAFT_4
        elif key == "$ref" and isinstance(value, str):
            converted["$ref"] = value.replace("#/$defs/", "#/definitions/")
        elif key == "const":
            converted["enum"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            converted["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            converted[key] = True
        elif key == "propertyNames":
            continue
        elif key == "properties" and isinstance(value, dict):
            converted[key] = {name: convert(sub) for name, sub in value.items()}
        else:
            converted[key] = convert(value)
    return converted
