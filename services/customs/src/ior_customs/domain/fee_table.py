"""The customs fee table (DOMAIN §4 step 7): MPF and HMF with their effective dates, as project data.
Its version is a digest of these rows and part of every run's key, so a change to a rate makes a
replay produce new lines. A formal entry on a day no MPF row covers is flagged `fee_rate_missing`:
add the row of each new fiscal year (from 1 October) as CBP publishes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ior_contracts.versioning import config_version

from ior_customs.domain.fees import FeeTable

FEE_ROWS: tuple[Mapping[str, Any], ...] = (
    # FY2025 and FY2026 merchandise processing fee: 0.3464 % clamped to the year's minimum and maximum.
    {"fee": "MPF", "rate": "0.003464", "min": "32.71", "max": "634.62",
     "effective_from": "2024-10-01", "effective_to": "2025-09-30"},
    {"fee": "MPF", "rate": "0.003464", "min": "33.58", "max": "651.50",
     "effective_from": "2025-10-01", "effective_to": "2026-09-30"},
    # Harbor maintenance fee: 0.125 % for vessel modes, informal entries included.
    {"fee": "HMF", "rate": "0.00125", "modes": ["10", "11"],
     "effective_from": "1990-01-01", "effective_to": None},
)  # fmt: skip


def fee_table(rows: Sequence[Mapping[str, Any]] = FEE_ROWS) -> FeeTable:
    """The fee table of `rows`, versioned by their canonical JSON."""
    plain = [dict(row) for row in rows]
    return FeeTable.from_rows(plain, version=config_version(plain))


FEE_TABLE = fee_table()
