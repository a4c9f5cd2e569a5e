"""The two runs' inputs, row by row: which dataset rows a discrepancy rests on, and which of their
cells differ between the manual and the automated version — the cause behind a differing line.

Rows are read as text cells. Numbers that are equal as decimals (`0.0` and `0`) are equal, so a
difference is one a customs run would act on, not a formatting one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

# At most this many cells are reported per discrepancy: the cause is in the first few.
MAX_DIFFERENCES = 50


@dataclass(frozen=True)
class DatasetSnapshot:
    """One published dataset version as text cells, and what made it (its manifest's inputs)."""

    dataset: str
    mode: str
    version: str
    rows: pd.DataFrame
    made_from: tuple[str, ...]
    _places: dict[tuple[str, ...], dict[tuple[str, ...], tuple[int, int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """By key columns: each key's first and last row, made once (an explanation asks for a few keys
    many times over a dataset of a day's lines)."""

    def rows_where(
        self, key: tuple[str, ...], values: Iterable[tuple[str, ...]]
    ) -> dict[tuple[str, ...], dict[str, Any]]:
        """The rows whose key columns hold one of `values`, by key (in the order of their first row;
        the last row of a key that repeats)."""
        wanted = set(values)
        if not wanted or any(column not in self.rows.columns for column in key):
            return {}
        places = self._places.get(key)
        if places is None:
            places = self._places[key] = {}
            keys = zip(*(self.rows[column].tolist() for column in key), strict=True)
            for at, found in enumerate(keys):
                first = places.get(found, (at, at))[0]
                places[found] = (first, at)
        hits = sorted((places[k], k) for k in wanted if k in places)
        records = self.rows.iloc[[last for (_, last), _ in hits]].to_dict("records")
        return {k: record for (_, k), record in zip(hits, records, strict=True)}

    def cited(self) -> dict[str, Any]:
        return {"version": self.version, "made_from": list(self.made_from)}


@dataclass(frozen=True)
class SideInputs:
    """One run's dataset versions, those that could be read, and why the others could not."""

    snapshots: Mapping[str, DatasetSnapshot]
    unreadable: Mapping[str, str]


def differing_rows(
    dataset: str,
    key: tuple[str, ...],
    values: Iterable[tuple[str, ...]],
    expected: DatasetSnapshot | None,
    actual: DatasetSnapshot | None,
) -> list[dict[str, Any]]:
    """Each cell of the rows keyed by `values` that differs between the two versions (a row on one
    side only is one difference, field `(row)`), each side cited by its version and source."""
    if expected is None or actual is None:
        return []
    keys = sorted(set(values))
    manual, automated = expected.rows_where(key, keys), actual.rows_where(key, keys)
    found: list[dict[str, Any]] = []
    for row_key in keys:
        left, right = manual.get(row_key), automated.get(row_key)
        if left is None and right is None:
            continue
        shown_key = " ".join(row_key)
        if left is None or right is None:
            found.append(_difference(dataset, shown_key, "(row)", left, right, expected, actual))
            continue
        for column in left:
            if column not in key and not _same(left[column], right.get(column, "")):
                found.append(
                    _difference(dataset, shown_key, column, left[column], right.get(column), expected, actual)
                )
    return found


def _difference(
    dataset: str,
    key: str,
    field: str,
    expected: Any,
    actual: Any,
    expected_from: DatasetSnapshot,
    actual_from: DatasetSnapshot,
) -> dict[str, Any]:
    def shown(value: Any) -> str | None:
        if isinstance(value, dict):
            return "present"
        return "absent" if value is None else str(value)

    return {
        "dataset": dataset,
        "key": key,
        "field": field,
        "expected": {"value": shown(expected), **expected_from.cited()},
        "actual": {"value": shown(actual), **actual_from.cited()},
    }


def _same(left: str, right: str) -> bool:
    if left == right:
        return True
    try:
        return Decimal(left) == Decimal(right)
    except (InvalidOperation, ValueError):
        return left.strip().casefold() == right.strip().casefold()
