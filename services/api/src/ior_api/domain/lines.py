"""Customs lines as the dashboard lists them: flattened from a run's document, filtered and paged,
or exported as CSV with every cell a spreadsheet would run as a formula made text. Plain data, no AWS."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

CSV_COLUMNS = (
    "entry_id", "port", "arrival", "line", "hts10", "description", "origin", "part", "stack",
    "quantity_no", "quantity_kg", "net_kg", "gross_kg", "value", "duty",
)  # fmt: skip


# OWASP's CSV injection: a cell starting with one of these is a formula to a spreadsheet (a
# description such as `=HYPERLINK(…)` from an uploaded file would run when the export is opened).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number may start with `-` and stay a number.
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def neutralised(cell: object) -> object:
    """A text cell that would start a formula, prefixed with `'` so a spreadsheet shows it as text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


@dataclass(frozen=True)
class LineFilter:
    entry: str | None = None
    hts: str | None = None
    origin: str | None = None

    def keeps(self, line: dict[str, Any]) -> bool:
        if self.entry is not None and line["entry_id"] != self.entry:
            return False
        # Analysts type `8517.62` or `851762`: compare digits only, as a prefix.
        if self.hts is not None and not _digits(line["hts10"]).startswith(_digits(self.hts)):
            return False
        return self.origin is None or str(line["origin"]).casefold() == self.origin.casefold()


# An entry as summarised beside its lines: what identifies it and its totals as filed.
SUMMARY_FIELDS = ("entry_id", "port", "arrival", "formal", "flags", "totals")


def flatten(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each line with its entry's identifying fields, in entry and line order."""
    for entry in document.get("entries", []):
        yield from _entry_lines(entry)


def select(document: dict[str, Any], where: LineFilter) -> list[dict[str, Any]]:
    return [line for line in flatten(document) if where.keeps(line)]


def entry_summaries(document: dict[str, Any], where: LineFilter) -> list[dict[str, Any]]:
    """Each entry with at least one line the filter keeps, in entry order: its totals over all of its
    lines (as filed, not only the kept ones) and its line count, without the lines themselves."""
    return [
        {field: entry[field] for field in SUMMARY_FIELDS} | {"lines": len(entry["lines"])}
        for entry in document.get("entries", [])
        if any(where.keeps(line) for line in _entry_lines(entry))
    ]


def _entry_lines(entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    head = {"entry_id": entry["entry_id"], "port": entry["port"], "arrival": entry["arrival"]}
    for line in entry["lines"]:
        yield head | {k: v for k, v in line.items() if k != "sources"} | {"sources": line.get("sources", [])}


def to_csv(lines: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        quantity = line.get("quantity", {})
        row = line | {
            "stack": ";".join(line["stack"]),
            "quantity_no": quantity.get("No.", ""),
            "quantity_kg": quantity.get("kg", ""),
        }
        writer.writerow(["" if row.get(c) is None else neutralised(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
