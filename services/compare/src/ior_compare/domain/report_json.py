"""The comparison report for machines: canonical JSON, byte-identical for the same inputs.

Canonical: keys sorted, no insignificant whitespace, UTF-8, no floats (money and deltas are decimal
text), frames as `{"columns": [...], "rows": [[...], ...]}` in the result's row order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.compare_report import REPORT_SCHEMA_VERSION

from ior_compare.domain.result import ComparisonResult

SCHEMA_VERSION = REPORT_SCHEMA_VERSION

Scalar = str | int | bool | None


FRAMES = ("lines", "mismatches", "entries")


def report_data(
    result: ComparisonResult, *, metadata: Mapping[str, Scalar] | None = None, frames: bool = True
) -> dict[str, Any]:
    """The report as JSON-able data. `metadata` (comparison id, business date, run ids …) is copied
    under `metadata`; without `frames`, the report has no `lines`, `mismatches` or `entries`."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "metadata": dict(metadata or {}),
        "config_version": result.config_version,
        "tolerances": result.config.content(),
        "passed": result.passed,
        "failure_reasons": list(result.failure_reasons()),
        "counts": result.counts.as_dict(),
        "worst_fields": [summary.as_dict() for summary in result.worst_fields],
    }
    if frames:
        data.update({name: table(getattr(result, name)) for name in FRAMES})
    return data


def to_json(result: ComparisonResult, *, metadata: Mapping[str, Scalar] | None = None) -> bytes:
    """The report as canonical JSON bytes: `canonical_json(report_data(...))`, its frames written a
    column at a time (a list of Python values per row, then the encoder over them, took twice as long
    at half a million lines), and its parts joined once, as bytes: the tens of MB of the frames' text
    are copied once, not at each join."""
    data: dict[str, Any] = report_data(result, metadata=metadata, frames=False)
    texts = {key: canonical_json(value) for key, value in data.items()}
    texts.update({name: _table_json_bytes(getattr(result, name)) for name in FRAMES})
    # The top level's keys in sorted order, as the encoder writes them.
    parts: list[bytes] = []
    for key in sorted(texts):
        parts += [b",", canonical_json(key), b":", texts[key]]
    parts[0] = b"{"  # the first field's separator opens the object
    return b"".join([*parts, b"}"])


def _table_json_bytes(frame: pd.DataFrame) -> bytes:
    """`table(frame)` as canonical JSON, made a column at a time: each column's values as JSON texts
    (a repeated text encoded once), then each row's texts joined."""
    columns = [_json_texts(frame[name]) for name in frame.columns]
    rows = map(",".join, zip(*columns, strict=True)) if columns else iter([""] * len(frame))
    head = canonical_json([str(name) for name in frame.columns])
    joined = ("[" + "],[".join(rows) + "]").encode() if len(frame) else b""
    return b"".join((b'{"columns":', head, b',"rows":[', joined, b"]}"))


def canonical_json(data: Any) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def table(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """A frame as column names and rows of plain Python values (null for any missing value)."""
    columns = [_plain(frame[name]) for name in frame.columns]
    return {
        "columns": [str(name) for name in frame.columns],
        # `map` makes each row's list without a Python step per row (a day has half a million).
        "rows": list(map(list, zip(*columns, strict=True))),
    }


def _plain(series: pd.Series) -> list[Any]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object).where(series.notna(), None)
    # numpy's tolist turns the values into Python int, bool and str.
    values: list[Any] = series.to_numpy(dtype=object, na_value=None).tolist()
    return values


def _json_texts(series: pd.Series) -> list[str]:
    """The column's values as the encoder writes them (null for any missing value)."""
    dtype = series.dtype
    texts: list[str]
    if isinstance(dtype, pd.CategoricalDtype):
        categories = [_dumps(value) for value in dtype.categories.tolist()]
        texts = np.array([*categories, "null"], dtype=object)[series.cat.codes.to_numpy()].tolist()
    elif dtype == np.int64:
        texts = list(map(str, series.tolist()))
    elif dtype == np.bool_:
        texts = np.where(series.to_numpy(), "true", "false").tolist()
    elif isinstance(dtype, pd.Int64Dtype):
        values = series.to_numpy(dtype=object, na_value=None).tolist()
        texts = ["null" if value is None else str(value) for value in values]
    elif isinstance(dtype, pd.StringDtype):
        # Text repeats (fields, tolerances, values): each distinct value encoded once.
        codes, uniques = pd.factorize(series.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
        texts = np.array([*map(_dumps, uniques.tolist()), "null"], dtype=object)[codes].tolist()
    else:
        texts = [_dumps(value) for value in _plain(series)]
    return texts


def _dumps(value: Any) -> str:
    # The encoder's own string encoder, as `ensure_ascii=False` uses it: most values are text.
    return _text(value) if type(value) is str else canonical_json(value).decode()


_text = json.encoder.encode_basestring
