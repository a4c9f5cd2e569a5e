"""Small customs lines and entries frames for the comparison tests, in the `frames` contract."""

from __future__ import annotations

from typing import Any

import pandas as pd
from ior_compare.domain.engine import compare
from ior_compare.domain.frames import empty_entries, empty_lines
from ior_compare.domain.result import ComparisonResult
from ior_compare.domain.tolerances import DEFAULT_TOLERANCES, ToleranceConfig

ENTRY = "2704-20260316-SH000001"
LINE: dict[str, Any] = {
    "entry_id": ENTRY,
    "line": 1,
    "hts10": "8517.62.00.20",
    "origin": "CN",
    "part": "whole",
    "stack": "9903.88.03;8517.62.00.20",
    "rates": "0.25;0",
    "quantity": "No.=33",
    "value": 1000,
    "duty_cents": 25000,
    "net_kg": 50,
    "gross_kg": 55,
    "description": "Machines for the reception, conversion and transmission of data",
}
ENTRY_ROW: dict[str, Any] = {
    "entry_id": ENTRY,
    "value": 1000,
    "duty_cents": 25000,
    "mpf_cents": None,
    "hmf_cents": None,
    "formal": False,
    "flags": "informal",
}
TEXT = ("entry_id", "hts10", "origin", "part", "stack", "rates", "quantity", "description")


def line(**changes: Any) -> dict[str, Any]:
    return {**LINE, **changes}


def lines(*rows: dict[str, Any]) -> pd.DataFrame:
    """A lines frame: text columns `str`, numbers int64 (nullable Int64 when a value is None)."""
    if not rows:
        return empty_lines()
    frame = pd.DataFrame(list(rows))
    for name in frame.columns:
        if name in TEXT:
            frame[name] = frame[name].astype("str")
        elif frame[name].isna().any():
            frame[name] = frame[name].astype("Int64")
    return frame


def entries(*rows: dict[str, Any]) -> pd.DataFrame:
    if not rows:
        return empty_entries()
    frame = pd.DataFrame([{**ENTRY_ROW, **row} for row in rows])
    return frame.astype(
        {"entry_id": "str", "flags": "str", "mpf_cents": "Int64", "hmf_cents": "Int64", "formal": "boolean"}
    )


def entry(**changes: Any) -> dict[str, Any]:
    return {**ENTRY_ROW, **changes}


def compare_lines(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], config: ToleranceConfig = DEFAULT_TOLERANCES
) -> ComparisonResult:
    """Compare lines under identical entries, so only the lines decide."""
    ids = sorted({row["entry_id"] for row in [*expected, *actual]})
    same = entries(*(entry(entry_id=entry_id) for entry_id in ids))
    return compare(lines(*expected), lines(*actual), same, same, config=config)


def mismatched(result: ComparisonResult) -> list[tuple[str, str | None]]:
    """(field, delta) of every mismatch row, in report order."""
    frame = result.mismatches
    return [(f, None if pd.isna(d) else d) for f, d in zip(frame["field"], frame["delta"], strict=True)]
