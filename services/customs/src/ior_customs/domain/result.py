"""What a run produces, as DataFrames in their final order, and its canonical serialisation:
JSON, keys sorted, no whitespace, UTF-8, money and rates as decimal strings — byte-identical for
the same inputs, code and configuration."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ior_customs.domain.money import format_cents

ENTRY_COLUMNS = (
    "entry_id", "port", "arrival", "mode", "formal", "flags", "lines", "value_usd", "duty_cents",
    "mpf_cents", "hmf_cents", "mpf_row", "hmf_row",
)  # fmt: skip
LINE_COLUMNS = (
    "entry_id", "line", "hts10", "description", "origin", "part", "stack", "unit", "quantity_no",
    "quantity_kg", "net_kg", "gross_kg", "value_cents", "value_usd", "rates", "duties_cents", "duty_cents",
    "provisions",
)  # fmt: skip
SOURCE_COLUMNS = ("entry_id", "line", "document", "item")
QUARANTINE_COLUMNS = ("document", "item", "material", "reason")
SET_ASIDE_COLUMNS = ("document", "item", "type", "reason")


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _money(cents: Any) -> str | None:
    return None if _is_null(cents) else format_cents(int(cents))


@dataclass(frozen=True)
class Result:
    """The run's output; every frame in its final order.

    - entries (ENTRY_COLUMNS), by entry_id: `formal`, `flags` (tuple: informal, fee_rate_missing),
      `lines` (count), `value_usd` (Σ whole-dollar line values), `duty_cents`, `mpf_cents` (null when
      informal or no rate), `hmf_cents` (null when no rate), and `mpf_row`/`hmf_row`: the fee-table
      row each fee was charged at (null when not charged).
    - lines (LINE_COLUMNS), by entry_id then line: `hts10` dotted, `part` whole/non_metal/metal,
      `stack`, `rates` (decimal strings) and `duties_cents` as aligned tuples with the chapter 1–97
      number last, `unit` the HTS reporting unit, `quantity_no`/`quantity_kg` (null where the unit
      has no such quantity), `net_kg`/`gross_kg` whole kg, `value_cents` (exact USD cents) and
      `value_usd` (whole dollars), `duty_cents`, and `provisions`: per chapter 99 number, the
      (code, seqs) of the provision rows that put it there.
    - sources (SOURCE_COLUMNS): the invoice items consolidated into each line, by line then
      (document, item).
    - quarantined (QUARANTINE_COLUMNS), held_out and dropped (SET_ASIDE_COLUMNS): the invoice
      lines set aside with their reason, by (document, item)."""

    business_date: date
    dataset_versions: Mapping[str, str]
    config_version: str
    entries: pd.DataFrame
    lines: pd.DataFrame
    sources: pd.DataFrame
    quarantined: pd.DataFrame
    held_out: pd.DataFrame
    dropped: pd.DataFrame

    def to_records(self) -> dict[str, Any]:
        """Entries with their lines nested, JSON-ready."""
        datasets = dict(sorted(self.dataset_versions.items()))
        sources = self._sources_by_line()
        lines_by_entry: dict[str, list[dict[str, Any]]] = {}
        for line in _rows(self.lines):
            key = (line["entry_id"], line["line"])
            lines_by_entry.setdefault(line["entry_id"], []).append(
                _line_record(line, sources.get(key, []), datasets)
            )
        entries = [
            {
                "entry_id": entry["entry_id"],
                "port": entry["port"],
                "arrival": entry["arrival"],
                "mode": entry["mode"],
                "formal": bool(entry["formal"]),
                "flags": list(entry["flags"]),
                "lines": lines_by_entry.get(entry["entry_id"], []),
                "totals": {
                    "value": int(entry["value_usd"]),
                    "duty": _money(entry["duty_cents"]),
                    "mpf": _money(entry["mpf_cents"]),
                    "hmf": _money(entry["hmf_cents"]),
                },
                "lineage": {
                    "fee_table": self.config_version,
                    "mpf": None if _is_null(entry["mpf_row"]) else entry["mpf_row"],
                    "hmf": None if _is_null(entry["hmf_row"]) else entry["hmf_row"],
                },
            }
            for entry in _rows(self.entries)
        ]
        return {
            "business_date": self.business_date.isoformat(),
            "datasets": datasets,
            "config_version": self.config_version,
            "entries": entries,
            "quarantined": [_set_aside(row, "material") for row in _rows(self.quarantined)],
            "held_out": [_set_aside(row, "type") for row in _rows(self.held_out)],
            "dropped": [_set_aside(row, "type") for row in _rows(self.dropped)],
        }

    def to_json_bytes(self) -> bytes:
        """The canonical serialisation: byte-identical for the same inputs, code and configuration."""
        return json.dumps(
            self.to_records(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

    def _sources_by_line(self) -> dict[tuple[str, int], list[list[Any]]]:
        grouped: dict[tuple[str, int], list[list[Any]]] = {}
        columns = [self.sources[c].tolist() for c in SOURCE_COLUMNS]
        for entry_id, line, document, item in zip(*columns, strict=True):
            grouped.setdefault((entry_id, line), []).append([document, item])
        return grouped


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of Python values (nulls as None)."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _line_record(line: dict[str, Any], sources: list[list[Any]], datasets: dict[str, str]) -> dict[str, Any]:
    quantity = {unit: line[column] for unit, column in (("No.", "quantity_no"), ("kg", "quantity_kg"))}
    return {
        "line": line["line"],
        "hts10": line["hts10"],
        "description": line["description"],
        "origin": line["origin"],
        "part": line["part"],
        "stack": list(line["stack"]),
        "quantity": {unit: int(q) for unit, q in quantity.items() if not _is_null(q)},
        "net_kg": line["net_kg"],
        "gross_kg": line["gross_kg"],
        "value": line["value_usd"],
        "rates": dict(zip(line["stack"], line["rates"], strict=True)),
        "duties": {n: format_cents(d) for n, d in zip(line["stack"], line["duties_cents"], strict=True)},
        "duty": format_cents(line["duty_cents"]),
        "sources": sources,
        "lineage": {
            "datasets": datasets,
            "provisions": {code: list(seqs) for code, seqs in line["provisions"]},
        },
    }


def _set_aside(row: dict[str, Any], detail: str) -> dict[str, Any]:
    return {"document": row["document"], "item": row["item"], detail: row[detail], "reason": row["reason"]}
