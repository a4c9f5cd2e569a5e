"""The committed JSON Schema of every contract, and the rule that keeps a major version compatible.

Each contract's schema describes its EventBridge `detail` (metadata + data) and is committed under
`schemas/<detail-type>.json`, so consumers in any language can validate against it and so that a
change to a model shows up in review. Within a major version a contract may only gain optional
fields; anything else is a new contract (`.v2`) with its own file, published side by side.

    python -m ior_contracts.schema_files           # check: exit 1 when a schema is missing or stale
    python -m ior_contracts.schema_files --write   # write missing schemas, rewrite compatible ones
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from ior_contracts.envelope import SCHEMA_ID_BASE, Event, envelope_type
from ior_contracts.registry import contracts

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS_DIR = Path(__file__).with_name("schemas")

# Keywords that document and do not constrain: rewording them never breaks a consumer.
ANNOTATIONS = frozenset({"title", "description", "examples", "$comment"})
# Keywords whose values are subschemas (compared recursively) or that are compared in their own way.
_SUBSCHEMA = {"items": "[]", "additionalProperties": ".*", "propertyNames": " (keys)", "not": " (not)"}
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_HANDLED = frozenset({"$ref", "$defs", "properties", "required", *_SUBSCHEMA, *_SUBSCHEMA_LISTS})


class SchemaNotCommittedError(LookupError):
    """No schema file is committed for this detail-type."""


def schema_id(detail_type: str) -> str:
    return f"{SCHEMA_ID_BASE}schemas/{detail_type}.json"


def generate(model: type[Event]) -> dict[str, Any]:
    """The JSON Schema of `model`'s EventBridge detail: `Envelope[model]`, identified by its detail-type."""
    schema = envelope_type(model).model_json_schema(mode="validation")
    schema.pop("title", None)
    return {
        "$schema": DIALECT,
        "$id": schema_id(model.DETAIL_TYPE),
        "title": model.DETAIL_TYPE,
        "description": " ".join(model.DESCRIPTION.split()),
        **schema,
    }


def dumps(schema: dict[str, Any]) -> str:
    """The committed text of a schema: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_text(detail_type: str) -> str | None:
    resource = files("ior_contracts").joinpath("schemas", f"{detail_type}.json")
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def load_committed(detail_type: str) -> dict[str, Any]:
    text = committed_text(detail_type)
    if text is None:
        raise SchemaNotCommittedError(
            f"no schema committed for {detail_type}; run `python -m ior_contracts.schema_files --write`"
        )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def committed_detail_types() -> list[str]:
    folder = files("ior_contracts").joinpath("schemas")
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


# --- compatibility -----------------------------------------------------------------------------


def compatibility_problems(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why `new` cannot replace `old` within a major version; empty when it can.

    For every property of `old`, its definition with `$ref`s resolved must be the same in `new`
    (annotations aside); every object's required set must be the same; `new` may add properties
    only if they are optional. Each problem names the JSON path of the field it concerns."""
    comparison = _Comparison(old, new)
    comparison.compare(old, new, "$", None)
    return comparison.problems


class _Comparison:
    def __init__(self, old_root: dict[str, Any], new_root: dict[str, Any]) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.problems: list[str] = []
        self._open_refs: set[tuple[str, str]] = set()

    def compare(self, old: Any, new: Any, path: str, where: str | None) -> None:
        if not isinstance(old, dict) or not isinstance(new, dict):
            if old != new:
                self._problem(path, where, f"changed from {_show(old)} to {_show(new)}")
            return
        old_ref, new_ref = old.get("$ref"), new.get("$ref")
        pair = (str(old_ref), str(new_ref))
        if old_ref is not None or new_ref is not None:
            if pair in self._open_refs:  # a recursive definition, already being compared above
                return
            self._open_refs.add(pair)
        try:
            old_resolved = _resolve(old, self.old_root)
            new_resolved = _resolve(new, self.new_root)
        except KeyError as missing:
            self._problem(path, where, f"cannot resolve {missing.args[0]}")
            self._open_refs.discard(pair)
            return
        if old_ref is not None and path.count(".") >= 2:  # a type nested in the payload, e.g. ClaimCheck
            where = str(old_ref).removeprefix("#/")
        self._keywords(old_resolved, new_resolved, path, where)
        self._object(old_resolved, new_resolved, path, where)
        for keyword, suffix in _SUBSCHEMA.items():
            if keyword in old_resolved or keyword in new_resolved:
                if keyword not in new_resolved:
                    self._problem(path, where, f"{keyword} removed")
                elif keyword not in old_resolved:
                    self._problem(path, where, f"{keyword} added")
                else:
                    self.compare(old_resolved[keyword], new_resolved[keyword], path + suffix, where)
        for keyword in _SUBSCHEMA_LISTS:
            old_list, new_list = old_resolved.get(keyword), new_resolved.get(keyword)
            if old_list is None and new_list is None:
                continue
            if old_list is None or new_list is None or len(old_list) != len(new_list):
                self._problem(
                    path,
                    where,
                    f"{keyword} changed from {_count(old_list)} to {_count(new_list)} alternatives",
                )
                continue
            for old_item, new_item in zip(old_list, new_list, strict=True):
                self.compare(old_item, new_item, path, where)
        self._open_refs.discard(pair)

    def _keywords(self, old: dict[str, Any], new: dict[str, Any], path: str, where: str | None) -> None:
        for keyword in sorted((old.keys() | new.keys()) - ANNOTATIONS - _HANDLED):
            if keyword not in new:
                self._problem(path, where, f"{keyword} {_show(old[keyword])} removed")
            elif keyword not in old:
                self._problem(path, where, f"{keyword} {_show(new[keyword])} added")
            elif keyword == "enum" and old[keyword] != new[keyword]:
                self._enum(old[keyword], new[keyword], path, where)
            elif old[keyword] != new[keyword]:
                self._problem(
                    path, where, f"{keyword} changed from {_show(old[keyword])} to {_show(new[keyword])}"
                )

    def _enum(self, old: list[Any], new: list[Any], path: str, where: str | None) -> None:
        """An enum is a set: reordering its values changes nothing a reader sees."""
        removed = [v for v in old if v not in new]
        added = [v for v in new if v not in old]
        if removed:
            self._problem(path, where, f"enum narrowed: {_show(removed)} no longer allowed")
        if added:
            self._problem(path, where, f"enum widened with {_show(added)}, which v1 readers do not expect")

    def _object(self, old: dict[str, Any], new: dict[str, Any], path: str, where: str | None) -> None:
        old_props: dict[str, Any] = old.get("properties", {})
        new_props: dict[str, Any] = new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_prop in old_props.items():
            field_path = f"{path}.{name}"
            if name not in new_props:
                self._problem(field_path, where, "removed; a field of a published major version stays")
                continue
            if name in old_required and name not in new_required:
                self._problem(field_path, where, "no longer required; v1 readers rely on it")
            if name not in old_required and name in new_required:
                self._problem(field_path, where, "became required; v1 producers do not send it")
            self.compare(old_prop, new_props[name], field_path, where)
        for name in sorted(new_props.keys() - old_props.keys()):
            if name in new_required:
                self._problem(
                    f"{path}.{name}",
                    where,
                    "added as required; within a major only optional fields may be added",
                )
        for name in sorted((old_required ^ new_required) - old_props.keys() - new_props.keys()):
            self._problem(f"{path}.{name}", where, "required set changed")

    def _problem(self, path: str, where: str | None, message: str) -> None:
        self.problems.append(f"{path}: {message}" + (f" (in {where})" if where else ""))


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref` (and its target's, and so on) replaced by the target; siblings of a
    `$ref` (a field's own description, default) win over the target's."""
    seen: set[str] = set()
    while "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not isinstance(ref, str) or not ref.startswith("#/"):
            raise KeyError(f"$ref {ref!r}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise KeyError(f"$ref {ref!r}")
            target = target[part]
        if not isinstance(target, dict):
            raise KeyError(f"$ref {ref!r}")
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _count(items: list[Any] | None) -> int:
    return 0 if items is None else len(items)


# --- checking and writing the committed files -------------------------------------------------

_DESCRIPTION = "Check (or, with --write, write) the committed JSON Schema of every contract."

Status = Literal["ok", "missing", "stale", "incompatible", "orphan"]


@dataclass(frozen=True)
class SchemaStatus:
    detail_type: str
    status: Status
    problems: tuple[str, ...] = ()
    generated: dict[str, Any] | None = None


def statuses() -> Iterator[SchemaStatus]:
    """Each contract's committed schema against the generated one, then committed files without a model."""
    models = contracts()
    for detail_type, model in models.items():
        generated = generate(model)
        text = committed_text(detail_type)
        if text is None:
            yield SchemaStatus(detail_type, "missing", generated=generated)
        elif text == dumps(generated):
            yield SchemaStatus(detail_type, "ok", generated=generated)
        else:
            problems = compatibility_problems(json.loads(text), generated)
            status: Status = "incompatible" if problems else "stale"
            yield SchemaStatus(detail_type, status, tuple(problems), generated)
    for detail_type in committed_detail_types():
        if detail_type not in models:
            yield SchemaStatus(
                detail_type,
                "orphan",
                (f"{detail_type} has a committed schema but no model; contracts are not removed",),
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ior_contracts.schema_files", description=_DESCRIPTION)
    parser.add_argument(
        "--write", action="store_true", help="write missing schemas and rewrite compatible ones"
    )
    args = parser.parse_args(argv)
    failed = False
    for result in statuses():
        if result.status == "ok":
            continue
        if args.write and result.status in ("missing", "stale") and result.generated is not None:
            SCHEMAS_DIR.mkdir(exist_ok=True)
            (SCHEMAS_DIR / f"{result.detail_type}.json").write_text(dumps(result.generated), encoding="utf-8")
            print(f"wrote {result.detail_type} ({result.status})")
            continue
        failed = True
        print(f"{result.detail_type}: {result.status}", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        if result.status == "incompatible":
            print(
                "  a v1 may only gain optional fields: revert the change, or publish it as a new major "
                "version (a new model with detail-type .v2 and its own schema)",
                file=sys.stderr,
            )
        elif not args.write:
            print("  run `python -m ior_contracts.schema_files --write`", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
