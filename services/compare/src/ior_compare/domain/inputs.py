"""The two runs' inputs, row by row: which dataset rows a discrepancy rests on, and which of their
cells differ between the manual and the automated version — the cause behind a differing line.

Rows are read as text cells. Numbers that are equal as decimals (`0.0` and `0`) are equal, so a
difference is one a customs run would act on, not a formatting one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ior_compare.domain.csv_rows import GzipCsv, Record

# At most this many cells are reported per discrepancy: the cause is in the first few.
MAX_DIFFERENCES = 50


@dataclass(frozen=True, eq=False)
class DatasetSnapshot:
    """One published dataset version, its rows read as text cells when asked for by key, what made it
    (its manifest's inputs) and, when the ETL said, where each row was read (`origins`: `source` and
    `row` per row, in the rows' order; None for a version published before the ETL said it)."""

    dataset: str
    mode: str
    version: str
    table: GzipCsv
    made_from: tuple[str, ...]
    origins: GzipCsv | None = None
    _cited: dict[int, Record | None] = field(default_factory=dict, init=False, repr=False)

    def same_rows(self, other: DatasetSnapshot) -> bool:
        """Whether `other` holds the very same rows: the same snapshot bytes, so no cell can differ."""
        return self.table.data == other.table.data

    def rows_where(
        self, key: tuple[str, ...], values: Iterable[tuple[str, ...]]
    ) -> dict[tuple[str, ...], dict[str, Any]]:
        """The rows whose key columns hold one of `values`, by key (in the order of their first row;
        the last row of a key that repeats)."""
        found = self.table.where(key, values)
        hits = sorted(((rows[0][0], rows[-1][0]), k) for k, rows in found.items())
        return {k: dict(found[k][-1][1]) for _, k in hits}

    def rows_with(self, column: str, values: Iterable[str]) -> list[dict[str, Any]]:
        """Every row whose `column` holds one of `values`, in the version's order."""
        found = self.table.where((column,), [(value,) for value in values])
        return [
            dict(record) for _, record in sorted((row for rows in found.values() for row in rows), key=_first)
        ]

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
        if self.origins is None:
            return None
        rows = self.table.where(key, [row_key]).get(row_key)
        if not rows:
            return None
        position = rows[-1][0]
        if position not in self._cited:
            # Every row found so far is cited in the same pass over the origins.
            missing = self.table.positions() - set(self._cited)
            cited = self.origins.at(missing)
            self._cited.update({at: cited.get(at) for at in missing})
        origin = self._cited.get(position)
        if origin is None or not origin.get("row", "").isdigit():
            return None
        return {"file": origin.get("source", ""), "row": int(origin["row"])}


def _first(row: tuple[int, Record]) -> int:
    return row[0]


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
    if expected is None or actual is None or expected.same_rows(actual):
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
