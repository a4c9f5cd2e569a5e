"""Each line's canonical JSON text, made straight from the lines frame's columns: the bytes
`json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` gives for the line's
record (`result._line_record`), without making the record. A run publishes every line, and a dict
per line serialised by the encoder cost ten times the processor at a million lines; here each text
is one format of values encoded once per distinct value (descriptions, origins, documents,
materials and provision sets repeat across lines), with the keys written in their sorted order."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ior_customs.domain.money import format_cents

# The encoder's own string encoder, as `ensure_ascii=False` uses it.
_text = json.encoder.encode_basestring
_COLUMNS = (
    "entry_id", "line", "hts10", "description", "origin", "part", "stack", "quantity_no", "quantity_kg",
    "net_kg", "gross_kg", "value_usd", "rates", "duties_cents", "duty_cents", "provisions",
)  # fmt: skip


def line_texts(
    lines: pd.DataFrame, sources: pd.DataFrame, datasets: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """(entry id, the line's JSON text) for each line of `lines`, in order; `sources` are the invoice
    items of each line (`entry_id`, `line`, `document`, `item`, `material`)."""
    encode = _Encoder()
    sources_texts, materials_texts = _sources_of_lines(lines, sources)
    line_sources, line_materials = iter(sources_texts), iter(materials_texts)
    lineage_head = '"lineage":{"datasets":' + _dumps(dict(datasets)) + ',"provisions":'
    columns = [lines[c].tolist() for c in _COLUMNS]
    for (
        entry_id, line, hts10, description, origin, part, stack, quantity_no, quantity_kg, net_kg, gross_kg,
        value_usd, rates, duties, duty, provisions,
    ) in zip(*columns, strict=True):  # fmt: skip
        text = "".join(
            (
                '{"description":', encode.repeated(description),
                ',"duties":', encode.keyed(stack, [_text(format_cents(d)) for d in duties]),
                ',"duty":"', format_cents(duty),
                '","gross_kg":', _plain(gross_kg),
                ',"hts10":', encode.repeated(hts10),
                ',"line":', _plain(line),
                ",", lineage_head, encode.provisions(provisions),
                '},"net_kg":', _plain(net_kg),
                ',"origin":', encode.repeated(origin),
                ',"part":', encode.repeated(part),
                ',"quantity":', _quantity(quantity_no, quantity_kg),
                ',"rates":', encode.rates(stack, rates),
                ',"source_materials":[', next(line_materials),
                '],"sources":[', next(line_sources),
                '],"stack":', encode.stack(stack),
                ',"value":', _plain(value_usd), "}",
            )
        )  # fmt: skip
        yield entry_id, text


class _Encoder:
    """JSON texts of values that repeat across a run's lines, each encoded once (for this run only)."""

    def __init__(self) -> None:
        self._values: dict[Any, str] = {}
        self._provisions: dict[Any, str] = {}
        self._stacks: dict[tuple[str, ...], str] = {}
        self._rates: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        self._orders: dict[tuple[str, ...], list[tuple[int, str]]] = {}

    def stack(self, stack: tuple[str, ...]) -> str:
        found = self._stacks.get(stack)
        if found is None:
            found = self._stacks[stack] = "[" + ",".join(map(self.repeated, stack)) + "]"
        return found

    def rates(self, stack: tuple[str, ...], rates: tuple[str, ...]) -> str:
        found = self._rates.get((stack, rates))
        if found is None:
            found = self._rates[stack, rates] = self.keyed(stack, [self.repeated(r) for r in rates])
        return found

    def keyed(self, stack: tuple[str, ...], texts: list[str]) -> str:
        """`dict(zip(stack, values))` with its keys sorted, from the values' JSON texts: the order is
        worked out once per stack (the last value of a number that repeats, as a dict keeps it)."""
        if len(texts) != len(stack):
            raise ValueError(f"{len(texts)} values for the stack {stack}")
        order = self._orders.get(stack)
        if order is None:
            last = {number: i for i, number in enumerate(stack)}
            order = self._orders[stack] = [(last[k], self.repeated(k) + ":") for k in sorted(last)]
        return "{" + ",".join([key + texts[i] for i, key in order]) + "}"

    def repeated(self, value: Any) -> str:
        found = self._values.get(value)
        if found is None:
            found = self._values[value] = _text(value) if type(value) is str else _dumps(value)
        return found

    def provisions(self, provisions: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
        found = self._provisions.get(provisions)
        if found is None:
            found = self._provisions[provisions] = _dumps({code: list(seqs) for code, seqs in provisions})
        return found


def _sources_of_lines(lines: pd.DataFrame, sources: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each line's sources, `[document,item]` texts joined by commas, and their materials' texts
    (null where none) joined the same way, in the order of `sources`; made a column at a time (a
    run has several invoice items per line)."""
    keys = ["entry_id", "line"]
    at = pd.MultiIndex.from_frame(lines[keys]).get_indexer(pd.MultiIndex.from_frame(sources[keys]))
    order = np.argsort(at, kind="stable")
    at = at[order]
    starts = np.searchsorted(at, np.arange(len(lines)), side="left").tolist()
    ends = np.searchsorted(at, np.arange(len(lines)), side="right").tolist()
    items = np.array([_plain(i) for i in sources["item"].tolist()], dtype=object)
    pairs = ("[" + _encoded_once(sources["document"]) + "," + items + "]")[order]
    materials = _encoded_once(sources["material"])[order]
    bounds = list(zip(starts, ends, strict=True))
    return [",".join(pairs[a:b]) for a, b in bounds], [",".join(materials[a:b]) for a, b in bounds]


def _encoded_once(column: pd.Series) -> np.ndarray[Any, np.dtype[np.object_]]:
    """The column's values as JSON texts, each distinct value encoded once; a missing value is null."""
    codes, values = pd.factorize(column)
    encoded = [_text(v) if type(v) is str else _dumps(v) for v in values.tolist()]
    # A missing value's code is -1: the last text, null.
    texts: np.ndarray[Any, np.dtype[np.object_]] = np.array([*encoded, "null"], dtype=object)[codes]
    return texts


def _quantity(number: Any, kilograms: Any) -> str:
    # `No.` sorts before `kg`; a null quantity is left out.
    parts = [f'"{unit}":{int(q)}' for unit, q in (("No.", number), ("kg", kilograms)) if not _is_null(q)]
    return "{" + ",".join(parts) + "}"


def _plain(value: Any) -> str:
    return str(value) if type(value) is int else _dumps(value)


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
