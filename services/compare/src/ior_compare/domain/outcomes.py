"""Outcome rows: every pair and every unpaired row of one level (lines or entries), in output order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from ior_compare.domain.fields import Check
from ior_compare.domain.frames import PARTS
from ior_compare.domain.keys import Pairing
from ior_compare.domain.result import OUTCOMES
from ior_compare.domain.tolerances import FieldTolerance

MATCH, MISMATCH, MISSING, EXTRA, DUPLICATE = range(len(OUTCOMES))
OUTCOME_DTYPE = pd.CategoricalDtype(list(OUTCOMES))
PART_DTYPE = pd.CategoricalDtype(list(PARTS))


@dataclass(frozen=True)
class OutcomeRows:
    """Positions into the concatenated sides (expected rows, then actual rows) and what happened."""

    source: np.ndarray
    """The row each outcome row shows: the expected row of a pair, else the unpaired row."""
    expected_row: np.ndarray
    """Position into the expected side, −1 when absent."""
    actual_row: np.ndarray
    """Position into the actual side, −1 when absent."""
    outcome: np.ndarray
    fields: np.ndarray
    """One bit per field (configuration order) out of tolerance."""
    critical: np.ndarray
    pair_position: np.ndarray
    """Where each pair (in pairing order) landed."""


def outcome_rows(
    pairing: Pairing, n_expected: int, checks: Sequence[Check], order_key: Callable[[np.ndarray], np.ndarray]
) -> OutcomeRows:
    """The outcome rows, ordered by `order_key` of their source row, ties in order of appearance."""
    n_pairs = len(pairing.expected)
    fields = np.zeros(n_pairs, dtype=np.int64)
    critical = np.zeros(n_pairs, dtype=bool)
    for bit, result in enumerate(checks):
        fields |= result.mismatch.astype(np.int64) << bit
        if result.tolerance.critical:
            critical |= result.mismatch
    none = np.empty(0, dtype=np.int64)
    # (positions into both sides, expected row, actual row, outcome) of the unpaired rows
    unpaired = (
        (pairing.missing, pairing.missing, None, MISSING),
        (pairing.extra + n_expected, None, pairing.extra, EXTRA),
        (pairing.duplicate_expected, pairing.duplicate_expected, None, DUPLICATE),
        (pairing.duplicate_actual + n_expected, None, pairing.duplicate_actual, DUPLICATE),
    )
    source = np.concatenate([pairing.expected, *(rows for rows, *_ in unpaired), none])
    expected_row = np.concatenate(
        [pairing.expected, *(np.full(len(rows), -1) if e is None else e for rows, e, _, _ in unpaired), none]
    )
    actual_row = np.concatenate(
        [pairing.actual, *(np.full(len(rows), -1) if a is None else a for rows, _, a, _ in unpaired), none]
    )
    outcome = np.concatenate(
        [
            np.where(fields > 0, MISMATCH, MATCH),
            *(np.full(len(rows), code) for rows, *_, code in unpaired),
            none,
        ]
    )
    n_unpaired = len(source) - n_pairs
    fields = np.concatenate([fields, np.zeros(n_unpaired, dtype=np.int64)])
    critical = np.concatenate([critical, np.zeros(n_unpaired, dtype=bool)])

    order = np.argsort(order_key(source), kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return OutcomeRows(
        source=source[order],
        expected_row=expected_row[order],
        actual_row=actual_row[order],
        outcome=outcome[order].astype(np.int64),
        fields=fields[order],
        critical=critical[order],
        pair_position=position[:n_pairs],
    )


def line_numbers(values: np.ndarray, null: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values at `rows` (positions into both sides) and where they are null: absent (−1) or null."""
    absent = rows < 0
    safe = np.where(absent, 0, rows)
    return values[safe], absent | null[safe]


def key_dtype(values: ExtensionArray) -> pd.CategoricalDtype:
    """The categorical type of a key column whose codes index `values` (distinct, in code order)."""
    # `values` are a factorization's uniques: distinct and without nulls, so pandas' validation of
    # them (an Index built, uniqueness and nulls checked: ~0.15 ms a column, most of a 1,000-row
    # call's key handling) proves nothing here. `_from_fastpath` is pandas' own constructor for
    # categories known valid; the locked pandas version keeps it, and the engine's tests cover it.
    return pd.CategoricalDtype._from_fastpath(pd.Index(values, copy=False), ordered=False)


def categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """Codes as a categorical column (−1 = null): cheap at a million rows, the codes are there."""
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def field_names(bits: np.ndarray, fields: Sequence[FieldTolerance]) -> ExtensionArray:
    """`;`-joined names of the mismatching fields, from one bit per field (only distinct sets named)."""
    present = np.flatnonzero(np.bincount(bits, minlength=1)) if bits.size else np.zeros(1, dtype=np.int64)
    lookup = np.zeros(present[-1] + 1, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    names = [";".join(f.name for bit, f in enumerate(fields) if int(value) >> bit & 1) for value in present]
    return pd.array(names, dtype="str").take(lookup[bits])
