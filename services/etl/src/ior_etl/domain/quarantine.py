"""The quarantine file of a run: gzip JSON Lines, one line per failure in row order, each with the
rule, the field (the SAP field or the CSV column), a reason a person reads, whether the row waits
for master data, the row as the source had it, and the object it came from with its row or line
there. Deterministic: the same rejections give the same bytes."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

GZIP_LEVEL = 6
SCHEMA_VERSION = "quarantine/1"


class Located(Protocol):
    """The object a rejected row was read from."""

    @property
    def uri(self) -> str: ...
    @property
    def sha256(self) -> str: ...


# Where a rejected row came from: (source, row number in the build) → (row or line there, object).
Locate = Callable[[str, int], tuple[int, Located | None]]


@dataclass(frozen=True, eq=False)
class RowsLocated:
    """Where many rows of one source were read, as arrays: the row or line there, and the object."""

    there: np.ndarray  # per row: its row or line in the object it was read from
    objects: Sequence[Located | None]
    which: np.ndarray  # per row: its object, as a position in `objects`


@runtime_checkable
class LocatesRows(Protocol):
    """A `Locate` that also places many rows of a source at once (a million published rows are
    placed by array operations, not a call each)."""

    def __call__(self, source: str, row: int, /) -> tuple[int, Located | None]: ...
    def rows(self, source: str, rows: np.ndarray) -> RowsLocated: ...


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def quarantine_body(rejected: pd.DataFrame, locate: Locate) -> bytes:
    lines = []
    for r in rejected.itertuples(index=False):
        row, found = locate(str(r.source), int(r.row))
        lines.append(
            _line(
                {
                    "source": r.source,
                    "row": row,
                    "rule": r.rule,
                    "field": None if pd.isna(r.field) else r.field,
                    "reason": r.reason,
                    "re_evaluable": bool(r.re_evaluable),
                    "record": r.record,
                    "input": None if found is None else {"uri": found.uri, "sha256": found.sha256},
                }
            )
        )
    return gzip.compress(b"".join(line + b"\n" for line in lines), compresslevel=GZIP_LEVEL, mtime=0)
