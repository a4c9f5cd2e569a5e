"""The comparison report for machines: canonical JSON, byte-identical for the same inputs.

Canonical: keys sorted, no insignificant whitespace, UTF-8, no floats (money and deltas are decimal
text), frames as `{"columns": [...], "rows": [[...], ...]}` in the result's row order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
from ior_contracts.compare_report import REPORT_SCHEMA_VERSION

from ior_compare.domain.result import ComparisonResult

SCHEMA_VERSION = REPORT_SCHEMA_VERSION

Scalar = str | int | bool | None


def report_data(result: ComparisonResult, *, metadata: Mapping[str, Scalar] | None = None) -> dict[str, Any]:
    """The report as JSON-able data. `metadata` (comparison id, business date, run ids …) is copied
    under `metadata`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "metadata": dict(metadata or {}),
        "config_version": result.config_version,
        "tolerances": result.config.content(),
        "passed": result.passed,
        "failure_reasons": list(result.failure_reasons()),
        "counts": result.counts.as_dict(),
        "worst_fields": [summary.as_dict() for summary in result.worst_fields],
        "lines": table(result.lines),
        "mismatches": table(result.mismatches),
        "entries": table(result.entries),
    }


def to_json(result: ComparisonResult, *, metadata: Mapping[str, Scalar] | None = None) -> bytes:
    """The report as canonical JSON bytes."""
    return canonical_json(report_data(result, metadata=metadata))


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
