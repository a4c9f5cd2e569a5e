"""Checking a payload against its contract before anything is put on the bus, with every problem
named by field: pydantic's errors, plus fields the contract does not have (readers ignore those, so
a typo would otherwise pass unnoticed)."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from ior_contracts.envelope import Event
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidPayloadError(ValueError):
    def __init__(self, detail_type: str, problems: list[FieldProblem]) -> None:
        self.detail_type = detail_type
        self.problems = problems
        super().__init__(f"{detail_type}: " + "; ".join(str(p) for p in problems))


def check(model: type[Event], data: Any) -> Event:
    problems: list[FieldProblem] = []
    if not isinstance(data, dict):
        raise InvalidPayloadError(model.DETAIL_TYPE, [FieldProblem("data", "must be a JSON object")])
    problems.extend(unknown_fields(model, data, "data"))
    try:
        event = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(["data", *(str(p) for p in error["loc"])])
            problems.append(FieldProblem(where, error["msg"]))
        raise InvalidPayloadError(model.DETAIL_TYPE, problems) from None
    if problems:
        raise InvalidPayloadError(model.DETAIL_TYPE, problems)
    return event


def unknown_fields(model: type[BaseModel], data: dict[str, Any], path: str) -> list[FieldProblem]:
    problems = []
    fields = model.model_fields
    aliases = {f.alias for f in fields.values() if f.alias}
    for key, value in data.items():
        if key not in fields and key not in aliases:
            problems.append(FieldProblem(f"{path}.{key}", "not a field of this contract"))
            continue
        nested = _model_of(fields[key].annotation) if key in fields else None
        if nested is not None and isinstance(value, dict):
            problems.extend(unknown_fields(nested, value, f"{path}.{key}"))
        elif nested is not None and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    problems.extend(unknown_fields(nested, item, f"{path}.{key}.{i}"))
    return problems


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model inside `M`, `M | None`, `list[M]`, `tuple[M, ...]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
