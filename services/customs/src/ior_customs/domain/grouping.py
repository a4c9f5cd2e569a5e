"""Group-by on integer keys: dense group numbers in key order, without sorting every row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class Groups:
    of_row: npt.NDArray[np.int64]
    """Each row's group; groups are numbered in the order of their keys."""
    first_row: npt.NDArray[np.int64]
    """The first row of each group."""

    def __len__(self) -> int:
        return len(self.first_row)


def group_by(key: npt.NDArray[np.int64]) -> Groups:
    codes, uniques = pd.factorize(key, sort=True)
    first = np.full(len(uniques), len(key), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(key), dtype=np.int64))
    return Groups(np.asarray(codes, dtype=np.int64), first)


def combine(columns: tuple[npt.NDArray[np.int64], ...]) -> npt.NDArray[np.int64] | None:
    """One int64 key ordered like the columns' tuples (mixed radix), or None when it would overflow."""
    sizes = [int(c.max(initial=0)) + 1 for c in columns]
    if float(np.prod(np.array(sizes, dtype=float))) >= 2**62:
        return None
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        key = key * size + column
    return key


def group_by_columns(columns: tuple[npt.NDArray[np.int64], ...]) -> Groups:
    """Groups of equal tuples, numbered in tuple order; columns hold non-negative integers."""
    key = combine(columns)
    if key is not None:
        return group_by(key)
    _, first, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_index=True, return_inverse=True)
    return Groups(inverse.reshape(-1).astype(np.int64), first.astype(np.int64))


def order_by_columns(columns: tuple[npt.NDArray[np.int64], ...]) -> npt.NDArray[np.int64]:
    """Row order sorting by the columns' tuples (first column most significant), stable."""
    key = combine(columns)
    if key is not None:
        return np.argsort(key, kind="stable")
    return np.lexsort(columns[::-1])
