"""What the rehearsal keeps of each resource the program declared: its type, logical name, inputs
and the outputs the cloud (or the record) gave it, and whether moto holds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Declared:
    typ: str
    name: str
    inputs: dict[str, Any]
    state: dict[str, Any]
    # Created in the local cloud; otherwise only recorded (the report lists it with its inputs).
    held: bool
    depends_on: tuple[str, ...] = ()


@dataclass
class Declarations:
    resources: list[Declared] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def of(self, typ: str) -> list[Declared]:
        return [r for r in self.resources if r.typ == typ]

    def by_state(self, typ: str, key: str, value: Any) -> Declared:
        found = [r for r in self.of(typ) if r.state.get(key) == value]
        if len(found) != 1:
            raise LookupError(f"{typ} with {key}={value!r}: {len(found)} declared")
        return found[0]
