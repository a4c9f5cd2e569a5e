"""DOMAIN §4 step 7: entry totals, formal or informal, MPF and HMF from the fee table in force, and
the fee-table row each fee charged (the entry's lineage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ior_customs.domain.fees import VESSEL_MODES, FeeTable
from ior_customs.domain.money import divide_half_up, group_sum, multiply, to_int64

FORMAL_ABOVE_DOLLARS = 2500
INFORMAL, FEE_RATE_MISSING = "informal", "fee_rate_missing"


@dataclass(frozen=True)
class EntryTotals:
    value_dollars: npt.NDArray[np.int64]
    duty_cents: npt.NDArray[np.int64]
    formal: npt.NDArray[np.bool_]
    mpf_cents: list[int | None]
    hmf_cents: list[int | None]
    flags: list[tuple[str, ...]]
    line_count: npt.NDArray[np.int64]
    mpf_row: list[str | None]
    hmf_row: list[str | None]
    """Per entry, the fee-table row behind its MPF and its HMF; None where the fee was not charged."""


def _fee_cents(dollars: npt.NDArray[np.int64], rate: Decimal) -> npt.NDArray[np.int64]:
    numerator, denominator = rate.as_integer_ratio()
    return to_int64(divide_half_up(multiply(multiply(dollars, 100), numerator), denominator))


def total_entries(
    line_entry: npt.NDArray[np.int64],
    line_dollars: npt.NDArray[np.int64],
    line_duty: npt.NDArray[np.int64],
    modes: list[str],
    day: date,
    fees: FeeTable,
) -> EntryTotals:
    n = len(modes)
    value = to_int64(group_sum(line_dollars, line_entry, n))
    duty = to_int64(group_sum(line_duty, line_entry, n))
    formal = value > FORMAL_ABOVE_DOLLARS
    mpf_rate, hmf_rate = fees.mpf_on(day), fees.hmf_on(day)
    mpf = (
        np.clip(_fee_cents(value, mpf_rate.rate), mpf_rate.minimum_cents, mpf_rate.maximum_cents)
        if mpf_rate
        else np.zeros(n, dtype=np.int64)
    )
    hmf = _fee_cents(value, hmf_rate.rate) if hmf_rate else np.zeros(n, dtype=np.int64)
    mpf_cents: list[int | None] = []
    hmf_cents: list[int | None] = []
    flags: list[tuple[str, ...]] = []
    mpf_row: list[str | None] = []
    hmf_row: list[str | None] = []
    for e in range(n):
        missing = bool(formal[e]) and mpf_rate is None
        mpf_cents.append(int(mpf[e]) if formal[e] and mpf_rate else None)
        mpf_row.append(mpf_rate.source if formal[e] and mpf_rate else None)
        hmf_row.append(hmf_rate.source if hmf_rate is not None and modes[e] in hmf_rate.modes else None)
        if hmf_rate is not None:
            hmf_cents.append(int(hmf[e]) if modes[e] in hmf_rate.modes else 0)
        elif modes[e] in VESSEL_MODES:
            hmf_cents.append(None)
            missing = True
        else:
            hmf_cents.append(0)
        flags.append(((INFORMAL,) if not formal[e] else ()) + ((FEE_RATE_MISSING,) if missing else ()))
    return EntryTotals(
        value,
        duty,
        formal,
        mpf_cents,
        hmf_cents,
        flags,
        np.bincount(line_entry, minlength=n),
        mpf_row,
        hmf_row,
    )
