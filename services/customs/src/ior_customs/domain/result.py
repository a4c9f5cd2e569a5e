"""What a run produces, as DataFrames in their final order, and its canonical serialisation:
JSON, keys sorted, no whitespace, UTF-8, money and rates as decimal strings — byte-identical for
the same inputs, code and configuration."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import islice
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from ior_customs.domain.line_json import (
    EntryFields,
    entry_fields,
    entry_summary_texts,
    entry_texts,
    line_texts,
    optional_money,
)
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
SOURCE_COLUMNS = ("entry_id", "line", "document", "item", "material")
QUARANTINE_COLUMNS = ("document", "item", "material", "reason")
SET_ASIDE_COLUMNS = ("document", "item", "type", "reason")


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _nulls_as_none(column: pd.Series) -> list[Any]:
    """The column's values, None for each null (`_is_null`)."""
    values = column.to_numpy(dtype=object, copy=True)
    values[column.isna().to_numpy(dtype=bool)] = None
    listed: list[Any] = values.tolist()
    return listed


def _money(cents: Any) -> str | None:
    return None if _is_null(cents) else format_cents(int(cents))


class JsonText(str):
    """A value already written as canonical JSON, which `json_pieces` writes as it is."""


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
      (document, item), each with its SAP material (null when the item has none).
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
        return {**self._head(), "entries": list(self.entry_records())}

    def summary_records(self) -> dict[str, Any]:
        """`to_records()` without the lines: each entry has its `line_count` instead; made from the
        entries' columns (money formatted a column at a time), as `_entry_record` makes each."""
        entries = self.entries
        columns = (
            *(entries[c].tolist() for c in ("entry_id", "port", "arrival", "mode", "formal", "flags")),
            entries["lines"].tolist(),
            entries["value_usd"].tolist(),
            *(optional_money(entries[c]) for c in ("duty_cents", "mpf_cents", "hmf_cents")),
            *(_nulls_as_none(entries[c]) for c in ("mpf_row", "hmf_row")),
        )
        fee_table = self.config_version
        rows = zip(*columns, strict=True)
        summaries = [
            {
                "entry_id": entry,
                "port": port,
                "arrival": arrival,
                "mode": mode,
                "formal": bool(formal),
                "flags": list(flags),
                "line_count": int(count),
                "totals": {"value": int(usd), "duty": duty, "mpf": mpf, "hmf": hmf},
                "lineage": {"fee_table": fee_table, "mpf": mpf_at, "hmf": hmf_at},
            }
            for entry, port, arrival, mode, formal, flags, count, usd, duty, mpf, hmf, mpf_at, hmf_at in rows
        ]
        return {**self._head(), "entries": summaries}

    def summary(self) -> dict[str, Any]:
        """`summary_records()` with each entry as its text (`summary_texts()`): what a run's report
        and entries object write, without a record per entry."""
        return {**self._head(), "entries": self.summary_texts()}

    def money_totals(self) -> dict[str, int]:
        """`changes.money_totals` of the run's records (entered value, duty, MPF and HMF, in cents;
        a missing fee is none), summed over the entries' columns; and its `lines`."""
        entries = self.entries
        return {
            "value": int(entries["value_usd"].sum()) * 100,
            "duty": int(entries["duty_cents"].sum()),
            "mpf": int(entries["mpf_cents"].sum()),
            "hmf": int(entries["hmf_cents"].sum()),
            "lines": int(entries["lines"].sum()),
        }

    @cached_property
    def _entry_fields(self) -> EntryFields:
        """The entries' JSON fields, made once for the summary and the lines document."""
        return entry_fields(self.entries, self.config_version)

    def summary_texts(self) -> list[JsonText]:
        """The summary's entries (`summary_records()["entries"]`) as their canonical JSON, made from
        the entries' columns: a run's report and its entries object write them without encoding
        a record per entry."""
        return [JsonText(text) for text in entry_summary_texts(self._entry_fields)]

    def entry_records(self, max_lines: int | None = None) -> Iterator[dict[str, Any]]:
        """Each entry with its lines nested, one at a time (the lines are in entry order); with
        `max_lines`, only the run's first lines are nested, and the entries after them have none."""
        datasets = dict(sorted(self.dataset_versions.items()))
        lines_frame, sources_frame = self.lines, self.sources
        if max_lines is not None:
            lines_frame = self.lines.iloc[:max_lines]
            sources_frame = self.sources[self.sources["entry_id"].isin(set(lines_frame["entry_id"]))]
        sources = _sources_by_line(sources_frame)
        lines = _rows(lines_frame)
        pending = next(lines, None)
        for entry in _rows(self.entries):
            mine = []
            while pending is not None and pending["entry_id"] == entry["entry_id"]:
                key = (pending["entry_id"], pending["line"])
                mine.append(_line_record(pending, sources.get(key, ([], [])), datasets))
                pending = next(lines, None)
            yield self._entry_record(entry, mine)

    def _entry_record(self, entry: dict[str, Any], lines: list[dict[str, Any]] | None) -> dict[str, Any]:
        nested: dict[str, Any] = (
            {"lines": lines} if lines is not None else {"line_count": int(entry["lines"])}
        )
        return {
            "entry_id": entry["entry_id"],
            "port": entry["port"],
            "arrival": entry["arrival"],
            "mode": entry["mode"],
            "formal": bool(entry["formal"]),
            "flags": list(entry["flags"]),
            **nested,
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

    def _head(self) -> dict[str, Any]:
        return {
            "business_date": self.business_date.isoformat(),
            "datasets": dict(sorted(self.dataset_versions.items())),
            "config_version": self.config_version,
            "quarantined": [_set_aside(row, "material") for row in _rows(self.quarantined)],
            "held_out": [_set_aside(row, "type") for row in _rows(self.held_out)],
            "dropped": [_set_aside(row, "type") for row in _rows(self.dropped)],
        }

    def to_json_bytes(self) -> bytes:
        """The canonical serialisation: byte-identical for the same inputs, code and configuration."""
        return b"".join(self.json_chunks())

    def json_chunks(self) -> Iterator[bytes]:
        """`to_json_bytes()` in pieces, an entry at a time, so no run holds every line's record at
        once: the keys in sorted order, as `json.dumps(..., sort_keys=True)` writes them. The entries'
        and lines' texts are made from the columns (`entry_texts`, `line_texts`), not from records."""
        head = self._head()
        before = ("business_date", "config_version", "datasets", "dropped")
        after = ("held_out", "quarantined")
        yield ("{" + ",".join(f"{_dumps(k)}:{_dumps(head[k])}" for k in before) + ',"entries":[').encode()
        texts = map(itemgetter(1), line_texts(self.lines, self.sources, self.dataset_versions))
        counts = _lines_per_entry(self.entries["entry_id"].tolist(), self.lines["entry_id"])
        befores, afters = entry_texts(self._entry_fields)
        for i, (count, opening, closing) in enumerate(zip(counts, befores, afters, strict=True)):
            # One join, so an entry's text (kilobytes of lines) is copied once more, not per part.
            lines = ",".join(islice(texts, count))
            yield "".join(("," if i else "", opening, '"lines":[', lines, "],", closing, "}")).encode()
        yield ("]," + ",".join(f"{_dumps(k)}:{_dumps(head[k])}" for k in after) + "}").encode()


def _lines_per_entry(entry_ids: list[Any], line_entry_ids: pd.Series) -> list[int]:
    """How many lines each entry has: the lines follow one another in the entries' order, an entry's
    lines one run of its id (an entry with none has no run). A run that is not the next entry's
    stops the walk: it and the lines after it are in no entry, as `entry_records` nests them."""
    ids = line_entry_ids.to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, dtype=np.intp)
    run_ids, run_lengths = ids[starts].tolist(), np.diff(np.r_[starts, len(ids)]).tolist()
    counts, run = [], 0
    for entry_id in entry_ids:
        if run < len(run_ids) and run_ids[run] == entry_id:
            counts.append(run_lengths[run])
            run += 1
        else:
            counts.append(0)
    return counts


def _sources_by_line(sources: pd.DataFrame) -> dict[tuple[str, int], tuple[list[list[Any]], list[Any]]]:
    """Per line, its (document, item) pairs and, in the same order, each one's material."""
    grouped: dict[tuple[str, int], tuple[list[list[Any]], list[Any]]] = {}
    columns = [sources[c].tolist() for c in SOURCE_COLUMNS]
    for entry_id, line, document, item, material in zip(*columns, strict=True):
        pairs, materials = grouped.setdefault((entry_id, line), ([], []))
        pairs.append([document, item])
        materials.append(None if _is_null(material) else material)
    return grouped


def json_pieces(value: dict[str, Any]) -> Iterator[bytes]:
    """`value` as canonical JSON (keys sorted, no whitespace), in pieces: each top-level list an item
    at a time, so a large document is never whole as text; an item that is `JsonText` as it is."""
    yield b"{"
    for i, (key, item) in enumerate(sorted(value.items())):
        yield ("," if i else "").encode() + _dumps(key).encode() + b":"
        if isinstance(item, list):
            yield b"["
            for j, element in enumerate(item):
                text = element if isinstance(element, JsonText) else _dumps(element)
                yield ("," if j else "").encode() + text.encode()
            yield b"]"
        else:
            yield _dumps(item).encode()
    yield b"}"


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _rows(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The frame's rows as dicts of Python values (nulls as None), one at a time."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return (dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True))


def _line_record(
    line: dict[str, Any], sources: tuple[list[list[Any]], list[Any]], datasets: dict[str, str]
) -> dict[str, Any]:
    pairs, materials = sources
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
        "sources": pairs,
        # Each source's material, in the order of `sources`: beside them, not in them, so a reader
        # of the (document, item) pairs reads the same pairs as before.
        "source_materials": materials,
        "lineage": {
            "datasets": datasets,
            "provisions": {code: list(seqs) for code, seqs in line["provisions"]},
        },
    }


def _set_aside(row: dict[str, Any], detail: str) -> dict[str, Any]:
    return {"document": row["document"], "item": row["item"], detail: row[detail], "reason": row["reason"]}
