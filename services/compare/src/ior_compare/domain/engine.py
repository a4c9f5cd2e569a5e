"""The comparison engine: expected (manual) against actual (automated) lines and entries (DOMAIN §6).

One code path for a day of a few hundred lines and for millions: both sides are coded into shared
integer keys, paired by array indexing (`keys.pair`) and judged field by field with numpy
(`fields.check`). Python only loops over fields and over distinct values, never over rows.
The frames it returns are described in `result`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from ior_compare.domain.discrepancies import Found, describe, digits, discrepancy_frame, locate
from ior_compare.domain.fields import Check, Column, check, column, integers
from ior_compare.domain.frames import PARTS, require_keys, require_parts, validate_entries, validate_lines
from ior_compare.domain.keys import combine, pair, text_codes
from ior_compare.domain.outcomes import (
    OUTCOME_DTYPE,
    PART_DTYPE,
    categorical,
    field_names,
    key_dtype,
    line_numbers,
    outcome_rows,
)
from ior_compare.domain.result import (
    OUTCOMES,
    ComparisonCounts,
    ComparisonResult,
    FieldSummary,
    OutcomeCounts,
)
from ior_compare.domain.tolerances import DEFAULT_TOLERANCES, FieldTolerance, Rule, ToleranceConfig


def compare(
    expected_lines: pd.DataFrame,
    actual_lines: pd.DataFrame,
    expected_entries: pd.DataFrame,
    actual_entries: pd.DataFrame,
    *,
    config: ToleranceConfig = DEFAULT_TOLERANCES,
) -> ComparisonResult:
    """Compare one arrival date's manual (expected) and automated (actual) customs lines and entries.

    Frames follow `frames` (checked here; `FrameContractError` names a bad column). Either side may
    be empty: every item of the other side is then missing or extra."""
    frames = (expected_lines, actual_lines, expected_entries, actual_entries)
    lines_e, lines_a = (validate_lines(frame, values=False) for frame in frames[:2])
    entries_e, entries_a = (validate_entries(frame, values=False) for frame in frames[2:])
    # One code space for entry ids, so line outcomes can be counted per entry.
    entry_codes, entry_ids = text_codes(
        lines_e["entry_id"], lines_a["entry_id"], entries_e["entry_id"], entries_a["entry_id"]
    )
    require_keys("lines and entries", "entry_id", entry_codes)
    entry_dtype = key_dtype(entry_ids)
    n_lines = len(lines_e) + len(lines_a)
    lines = _compare_lines(lines_e, lines_a, entry_codes[:n_lines], entry_dtype, config.line_fields)
    entries = _compare_entries(
        entries_e, entries_a, entry_codes[n_lines:], entry_dtype, config.entry_fields, lines
    )
    counts = ComparisonCounts(lines=_counts(lines.outcome), entries=_counts(entries.outcome))
    worst = _worst_fields([*lines.checks, *entries.checks])
    passed = not counts.lines.unpaired and not counts.entries.unpaired and not any(s.critical for s in worst)
    return ComparisonResult(
        config=config,
        lines=lines.frame,
        mismatches=discrepancy_frame([lines.found, entries.found], lines.key_dtypes),
        entries=entries.frame,
        counts=counts,
        worst_fields=worst,
        passed=passed,
    )


@dataclass(frozen=True)
class _Level:
    """One level's (lines' or entries') outcomes, in output order."""

    frame: pd.DataFrame
    checks: list[Check]
    outcome: np.ndarray
    entry: np.ndarray
    """Entry code of each outcome row."""
    found: Found = field(repr=False)
    key_dtypes: dict[str, pd.CategoricalDtype] = field(default_factory=dict, repr=False)


def _compare_lines(
    lines_e: pd.DataFrame,
    lines_a: pd.DataFrame,
    entry: np.ndarray,
    entry_dtype: pd.CategoricalDtype,
    fields: Sequence[FieldTolerance],
) -> _Level:
    n_e = len(lines_e)
    hts, hts_values = text_codes(lines_e["hts10"], lines_a["hts10"])
    origin, origins = text_codes(lines_e["origin"], lines_a["origin"])
    part_codes, part_names = text_codes(lines_e["part"], lines_a["part"], sort=False)
    for name, codes in (("hts10", hts), ("origin", origin), ("part", part_codes)):
        require_keys("lines", name, codes)
    require_parts("lines", part_names)
    # Parts sort in reporting order (whole, non_metal, metal), not alphabetically.
    part = np.array([PARTS.index(name) for name in part_names], dtype=np.int64)[part_codes]
    stack, stacks = text_codes(lines_e["stack"], lines_a["stack"])
    key = combine([entry, hts, origin, part])
    pairing = pair(key, n_e, sub=stack)

    checks, described = [], []
    expected, actual = pairing.expected, pairing.actual + n_e
    for index, tolerance in enumerate(fields):
        if tolerance.column == "stack" and tolerance.rule is Rule.EXACT:
            prepared = Column(shown=stacks, codes=stack, values=None, null=stack < 0)
        else:
            prepared = column(lines_e[tolerance.column], lines_a[tolerance.column], tolerance)
        applies = None
        if tolerance.parts != PARTS:
            applies = np.isin(part[expected], [PARTS.index(name) for name in tolerance.parts])
        checks.append(check(prepared, expected, actual, tolerance, applies=applies))
        described.append(describe(index, checks[-1], prepared, expected, actual))

    # Output order: the match key, then the stack (its code follows text order), then appearance.
    width = len(stacks) + 1
    rows = outcome_rows(
        pairing, n_e, checks, order_key=lambda source: key[source] * width + stack[source] + 1
    )
    (numbers_e, null_e), (numbers_a, null_a) = integers(lines_e["line"]), integers(lines_a["line"])
    numbers, null = np.concatenate([numbers_e, numbers_a]), np.concatenate([null_e, null_a])
    source = rows.source
    key_dtypes = {
        "entry_id": entry_dtype,
        "hts10": key_dtype(hts_values),
        "origin": key_dtype(origins),
        "part": PART_DTYPE,
        "stack": key_dtype(stacks),
    }
    key_codes = {
        "entry_id": entry[source], "hts10": hts[source], "origin": origin[source], "part": part[source],
        "stack": stack[source],
    }  # fmt: skip
    numbered = {
        "expected_line": line_numbers(numbers, null, rows.expected_row),
        "actual_line": line_numbers(numbers, null, np.where(rows.actual_row >= 0, rows.actual_row + n_e, -1)),
    }
    frame = pd.DataFrame(
        copy=False,
        data={
            **{name: categorical(codes, key_dtypes[name]) for name, codes in key_codes.items()},
            **{name: pd.arrays.IntegerArray(values, nulls) for name, (values, nulls) in numbered.items()},
            "outcome": categorical(rows.outcome, OUTCOME_DTYPE),
            "mismatched_fields": field_names(rows.fields, fields),
            "critical": rows.critical,
        },
    )
    found = locate("line", described, rows.pair_position, key_codes, numbered)
    return _Level(frame, checks, rows.outcome, key_codes["entry_id"], found, key_dtypes)


def _compare_entries(
    entries_e: pd.DataFrame,
    entries_a: pd.DataFrame,
    entry: np.ndarray,
    entry_dtype: pd.CategoricalDtype,
    fields: Sequence[FieldTolerance],
    lines: _Level,
) -> _Level:
    n_e = len(entries_e)
    pairing = pair(entry, n_e)
    checks, described = [], []
    expected, actual = pairing.expected, pairing.actual + n_e
    for index, tolerance in enumerate(fields):
        prepared = column(entries_e[tolerance.column], entries_a[tolerance.column], tolerance)
        checks.append(check(prepared, expected, actual, tolerance))
        described.append(describe(index, checks[-1], prepared, expected, actual))
    rows = outcome_rows(pairing, n_e, checks, order_key=lambda source: entry[source])
    codes = entry[rows.source]
    # How each entry's lines came out, one column per outcome.
    n_ids = len(entry_dtype.categories)
    per_entry = np.bincount(
        lines.entry * len(OUTCOMES) + lines.outcome, minlength=n_ids * len(OUTCOMES)
    ).reshape(n_ids, len(OUTCOMES))
    frame = pd.DataFrame(
        copy=False,
        data={
            "entry_id": categorical(codes, entry_dtype),
            "outcome": categorical(rows.outcome, OUTCOME_DTYPE),
            "mismatched_fields": field_names(rows.fields, fields),
            "critical": rows.critical,
            **{f"lines_{outcome}": per_entry[codes, index] for index, outcome in enumerate(OUTCOMES)},
        },
    )
    found = locate("entry", described, rows.pair_position, {"entry_id": codes}, {})
    return _Level(frame, checks, rows.outcome, codes, found)


def _counts(outcome: np.ndarray) -> OutcomeCounts:
    tally = np.bincount(outcome, minlength=len(OUTCOMES))
    return OutcomeCounts(**{name: int(tally[index]) for index, name in enumerate(OUTCOMES)})


def _worst_fields(checks: Sequence[Check]) -> tuple[FieldSummary, ...]:
    """Fields out of tolerance: critical first, then by number of mismatches, then config order."""
    ranked = []
    for index, result in enumerate(checks):
        count = int(result.pairs.size)
        if not count:
            continue
        tolerance, largest = result.tolerance, result.max_abs_delta
        delta = None if largest is None else Decimal(largest).scaleb(-digits(tolerance))
        summary = FieldSummary(tolerance.name, tolerance.critical, count, delta)
        ranked.append(((not tolerance.critical, -count, index), summary))
    return tuple(summary for _, summary in sorted(ranked, key=lambda item: item[0]))
