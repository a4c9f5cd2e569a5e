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
    """One published dataset version as text cells, what made it (its manifest's inputs) and, when
    the ETL said, where each row was read (`origins`: `source` and `row` per row, in the rows' order;
    None for a version published before the ETL said it)."""

    dataset: str
    mode: str
    version: str
    rows: pd.DataFrame
    made_from: tuple[str, ...]
    origins: pd.DataFrame | None = None
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
        places = self._places_by(key)
        hits = sorted((places[k], k) for k in wanted if k in places)
        records = self.rows.iloc[[last for (_, last), _ in hits]].to_dict("records")
        return {k: record for (_, k), record in zip(hits, records, strict=True)}

    def cited(self, key: tuple[str, ...], row_key: tuple[str, ...]) -> dict[str, Any]:
        """The version and its inputs, and the file and row the keyed row was read from when known."""
        found = self.source_of(key, row_key)
        return {
            "version": self.version,
            "made_from": list(self.made_from),
            **({"source": found} if found else {}),
        }

    def source_of(self, key: tuple[str, ...], row_key: tuple[str, ...]) -> dict[str, Any] | None:
        """Where the row `rows_where` gives for `row_key` was read: `{"file": …, "row": …}`."""
        if self.origins is None or any(column not in self.rows.columns for column in key):
            return None
        place = self._places_by(key).get(row_key)
        if place is None:
            return None
        origin = self.origins.iloc[place[1]]
        return {"file": str(origin["source"]), "row": int(origin["row"])}

    def _places_by(self, key: tuple[str, ...]) -> dict[tuple[str, ...], tuple[int, int]]:
        places = self._places.get(key)
        if places is None:
            places = self._places[key] = {}
            keys = zip(*(self.rows[column].tolist() for column in key), strict=True)
            for at, found in enumerate(keys):
                first = places.get(found, (at, at))[0]
                places[found] = (first, at)
        return places


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
    side only is one difference, field `(row)`), each side cited by its version, what made it and,
    when known, the file and row the cell was read from."""
    if expected is None or actual is None:
        return []
    keys = sorted(set(values))
    manual, automated = expected.rows_where(key, keys), actual.rows_where(key, keys)
    found: list[dict[str, Any]] = []
    for row_key in keys:
        left, right = manual.get(row_key), automated.get(row_key)
        if left is None and right is None:
            continue
        cited = (expected.cited(key, row_key), actual.cited(key, row_key))
        shown_key = " ".join(row_key)
        if left is None or right is None:
            found.append(_difference(dataset, shown_key, "(row)", left, right, cited))
            continue
        for column in left:
            if column not in key and not _same(left[column], right.get(column, "")):
                found.append(_difference(dataset, shown_key, column, left[column], right.get(column), cited))
    return found


def _difference(
    dataset: str,
    key: str,
    field: str,
    expected: Any,
    actual: Any,
    cited: tuple[dict[str, Any], dict[str, Any]],
) -> dict[str, Any]:
    def shown(value: Any) -> str | None:
        if isinstance(value, dict):
            return "present"
        return "absent" if value is None else str(value)

    return {
        "dataset": dataset,
        "key": key,
        "field": field,
        "expected": {"value": shown(expected), **cited[0]},
        "actual": {"value": shown(actual), **cited[1]},
    }


def _same(left: str, right: str) -> bool:
    if left == right:
        return True
    try:
        return Decimal(left) == Decimal(right)
    except (InvalidOperation, ValueError):
        return left.strip().casefold() == right.strip().casefold()
