"""What a comparison found: outcome frames, counts, the fields that disagree most, pass or fail.

Frames (column order fixed; rows in a deterministic order):

`lines`, one row per expected or actual line, ordered by (entry_id, hts10, origin, part, stack) —
part in reporting order whole, non_metal, metal — then by appearance:
entry_id, hts10, origin, part, stack (category; the expected line's stack when paired),
expected_line, actual_line (Int64, null on the side without the line), outcome (category, one of
`OUTCOMES`), mismatched_fields (str, `;`-joined in configuration order, empty when none),
critical (bool: a critical field is out of tolerance).

`mismatches`, one row per field out of tolerance, in `lines` order then `entries` order, fields in
configuration order: level (`line`|`entry`), entry_id, hts10, origin, part, stack (category; null
at entry level), expected_line, actual_line (Int64), field, expected, actual (str: the values as
given, money in cents shown in dollars, null where null), delta (str: actual − expected as exact
decimal text in the field's unit; null for text fields or when a side is null), tolerance (str:
the tolerance applied, e.g. `±1.00`, or the rule for text fields), critical (bool).

`entries`, one row per expected or actual entry, ordered by entry_id then by appearance: entry_id
(category), outcome, mismatched_fields, critical (as for lines), then lines_match, lines_mismatch,
lines_missing, lines_extra, lines_duplicate (int64: how the entry's lines came out).

Key columns are categorical because their codes already exist: a million-row frame costs no
string copies. The JSON report writes them as text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pandas as pd

from ior_compare.domain.tolerances import ToleranceConfig

Outcome = Literal["match", "mismatch", "missing", "extra", "duplicate"]
OUTCOMES: tuple[Outcome, ...] = ("match", "mismatch", "missing", "extra", "duplicate")


@dataclass(frozen=True)
class OutcomeCounts:
    """How many lines (or entries) had each outcome; a duplicate counts once per side's row."""

    match: int = 0
    mismatch: int = 0
    missing: int = 0
    extra: int = 0
    duplicate: int = 0

    @property
    def unpaired(self) -> int:
        """Missing, extra and duplicated items: any of them fails a comparison."""
        return self.missing + self.extra + self.duplicate

    def as_dict(self) -> dict[str, int]:
        return {outcome: getattr(self, outcome) for outcome in OUTCOMES}


@dataclass(frozen=True)
class ComparisonCounts:
    lines: OutcomeCounts
    entries: OutcomeCounts

    def as_dict(self) -> dict[str, dict[str, int]]:
        """In the shape of the contracts' `ComparisonCounts`."""
        return {"lines": self.lines.as_dict(), "entries": self.entries.as_dict()}


@dataclass(frozen=True)
class FieldSummary:
    """One field out of tolerance somewhere, and how badly."""

    field: str
    critical: bool
    mismatches: int
    max_abs_delta: Decimal | None
    """In the field's unit (money in dollars); None for non-numeric fields or only null deltas."""

    def as_dict(self) -> dict[str, object]:
        """In the shape of the contracts' `FieldMismatches` (the delta as decimal text)."""
        delta = None if self.max_abs_delta is None else str(self.max_abs_delta)
        return {
            "field": self.field,
            "critical": self.critical,
            "mismatches": self.mismatches,
            "max_abs_delta": delta,
        }


@dataclass(frozen=True, eq=False)
class ComparisonResult:
    """Expected (manual) against actual (automated) lines and entries of one arrival date."""

    config: ToleranceConfig
    lines: pd.DataFrame
    mismatches: pd.DataFrame
    entries: pd.DataFrame
    counts: ComparisonCounts
    worst_fields: tuple[FieldSummary, ...]
    """Fields out of tolerance: critical first, then by number of mismatches, then config order."""
    passed: bool
    """No critical field out of tolerance, and no line or entry missing, extra or duplicated."""

    @property
    def config_version(self) -> str:
        return self.config.version

    def failure_reasons(self) -> tuple[str, ...]:
        """Why the comparison failed, for people; empty when it passed."""
        reasons = [
            f"{count} {kind} {outcome}"
            for kind, counts in (("lines", self.counts.lines), ("entries", self.counts.entries))
            for outcome, count in counts.as_dict().items()
            if outcome in ("missing", "extra", "duplicate") and count
        ]
        reasons += [
            f"critical field {summary.field} out of tolerance {summary.mismatches} time(s)"
            for summary in self.worst_fields
            if summary.critical
        ]
        return tuple(reasons)
