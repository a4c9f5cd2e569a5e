"""Loading a published dataset snapshot: the object its claim check names, verified by SHA-256,
parsed as text (every cell a string, empty for null: HTS numbers and documents keep their leading
zeros, nothing becomes NaN) and kept in memory for a while, keyed by (uri, sha256)."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
from ior_contracts.claims import ClaimCheck
from ior_contracts.datasets import schema_of
from isal import igzip
from isal.igzip_lib import IsalError

from ior_customs.adapters.objects import Objects
from ior_customs.domain.inputs import TRANSACTION_COLUMNS
from ior_customs.ports import UnreadableSnapshotError

# The transactions grow with the day (a million rows): only the columns the processor reads are
# parsed, which spares a sixth of the parse. The small datasets are read whole.
_READ_ONLY = {"transactions": TRANSACTION_COLUMNS}


def parse_snapshot(data: bytes, dataset: str) -> pd.DataFrame:
    """Snapshot bytes → a frame of text cells (object columns of `str`) with the dataset's columns
    (those the processor reads, for the transactions), the header checked whole."""
    try:
        text = igzip.decompress(data)  # type: ignore[no-untyped-call]  # ISA-L: 0.19 s, zlib 0.30, for 1M rows
        if not text.strip():
            raise UnreadableSnapshotError("empty: not even a header")
        header = next(csv.reader([text[: text.find(b"\n")].decode("utf-8")]), [])
        expected = schema_of(dataset).names
        if tuple(header) != expected:
            raise UnreadableSnapshotError(f"header {header} is not {dataset}'s {list(expected)}")
        columns = _READ_ONLY.get(dataset)
        return pd.read_csv(
            io.BytesIO(text),
            # Cells as Python strings in object columns, not pandas' `str` ones: on a day of 1M
            # transactions the read takes 1.25 s instead of 1.51, and the processor's passes over
            # the columns 3.77 s instead of 4.63 (`bench/customs_service.py`, as in Lambda).
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            usecols=list(columns) if columns is not None else None,
        )
    except (OSError, EOFError, IsalError, UnicodeDecodeError, pd.errors.ParserError) as exc:  # type: ignore[misc]
        raise UnreadableSnapshotError(f"not a gzip CSV: {exc}") from None


class S3Snapshots:
    """Snapshots read from S3 through a small in-process cache (a Lambda environment is reused)."""

    def __init__(
        self,
        s3: Any,
        *,
        ttl_s: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._objects = Objects(s3)
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, pd.DataFrame]] = OrderedDict()
        self._lock = threading.Lock()
        self.reads = 0
        """Objects fetched from S3 (cache misses)."""

    def load(self, dataset: str, snapshot: ClaimCheck) -> pd.DataFrame:
        """The snapshot's rows, verified. The frame is shared: callers treat it as read-only."""
        key = (snapshot.uri, snapshot.sha256)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] > self._clock():
                self._cache.move_to_end(key)
                return cached[1]
        self.reads += 1
        frame = parse_snapshot(self._objects.read(snapshot), dataset)
        with self._lock:
            self._cache[key] = (self._clock() + self._ttl_s, frame)
            self._cache.move_to_end(key)
            while len(self._cache) > self._max_entries:
                self._cache.popitem(last=False)
        return frame
