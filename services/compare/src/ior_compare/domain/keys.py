"""Integer keys and the pairing of expected with actual rows, vectorised.

Both sides are coded together (one code space), so a key is one int64 per row and pairing is
array indexing: no string joins, no per-row Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

_EMPTY = np.empty(0, dtype=np.int64)
_MAX_CODE = 2**62


@dataclass(frozen=True)
class Pairing:
    """Row positions (into each side's own frame) of the pairs and of the unpaired rows."""

    expected: np.ndarray
    actual: np.ndarray
    missing: np.ndarray
    """Expected rows whose key the actual side lacks."""
    extra: np.ndarray
    """Actual rows whose key the expected side lacks."""
    duplicate_expected: np.ndarray
    duplicate_actual: np.ndarray
    """Rows left over under a key where a side has several rows and pairing by sub-key ran out."""


def joined(*columns: pd.Series) -> ExtensionArray:
    """The columns' values one after the other, as one array (cheap when their dtypes agree)."""
    arrays = [column.array for column in columns]
    first = arrays[0]
    if all(type(array) is type(first) and array.dtype == first.dtype for array in arrays):
        # `_concat_same_type` belongs to the ExtensionArray interface; it avoids a Series concat.
        return type(first)._concat_same_type(arrays)
    return pd.concat(columns, ignore_index=True).array


def text_codes(*columns: pd.Series, sort: bool = True) -> tuple[np.ndarray, ExtensionArray]:
    """int64 codes (−1 for null) of the columns' values one after the other, and the distinct
    values; with `sort`, codes follow text order."""
    dtype = columns[0].dtype
    if _python_text(dtype) and all(column.dtype == dtype for column in columns):
        return _python_text_codes(columns, dtype, sort)
    codes, uniques = joined(*columns).factorize(use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    if sort and len(uniques) > 1:
        # Sorting the distinct values is cheaper than factorize(sort=True) on the whole column.
        order = np.asarray(uniques.argsort(), dtype=np.int64)
        codes, uniques = _ranked(codes, order), uniques.take(order)
    return codes, uniques


def _python_text(dtype: object) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "python"


def _python_text_codes(
    columns: Sequence[pd.Series], dtype: pd.StringDtype, sort: bool
) -> tuple[np.ndarray, ExtensionArray]:
    # Text as Lambda's pandas holds it (Python strings in an object array): factorising the object
    # array and sorting the few distinct values in Python costs a third of the string array's own
    # factorize and argsort, most of a 1,000-row call's key coding.
    objects = np.concatenate([np.asarray(column.array, dtype=object) for column in columns])
    codes, uniques = pd.factorize(objects, use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    if sort and len(uniques) > 1:
        order = np.array(sorted(range(len(uniques)), key=uniques.__getitem__), dtype=np.int64)
        codes, uniques = _ranked(codes, order), uniques[order]
    return codes, pd.array(uniques, dtype=dtype)


def _ranked(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Codes renumbered so that value `order[k]` gets code k; −1 (null) stays −1."""
    rank = np.empty(order.size + 1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    rank[-1] = -1  # code −1 (null) indexes the last slot and stays −1
    ranked: np.ndarray = rank[codes]
    return ranked


def combine(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Dense int64 codes for the tuples of non-negative codes in `columns`. When each column's codes
    follow its sort order, the result follows the tuples' lexicographic order."""
    if not columns:
        raise ValueError("nothing to combine")
    combined = columns[0].astype(np.int64, copy=False)
    for codes in columns[1:]:
        width = int(codes.max()) + 1 if codes.size else 1
        if combined.size and int(combined.max()) >= _MAX_CODE // width:
            combined = dense(combined)
        combined = combined * width + codes
    return dense(combined)


def dense(codes: np.ndarray) -> np.ndarray:
    """Order-preserving dense renumbering of int64 codes: 0 … distinct − 1."""
    if not codes.size:
        return codes.astype(np.int64)
    _, inverse = np.unique(codes, return_inverse=True)
    return inverse.astype(np.int64, copy=False).reshape(-1)


def pair(key: np.ndarray, n_expected: int, sub: np.ndarray | None = None) -> Pairing:
    """Pair rows of equal `key` (dense codes over expected rows then actual rows).

    A key with exactly one row on each side pairs those two. A key with several rows on either side
    pairs rows of equal `sub` (e.g. the stack), in order of appearance; the rest of that key are
    duplicates. A key on one side only makes its rows missing (expected) or extra (actual)."""
    key_e, key_a = key[:n_expected], key[n_expected:]
    size = int(key.max()) + 1 if key.size else 0
    count_e = np.bincount(key_e, minlength=size)
    count_a = np.bincount(key_a, minlength=size)
    has_e = count_a[key_e] > 0
    has_a = count_e[key_a] > 0
    single_e = has_e & (count_e[key_e] == 1) & (count_a[key_e] == 1)
    single_a = has_a & (count_a[key_a] == 1) & (count_e[key_a] == 1)

    rows_e = np.flatnonzero(single_e)
    rows_a = np.flatnonzero(single_a)
    position = np.empty(size, dtype=np.int64)
    position[key_a[rows_a]] = rows_a
    partner = position[key_e[rows_e]]

    multi_e = np.flatnonzero(has_e & ~single_e)
    multi_a = np.flatnonzero(has_a & ~single_a)
    paired_e, paired_a, dup_e, dup_a = _pair_several(key, n_expected, sub, multi_e, multi_a)
    return Pairing(
        expected=np.concatenate([rows_e, paired_e]),
        actual=np.concatenate([partner, paired_a]),
        missing=np.flatnonzero(~has_e),
        extra=np.flatnonzero(~has_a),
        duplicate_expected=dup_e,
        duplicate_actual=dup_a,
    )


def _pair_several(
    key: np.ndarray, n_expected: int, sub: np.ndarray | None, rows_e: np.ndarray, rows_a: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if not rows_e.size and not rows_a.size:
        return _EMPTY, _EMPTY, _EMPTY, _EMPTY
    concat = np.concatenate([rows_e, rows_a + n_expected])
    parts = [key[concat]]
    if sub is not None:
        parts.append(sub[concat] + 1)  # null sub-keys (−1) form their own group
    group = combine(parts)
    group_e, group_a = group[: rows_e.size], group[rows_e.size :]
    # The n-th row of a (key, sub) group on one side pairs with the n-th on the other.
    slot = combine([group, np.concatenate([_rank_within(group_e), _rank_within(group_a)])])
    slot_e, slot_a = slot[: rows_e.size], slot[rows_e.size :]
    position = np.full(int(slot.max()) + 1, -1, dtype=np.int64)
    position[slot_a] = np.arange(rows_a.size)
    partner = position[slot_e]
    hit = partner >= 0
    taken = np.zeros(rows_a.size, dtype=bool)
    taken[partner[hit]] = True
    return rows_e[hit], rows_a[partner[hit]], rows_e[~hit], rows_a[~taken]


def _rank_within(group: np.ndarray) -> np.ndarray:
    """0, 1, 2 … for successive rows of each group, in order of appearance."""
    if not group.size:
        return _EMPTY
    order = np.argsort(group, kind="stable")
    ordered = group[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run = np.repeat(starts, np.diff(np.r_[starts, ordered.size]))
    rank = np.empty(group.size, dtype=np.int64)
    rank[order] = np.arange(group.size) - run
    return rank
