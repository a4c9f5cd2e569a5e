"""The Result's DataFrames, built from the run's arrays (column contracts in result.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.entries import Consolidation, Entries
from ior_customs.domain.goods import Goods
from ior_customs.domain.grouping import order_by_columns
from ior_customs.domain.invoices import BILLING_TYPES, InvoiceLines
from ior_customs.domain.parts import PARTS, Parts
from ior_customs.domain.reference import KG, NO, REPORTING_UNITS, HtsTable, MaterialFacts, dotted
from ior_customs.domain.reporting import LineFigures
from ior_customs.domain.result import (
    ENTRY_COLUMNS,
    LINE_COLUMNS,
    QUARANTINE_COLUMNS,
    SET_ASIDE_COLUMNS,
    SOURCE_COLUMNS,
)
from ior_customs.domain.stacks import StackTable
from ior_customs.domain.totals import EntryTotals


def _nullable(values: npt.NDArray[np.int64], null: npt.NDArray[np.bool_]) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), null)


def _with_nulls(values: list[int | None]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    null = np.array([v is None for v in values], dtype=bool)
    return np.array([0 if v is None else v for v in values], dtype=np.int64), null


def _by_line(
    values: npt.NDArray[np.int64], line: npt.NDArray[np.int64], n_lines: int
) -> list[tuple[int, ...]]:
    """Values of a line-sorted array, one tuple per line."""
    bounds = np.searchsorted(line, np.arange(n_lines + 1)).tolist()
    listed = values.tolist()
    return [tuple(listed[bounds[i] : bounds[i + 1]]) for i in range(n_lines)]


def _provisions(
    parts: Parts, consolidation: Consolidation, line_stack: npt.NDArray[np.int64], stacks: StackTable
) -> list[tuple[tuple[str, tuple[int, ...]], ...]]:
    """Per line, each chapter 99 number with the seqs of the provision rows behind it. A line that
    consolidates parts of several selections (same numbers, other rows) lists every row."""
    n_selections = max(len(stacks.stack_of_selection), 1)
    pairs = pd.unique(consolidation.line_of_row * n_selections + parts.selection)
    lines, selections = (pairs // n_selections).tolist(), (pairs % n_selections).tolist()
    by_selection = [tuple((code, (seq,)) for code, seq in rows) for rows in stacks.selection_rows]
    provisions: list[tuple[tuple[str, tuple[int, ...]], ...] | None] = [None] * consolidation.n_lines
    merged: dict[int, dict[str, set[int]]] = {}
    for line, selection in zip(lines, selections, strict=True):
        if provisions[line] is None and line not in merged:
            provisions[line] = by_selection[selection]
            continue
        seqs = merged.setdefault(line, {code: set(s) for code, s in provisions[line] or ()})
        for code, seq in stacks.selection_rows[selection]:
            seqs.setdefault(code, set()).add(seq)
    for line, seqs in merged.items():
        numbers = stacks.numbers[int(line_stack[line])][:-1]
        provisions[line] = tuple((code, tuple(sorted(seqs[code]))) for code in numbers)
    return [p or () for p in provisions]


def lines_table(
    entries: Entries,
    goods: Goods,
    parts: Parts,
    consolidation: Consolidation,
    figures: LineFigures,
    facts: MaterialFacts,
    hts: HtsTable,
    stacks: StackTable,
) -> pd.DataFrame:
    first = consolidation.first_row
    first_goods = parts.goods[first]
    material = goods.material[first_goods]
    line_hts = facts.hts[material]
    unit = hts.unit[line_hts]
    stack = figures.stack.tolist()
    columns = {
        "entry_id": [entries.ids[e] for e in entries.of_row[first_goods].tolist()],
        "line": consolidation.number,
        # Made once per row of the HTS table, and taken by each line (half a million at 1M a day).
        "hts10": np.array([dotted(h) for h in hts.hts10.tolist()], dtype=object)[line_hts].tolist(),
        "description": hts.description[line_hts].tolist(),
        "origin": facts.origin.labels[facts.origin.codes[material]].astype(str).tolist(),
        "part": [PARTS[p] for p in parts.part[first].tolist()],
        "stack": [stacks.numbers[s] for s in stack],
        "unit": [REPORTING_UNITS[u] for u in unit.tolist()],
        "quantity_no": _nullable(figures.pieces, unit == KG),
        "quantity_kg": _nullable(figures.net_kg, unit == NO),
        "net_kg": figures.net_kg,
        "gross_kg": figures.gross_kg,
        "value_cents": figures.value_cents,
        "value_usd": figures.dollars,
        "rates": [stacks.rate_texts[s] for s in stack],
        "duties_cents": _by_line(figures.duties.cents, figures.duties.line, consolidation.n_lines),
        "duty_cents": figures.duties.line_total,
        "provisions": _provisions(parts, consolidation, figures.stack, stacks),
    }
    return pd.DataFrame({c: columns[c] for c in LINE_COLUMNS})


def entries_table(entries: Entries, totals: EntryTotals, day: date) -> pd.DataFrame:
    columns = {
        "entry_id": entries.ids,
        "port": entries.ports,
        "arrival": [day.isoformat()] * len(entries.ids),
        "mode": entries.modes,
        "formal": totals.formal,
        "flags": totals.flags,
        "lines": totals.line_count,
        "value_usd": totals.value_dollars,
        "duty_cents": totals.duty_cents,
        "mpf_cents": _nullable(*_with_nulls(totals.mpf_cents)),
        "hmf_cents": _nullable(*_with_nulls(totals.hmf_cents)),
        "mpf_row": pd.Series(totals.mpf_row, dtype=object),
        "hmf_row": pd.Series(totals.hmf_row, dtype=object),
    }
    return pd.DataFrame({c: columns[c] for c in ENTRY_COLUMNS})


def sources_table(
    lines: InvoiceLines, entries: Entries, goods: Goods, parts: Parts, consolidation: Consolidation
) -> pd.DataFrame:
    """One row per (line, invoice item), by line then (document, item), with the item's material.
    Entry ids, documents and materials are categorical: a million sources share a few hundred entries
    and materials."""
    source = goods.line[parts.goods]
    document, item = lines.document.codes[source], lines.item[source]
    order = order_by_columns((consolidation.line_of_row, document, item))
    line = consolidation.line_of_row[order]
    line_entry = entries.of_row[parts.goods[consolidation.first_row]]
    columns = {
        "entry_id": pd.Categorical.from_codes(
            line_entry[line], categories=pd.Index(entries.ids, dtype=object)
        ),
        "line": consolidation.number[line],
        "document": pd.Categorical.from_codes(
            document[order], categories=pd.Index(lines.document.labels, dtype=object)
        ),
        "item": item[order],
        "material": pd.Categorical.from_codes(
            lines.material.codes[source][order], categories=pd.Index(lines.material.labels, dtype=object)
        ),
    }
    return pd.DataFrame({c: columns[c] for c in SOURCE_COLUMNS})


def set_aside_table(
    lines: InvoiceLines, rows: npt.NDArray[np.int64], reason: Callable[[npt.NDArray[np.int64]], list[str]]
) -> pd.DataFrame:
    """Held-out or dropped invoice lines with their billing type, by (document, item)."""
    rows = rows[np.lexsort((lines.item[rows], lines.document.codes[rows]))]
    columns = {
        "document": lines.document.labels[lines.document.codes[rows]].astype(str).tolist(),
        "item": lines.item[rows],
        "type": [BILLING_TYPES[t] for t in lines.billing_type[rows].tolist()],
        "reason": reason(rows),
    }
    return pd.DataFrame({c: columns[c] for c in SET_ASIDE_COLUMNS})


def quarantine_table(lines: InvoiceLines, rows: npt.NDArray[np.int64], reasons: list[str]) -> pd.DataFrame:
    """Quarantined invoice lines with their material and first failing check, by (document, item);
    `reasons` is aligned with `rows`."""
    order = np.lexsort((lines.item[rows], lines.document.codes[rows]))
    rows = rows[order]
    columns = {
        "document": lines.document.labels[lines.document.codes[rows]].astype(str).tolist(),
        "item": lines.item[rows],
        "material": [lines.material.text(r) for r in rows],
        "reason": [reasons[i] for i in order.tolist()],
    }
    return pd.DataFrame({c: columns[c] for c in QUARANTINE_COLUMNS})
