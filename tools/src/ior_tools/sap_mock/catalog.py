"""The mock SAP's data: one `<ENTITY>.jsonl` per entity set, indexed once, read a page at a time.

The index keeps, per row, the byte offset of its line and the ordinal of each date field a filter
may name (`UNSET` for a date served as null, `NOT_A_DATE` for a value served as stored), so a page is
one `pread` of the lines it needs and a `$filter` window is a scan of an int array: a million rows
cost about 8 MB of index per field, never the rows themselves. A file that changes on disk (the
sample generator ran again) is indexed again on the next request."""

from __future__ import annotations

import json
import os
import re
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ior_ingestion.domain.sources import SAP_SOURCES

from ior_tools.sample.sap_fields import ENTITY_SETS
from ior_tools.sap_mock.query import DateFilter

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INITIAL_DATE = "0000-00-00"
# Date ordinals of rows that have no day: no range holds them.
UNSET = 0  # blank, SAP's initial date or null (served as null), or absent: matched by `eq null`
NOT_A_DATE = -1  # any other value: served as stored, matched by no filter
_SAMPLE_ROWS = 200
_SELECTION_CACHE = 8


@dataclass(frozen=True)
class EntityConfig:
    """What the mock must know about an entity set beyond its rows."""

    name: str
    key_fields: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()
    """The fields a `$filter` may name: the one the ingestion extracts by first."""

    @property
    def service(self) -> str:
        return f"{self.name}_SRV"

    @property
    def entity_set(self) -> str:
        return f"{self.name}Set"


def _filterable(name: str, extracted_by: str | None) -> tuple[str, ...]:
    """The field the ingestion filters on, then the entity set's other date fields (as SAP, which
    filters on any of them)."""
    declared = ENTITY_SETS[name].date_fields if name in ENTITY_SETS else ()
    first = (extracted_by,) if extracted_by else ()
    return first + tuple(f for f in declared if f != extracted_by) if first else ()


KNOWN_ENTITIES = {
    s.name: EntityConfig(s.name, s.key_fields, _filterable(s.name, s.date_field)) for s in SAP_SOURCES
}


def value_pattern(field: str) -> re.Pattern[bytes]:
    """`"FIELD": "value"` in a JSON line, for a plain string value (no escapes).

    `"FIELD"` followed by a colon can only be a key: inside a JSON string every quote is escaped,
    so the text never holds `"FIELD"` with both quotes bare. The pattern starts with a literal,
    which lets the regex engine skip ahead quickly."""
    return re.compile(rb'"(' + re.escape(field.encode()) + rb')"\s*:\s*"([^"\\]*)"')


class EntityFile:
    """One entity set's rows on disk, with its line and date index."""

    def __init__(self, path: Path, config: EntityConfig) -> None:
        self.path = path
        self.config = config
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._fd: int | None = None
        self.offsets = array("q")
        self.ordinals: dict[str, array[int]] = {}
        self.date_fields: tuple[str, ...] = ()
        self._selections: dict[DateFilter, array[int]] = {}

    def __len__(self) -> int:
        return max(0, len(self.offsets) - 1)

    def refresh(self) -> None:
        """Index the file, or index it again when it changed on disk."""
        stat = self.path.stat()
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp != self._stamp:
                self._index()
                self._stamp = stamp

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _index(self) -> None:
        offsets = array("q")
        ordinals = {name: array("i") for name in self.config.date_fields}
        patterns = [(name, value_pattern(name), ordinals[name]) for name in self.config.date_fields]
        seen: dict[bytes, int] = {}
        sample: list[bytes] = []
        position = 0
        fd = os.open(self.path, os.O_RDONLY)
        try:
            with open(fd, "rb", closefd=False) as lines:
                for line in lines:
                    if not line.isspace():
                        offsets.append(position)
                        if len(sample) < _SAMPLE_ROWS:
                            sample.append(line)
                        for name, pattern, column in patterns:
                            column.append(_ordinal(line, pattern, name, seen))
                    position += len(line)
        except BaseException:
            os.close(fd)
            raise
        offsets.append(position)
        self.close()
        self._fd = fd
        self.offsets, self.ordinals = offsets, ordinals
        self.date_fields = _date_fields(sample, self.config.date_fields)
        self._selections = {}

    def select(self, dates: DateFilter | None) -> Sequence[int]:
        """Row numbers, in file (key) order, whose date lies in the filter's inclusive ordinal
        range, or is unset when the filter asks for those too; every row without a filter."""
        if dates is None:
            return range(len(self))
        column = self.ordinals.get(dates.field)
        if not column:
            return range(0)
        cached = self._selections.get(dates)
        if cached is None:
            # Day ordinals start at 1, so the range never holds UNSET or NOT_A_DATE by itself.
            low, high = max(dates.ordinal_range[0], 1), dates.ordinal_range[1]
            ordinals = enumerate(column)
            if dates.include_unset:
                cached = array("i", [i for i, d in ordinals if low <= d <= high or d == UNSET])
            else:
                cached = array("i", [i for i, d in ordinals if low <= d <= high])
            if len(self._selections) >= _SELECTION_CACHE:
                self._selections.pop(next(iter(self._selections)))
            self._selections[dates] = cached
        return cached

    def read(self, rows: Sequence[int]) -> list[bytes]:
        """The lines of `rows` (ascending row numbers), stripped, one `pread` per consecutive run."""
        if self._fd is None:
            raise RuntimeError(f"{self.path} is not indexed")
        offsets, n, i = self.offsets, len(rows), 0
        out: list[bytes] = []
        while i < n:
            j = i
            if isinstance(rows, range):
                j = n - 1
            else:
                while j + 1 < n and rows[j + 1] == rows[j] + 1:
                    j += 1
            first, last = rows[i], rows[j] + 1
            base = offsets[first]
            chunk = os.pread(self._fd, offsets[last] - base, base)
            out.extend(chunk[offsets[k] - base : offsets[k + 1] - base].rstrip() for k in range(first, last))
            i = j + 1
        return out


def _ordinal(line: bytes, pattern: re.Pattern[bytes], field: str, seen: dict[bytes, int]) -> int:
    match = pattern.search(line)
    if match is not None:
        raw = match.group(2)
    else:
        value = decoded(line).get(field)
        if value is not None and not isinstance(value, str):
            return NOT_A_DATE  # a number or an object: served as it is, never null
        raw = (value or "").encode()
    ordinal = seen.get(raw)
    if ordinal is None:
        ordinal = seen[raw] = _to_ordinal(raw.decode())
    return ordinal


def decoded(line: bytes) -> dict[str, object]:
    """A line's fields; none for a line that is not a JSON object (it is still served as it is,
    and the client sees what SAP would have sent)."""
    try:
        row = json.loads(line)
    except ValueError:
        return {}
    return row if isinstance(row, dict) else {}


def _to_ordinal(text: str) -> int:
    """The day's ordinal; `UNSET` for blank or SAP's initial 0000-00-00 (both served as null),
    `NOT_A_DATE` for anything else that is no day of the calendar."""
    if not text or text == _INITIAL_DATE:
        return UNSET
    if not _ISO_DATE.fullmatch(text):
        return NOT_A_DATE
    try:
        return date.fromisoformat(text).toordinal()
    except ValueError:
        return NOT_A_DATE


def _date_fields(sample: list[bytes], filterable: tuple[str, ...]) -> tuple[str, ...]:
    """Fields rendered as `/Date(ms)/`: the filter fields, and every field whose sampled values are
    all ISO dates (blanks aside)."""
    dates: set[str] = set()
    others: set[str] = set()
    for line in sample:
        for field, value in decoded(line).items():
            if value == "" or value is None:
                continue
            is_date = isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None
            (dates if is_date else others).add(field)
    fields = (dates - others) | set(filterable)
    return tuple(sorted(fields))


class Catalog:
    """The entity sets a data directory offers: every `<ENTITY>.jsonl` in it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._files: dict[str, EntityFile] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.data_dir.glob("*.jsonl"))

    def get(self, name: str) -> EntityFile | None:
        """The indexed entity `name`, or None when the directory has no such file."""
        path = self.data_dir / f"{name}.jsonl"
        if not path.is_file():
            return None
        with self._lock:
            entity = self._files.get(name)
            if entity is None:
                entity = self._files[name] = EntityFile(path, KNOWN_ENTITIES.get(name, EntityConfig(name)))
        entity.refresh()
        return entity

    def index_all(self) -> dict[str, int]:
        """Index every entity now (at start, so the first request is not the slow one)."""
        return {name: len(e) for name in self.names() if (e := self.get(name)) is not None}

    def close(self) -> None:
        with self._lock:
            for entity in self._files.values():
                entity.close()
            self._files.clear()
