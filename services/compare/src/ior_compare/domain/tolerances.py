"""The compared fields and their tolerances: a versioned configuration (DOMAIN §6).

The version is a hash of the content, so two comparisons under equal rules carry equal versions
and any change to a rule changes it. Every comparison result names the version it used."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Literal

from ior_compare.domain.frames import ENTRY_COLUMNS, LINE_COLUMNS, PARTS, Kind

Level = Literal["line", "entry"]


class Rule(StrEnum):
    """How a field's two values are judged equal."""

    EXACT = "exact"
    """Equal text (or booleans), character for character."""
    DECIMALS = "decimals"
    """`;`-joined decimal numbers, equal number by number: `0.10` equals `0.1`, order matters."""
    TEXT = "text"
    """Equal after case folding and removing all whitespace."""
    FLAG_SET = "flag_set"
    """`;`-joined flags, equal as sets: order and repeats do not matter."""
    NUMERIC = "numeric"
    """Integers, |actual − expected| ≤ max(absolute, relative × |expected|)."""


class Unit(StrEnum):
    """The unit a numeric field is stored in; money in cents is shown in dollars."""

    DOLLARS = "dollars"
    CENTS = "cents"
    KG = "kg"
    NONE = "none"


@dataclass(frozen=True)
class FieldTolerance:
    """One compared field: where it is read, how it is judged, and whether it fails a comparison."""

    name: str
    column: str
    level: Level
    rule: Rule
    critical: bool
    unit: Unit = Unit.NONE
    absolute: int = 0
    relative: Decimal = Decimal(0)
    parts: tuple[str, ...] = PARTS
    """Line parts the field is compared on; the others are not compared."""

    def __post_init__(self) -> None:
        columns = LINE_COLUMNS if self.level == "line" else ENTRY_COLUMNS
        kind = columns.get(self.column)
        if kind is None:
            raise ValueError(f"field {self.name!r}: no {self.level} column {self.column!r}")
        numeric = self.rule is Rule.NUMERIC
        if numeric != (kind is Kind.INTEGER):
            raise ValueError(
                f"field {self.name!r}: rule {self.rule} does not suit {kind} column {self.column!r}"
            )
        if kind is Kind.BOOLEAN and self.rule is not Rule.EXACT:
            raise ValueError(f"field {self.name!r}: a boolean column is compared exactly")
        if numeric and self.unit is Unit.NONE:
            raise ValueError(f"field {self.name!r}: a numeric field needs a unit")
        if self.absolute < 0 or self.relative < 0 or not self.relative.is_finite():
            raise ValueError(f"field {self.name!r}: tolerances are non-negative")
        if not numeric and (self.absolute or self.relative):
            raise ValueError(f"field {self.name!r}: only numeric fields have a tolerance")
        if not self.parts or not set(self.parts) <= set(PARTS):
            raise ValueError(f"field {self.name!r}: parts must be a non-empty subset of {PARTS}")
        if self.level == "entry" and self.parts != PARTS:
            raise ValueError(f"field {self.name!r}: entries have no parts")

    @property
    def relative_digits(self) -> int:
        """Decimal places of `relative`, so tolerances stay integer arithmetic (scaled by 10**digits)."""
        exponent = self.relative.normalize().as_tuple().exponent
        return max(0, -int(exponent))


@dataclass(frozen=True)
class ToleranceConfig:
    """The fields a comparison checks, line fields first, then entry fields."""

    fields: tuple[FieldTolerance, ...] = field(default_factory=lambda: DEFAULT_FIELDS)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"field names must be unique: {names}")

    @property
    def line_fields(self) -> tuple[FieldTolerance, ...]:
        return tuple(f for f in self.fields if f.level == "line")

    @property
    def entry_fields(self) -> tuple[FieldTolerance, ...]:
        return tuple(f for f in self.fields if f.level == "entry")

    def content(self) -> list[dict[str, object]]:
        """The configuration as JSON-able data (what the version hashes)."""
        return [
            {
                **asdict(f),
                "relative": str(f.relative.normalize()),  # 0.010 and 0.01 are one tolerance
                "parts": list(f.parts),
                "rule": str(f.rule),
                "unit": str(f.unit),
            }
            for f in self.fields
        ]

    @cached_property
    def version(self) -> str:
        """16 hex digits of the SHA-256 of the canonical JSON content."""
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


_KG_PARTS = ("whole", "non_metal")
_ONE_PERCENT = Decimal("0.01")

DEFAULT_FIELDS: tuple[FieldTolerance, ...] = (
    FieldTolerance("stack", "stack", "line", Rule.EXACT, critical=True),
    FieldTolerance("rates", "rates", "line", Rule.DECIMALS, critical=True),
    FieldTolerance("quantity", "quantity", "line", Rule.EXACT, critical=True),
    FieldTolerance("value", "value", "line", Rule.NUMERIC, critical=True, unit=Unit.DOLLARS, absolute=1),
    FieldTolerance("duty", "duty_cents", "line", Rule.NUMERIC, critical=True, unit=Unit.CENTS, absolute=100),
    FieldTolerance(
        "net_kg",
        "net_kg",
        "line",
        Rule.NUMERIC,
        critical=False,
        unit=Unit.KG,
        absolute=1,
        relative=_ONE_PERCENT,
        parts=_KG_PARTS,
    ),
    FieldTolerance(
        "gross_kg",
        "gross_kg",
        "line",
        Rule.NUMERIC,
        critical=False,
        unit=Unit.KG,
        absolute=1,
        relative=_ONE_PERCENT,
        parts=_KG_PARTS,
    ),
    FieldTolerance("description", "description", "line", Rule.TEXT, critical=False),
    FieldTolerance(
        "entry_value", "value", "entry", Rule.NUMERIC, critical=True, unit=Unit.DOLLARS, absolute=1
    ),
    FieldTolerance(
        "entry_duty", "duty_cents", "entry", Rule.NUMERIC, critical=True, unit=Unit.CENTS, absolute=100
    ),
    FieldTolerance("mpf", "mpf_cents", "entry", Rule.NUMERIC, critical=True, unit=Unit.CENTS, absolute=100),
    FieldTolerance("hmf", "hmf_cents", "entry", Rule.NUMERIC, critical=True, unit=Unit.CENTS, absolute=100),
    # Formality and flags follow from value and fees, which are critical themselves.
    FieldTolerance("formal", "formal", "entry", Rule.EXACT, critical=False),
    FieldTolerance("flags", "flags", "entry", Rule.FLAG_SET, critical=False),
)

DEFAULT_TOLERANCES = ToleranceConfig()
