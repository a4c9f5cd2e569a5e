"""The fee table (DOMAIN §4 step 7): MPF and HMF rates with their effective dates, from the ETL's
fee-table dataset (a row per period holds both fees and the notice cited) or, in the golden cases,
one row per fee. Versioned: its version is part of a run's key. Each rate keeps the row it came
from (`source`), named in the lineage of every entry it charged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from ior_customs.domain.errors import CustomsDomainError

VESSEL_MODES = frozenset({"10", "11"})
"""CBP transport modes that pay HMF when no HMF row is in force to say otherwise."""


class FeeTableError(CustomsDomainError):
    """The fee table is malformed: an unknown fee, a missing field or two rows in force at once."""


def _day(value: object, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise FeeTableError(f"{what}: {value!r} is not a date")


def _covers(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class MpfRate:
    """Merchandise processing fee: `rate` of the entered value, clamped to [minimum, maximum]."""

    rate: Decimal
    minimum_cents: int
    maximum_cents: int
    effective_from: date
    effective_to: date | None
    source: str = ""
    """The fee-table row it comes from, as the lineage names it (`FY2026: CBP Dec. 25-10, …`)."""


@dataclass(frozen=True)
class HmfRate:
    """Harbor maintenance fee: `rate` of the entered value for the transport modes listed."""

    rate: Decimal
    modes: frozenset[str]
    effective_from: date
    effective_to: date | None
    source: str = ""


def _refuse_overlaps(fee: str, periods: list[tuple[date, date | None]]) -> None:
    """One fee has at most one row in force on any day."""
    for i, (start, end) in enumerate(periods):
        for other_start, other_end in periods[i + 1 :]:
            if start <= (other_end or date.max) and other_start <= (end or date.max):
                raise FeeTableError(f"two {fee} rows are in force on {max(start, other_start)}")


def _decimal(value: object, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise FeeTableError(f"{what}: {value!r} is not a decimal") from None


def _cents(value: object, what: str) -> int:
    amount = _decimal(value, what)
    if amount != amount.quantize(Decimal("0.01")):
        raise FeeTableError(f"{what}: {value!r} is not an amount in cents")
    return int(amount * 100)


@dataclass(frozen=True)
class FeeTable:
    """At most one MPF and one HMF row in force on any day; `version` names the configuration."""

    version: str
    mpf: tuple[MpfRate, ...]
    hmf: tuple[HmfRate, ...]

    def __post_init__(self) -> None:
        _refuse_overlaps("MPF", [(r.effective_from, r.effective_to) for r in self.mpf])
        _refuse_overlaps("HMF", [(r.effective_from, r.effective_to) for r in self.hmf])

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], version: str) -> FeeTable:
        """Rows like `{fee: MPF, rate, min, max, effective_from, effective_to}` and
        `{fee: HMF, rate, modes, effective_from, effective_to}`."""
        mpf: list[MpfRate] = []
        hmf: list[HmfRate] = []
        for row in rows:
            fee = row.get("fee")
            start = _day(row.get("effective_from"), f"{fee} effective_from")
            if start is None:
                raise FeeTableError(f"{fee} row without effective_from")
            end = _day(row.get("effective_to"), f"{fee} effective_to")
            rate = _decimal(row.get("rate"), f"{fee} rate")
            source = f"{fee} {start} to {end or 'open'}"
            if fee == "MPF":
                minimum, maximum = _cents(row.get("min"), "MPF min"), _cents(row.get("max"), "MPF max")
                mpf.append(MpfRate(rate, minimum, maximum, start, end, source))
            elif fee == "HMF":
                modes = frozenset(str(m) for m in row.get("modes") or ())
                hmf.append(HmfRate(rate, modes, start, end, source))
            else:
                raise FeeTableError(f"unknown fee {fee!r}")
        return cls(version, tuple(mpf), tuple(hmf))

    @classmethod
    def from_dataset(cls, frame: pd.DataFrame, version: str) -> FeeTable:
        """A fee-table snapshot read as text (`ior_contracts.datasets.FEE_TABLE`): each row is the MPF
        and the HMF (vessel modes) of its period, both named after the row's fiscal year and notice."""
        mpf: list[MpfRate] = []
        hmf: list[HmfRate] = []
        for row in frame.to_dict("records"):
            start = _day(row["effective_from"], "effective_from")
            if start is None:
                raise FeeTableError("a fee-table row without effective_from")
            end = _day(row["effective_to"], "effective_to")
            source = f"FY{row['fiscal_year']} ({start} to {end}): {row['citation']}"
            mpf.append(
                MpfRate(
                    _decimal(row["mpf_rate"], "mpf_rate"),
                    _cents(row["mpf_minimum"], "mpf_minimum"),
                    _cents(row["mpf_maximum"], "mpf_maximum"),
                    start,
                    end,
                    source,
                )
            )
            hmf.append(HmfRate(_decimal(row["hmf_rate"], "hmf_rate"), VESSEL_MODES, start, end, source))
        return cls(version, tuple(mpf), tuple(hmf))

    def in_force(self, day: date) -> tuple[MpfRate | None, HmfRate | None]:
        """The rates that apply on `day`: what changes a run of that day when the table changes."""
        return self.mpf_on(day), self.hmf_on(day)

    def mpf_on(self, day: date) -> MpfRate | None:
        return next((r for r in self.mpf if _covers(r.effective_from, r.effective_to, day)), None)

    def hmf_on(self, day: date) -> HmfRate | None:
        return next((r for r in self.hmf if _covers(r.effective_from, r.effective_to, day)), None)
