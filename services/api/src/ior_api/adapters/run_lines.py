"""A customs run's lines as the dashboard reads them (`ports.RunLines`), from the objects its
`customs.lines.generated.v1` names under the customs `published/` prefix.

A run published with its columns (`line_columns`, `entry_columns` at `customs-entry-columns/2`) is
read from them: the line columns for searching, sorting and totals, and only the entries a page
shows from the lines object, by `Range` reads of their gzip members (`ior_contracts.inflated`). A
million-line day is then 13 MB of columns and a few hundred kilobytes per page, where its JSON is
48 MB of gzip and 1.7 GB parsed, beyond the API function's memory. Each column object's SHA-256 is
checked; a part of the lines object cannot be, so each member's CRC-32 and length are, and each
entry read must be the one asked for. A search for an invoice document or material reads the lines
object whole (its checksum checked) and parses only the entries whose text holds it.

Other runs (published before the columns, or whose columns could not be written) are read from
their whole lines document (`domain.line_index.DocumentLines`)."""

from __future__ import annotations

import bisect
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ior_contracts import collector
from ior_contracts.claims import ClaimCheck
from ior_contracts.inflated import InflateError, inflate_members, steps
from ior_contracts.line_columns import ENTRY_COLUMNS_SCHEMA

from ior_api.adapters.line_columns import EntryPlaces, entry_places, line_index
from ior_api.adapters.lines import LinesReader
from ior_api.domain.line_index import DocumentLines, LineIndex, LineKey
from ior_api.domain.lines import material_key, mentions_in_sources
from ior_api.ports import ClaimCheckError, RunLines

CACHE_SIZE = 4
"""Runs kept open per process (a million-line day's index is about 100 MB); their objects are
immutable, so what was read of one stays true."""
SEARCHES_KEPT = 16
GAP_BYTES = 1 << 20
"""Members less than this apart are fetched by one GET: a megabyte's transfer costs about what
another request's latency does."""
FETCHES = 8
"""GETs at once for a page whose entries lie far apart (sorted by value, say)."""

Fetch = Callable[[int, int | None], bytes]
"""The lines object's bytes `[start, end)`, to its end when `end` is None."""


class RunLinesReader:
    """Opens a run's lines, keeping the last `CACHE_SIZE` runs opened."""

    def __init__(self, documents: LinesReader) -> None:
        self._documents = documents
        self._open: OrderedDict[str, RunLines] = OrderedDict()
        # Served locally by a thread pool, requests for one run would each read its columns.
        self._lock = threading.Lock()

    def open(self, run: Mapping[str, Any]) -> RunLines:
        with self._lock:
            return self._opened(run)

    def _opened(self, run: Mapping[str, Any]) -> RunLines:
        lines = ClaimCheck.model_validate(run["lines"])
        if lines.sha256 in self._open:
            self._open.move_to_end(lines.sha256)
            return self._open[lines.sha256]
        opened: RunLines
        line_columns, entry_columns = run.get("line_columns"), run.get("entry_columns")
        if line_columns and entry_columns and entry_columns["schema_version"] == ENTRY_COLUMNS_SCHEMA:
            opened = PublishedLines(
                self._documents,
                lines,
                ClaimCheck.model_validate(line_columns),
                ClaimCheck.model_validate(entry_columns),
            )
        else:
            opened = DocumentLines(self._documents.read(lines))
        self._open[lines.sha256] = opened
        if len(self._open) > CACHE_SIZE:
            self._open.popitem(last=False)
        return opened


class PublishedLines:
    """A run's lines from its columns, and its entries from their gzip members (module docstring)."""

    def __init__(
        self,
        documents: LinesReader,
        lines: ClaimCheck,
        line_columns: ClaimCheck,
        entry_columns: ClaimCheck,
    ) -> None:
        self._documents = documents
        self._lines = lines
        self._line_columns = line_columns
        self._entry_columns = entry_columns
        self._index: LineIndex | None = None
        self._places: EntryPlaces | None = None
        self._head: dict[str, Any] | None = None
        self._searched: OrderedDict[str, frozenset[LineKey]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def index(self) -> LineIndex:
        with self._lock:
            if self._index is None:
                claim = self._line_columns
                self._index = line_index(self._documents.verified(claim), claim.uri)
            return self._index

    @property
    def places(self) -> EntryPlaces:
        with self._lock:
            if self._places is None:
                claim = self._entry_columns
                self._places = entry_places(self._documents.verified(claim), claim.uri)
            return self._places

    def entries(self, entry_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        return self._entries(entry_ids, self._fetch)

    def _fetch(self, start: int, end: int | None) -> bytes:
        return self._documents.ranged(self._lines, start, end)

    def head(self) -> dict[str, Any]:
        if self._head is None:
            places = self.places
            if not places.entry_ids:
                return {k: v for k, v in self._documents.read(self._lines).items() if k != "entries"}
            first = min(range(len(places.entry_ids)), key=places.json_start.__getitem__)
            text = self._members(self._fetch(0, places.gzip_end[first]), 0)
            # The document's fields before its entries, closed where its entries would be.
            self._head = self._parsed(text[: places.json_start[first]] + b"]}", "its head")
        return self._head

    def quarantined(self) -> list[dict[str, Any]]:
        places = self.places
        if not places.entry_ids:
            found: list[dict[str, Any]] = self._documents.read(self._lines).get("quarantined", [])
            return found
        last = max(range(len(places.entry_ids)), key=places.json_end.__getitem__)
        start = places.gzip_start[last]
        text = self._members(self._fetch(start, None), start)
        # The fields after its entries: `],"held_out":[…],"quarantined":[…]}`.
        tail = text[places.json_end[last] - places.text_start[last] :]
        closing = self._parsed(b'{"entries":[' + tail, "its closing")
        return list(closing.get("quarantined", []))

    def sourced(self, wanted: str) -> frozenset[LineKey]:
        if wanted in self._searched:
            self._searched.move_to_end(wanted)
            return self._searched[wanted]
        body = self._documents.verified(self._lines)
        places = self.places
        order = sorted(range(len(places.entry_ids)), key=places.json_start.__getitem__)
        starts = [places.json_start[k] for k in order]
        hits = _entries_mentioning(body, _needles(wanted), starts, self._lines.uri)
        named = {places.entry_ids[order[k]] for k in hits}
        entries = self._entries(named, lambda start, end: body[start:end])
        found = frozenset(
            (entry["entry_id"], int(line["line"]))
            for entry in entries.values()
            for line in entry["lines"]
            if mentions_in_sources(wanted, line)
        )
        self._searched[wanted] = found
        if len(self._searched) > SEARCHES_KEPT:
            self._searched.popitem(last=False)
        return found

    def _entries(self, entry_ids: Collection[str], fetch: Fetch) -> dict[str, dict[str, Any]]:
        """The entries named, each inflated from its own members, fetched in as few reads as members
        less than `GAP_BYTES` apart allow."""
        places = self.places
        wanted = sorted({places.at[entry_id] for entry_id in entry_ids if entry_id in places.at})
        members = sorted({(places.gzip_start[k], places.gzip_end[k]) for k in wanted})
        windows = _windows(members)
        with ThreadPoolExecutor(max_workers=min(FETCHES, len(windows) or 1)) as pool:
            bodies = list(pool.map(lambda window: fetch(*window), windows))
        starts = [start for start, _ in windows]
        texts: dict[int, bytes] = {}
        found = {}
        with collector.paused():
            for k in wanted:
                start, end = places.gzip_start[k], places.gzip_end[k]
                if start not in texts:
                    w = bisect.bisect_right(starts, start) - 1
                    low = start - windows[w][0]
                    texts[start] = self._members(bodies[w][low : low + end - start], start)
                entry_id = places.entry_ids[k]
                found[entry_id] = self._entry(texts[start], k)
        return found

    def _entry(self, text: bytes, k: int) -> dict[str, Any]:
        """Entry `k` from the text its members inflate to, shown to be that entry."""
        places, entry_id = self.places, self.places.entry_ids[k]
        low, high = places.json_start[k] - places.text_start[k], places.json_end[k] - places.text_start[k]
        if low < 0 or high > len(text):
            raise ClaimCheckError(
                f"{self._lines.uri}: the members at byte {places.gzip_start[k]} lack {entry_id}"
            )
        entry = self._parsed(text[low:high], entry_id)
        if entry.get("entry_id") != entry_id:
            found = entry.get("entry_id")
            raise ClaimCheckError(f"{self._lines.uri}: where its entry columns put {entry_id} is {found}")
        return entry

    def _members(self, body: bytes, start: int) -> bytes:
        try:
            return inflate_members(body)
        except InflateError as exc:
            raise ClaimCheckError(
                f"{self._lines.uri}: bytes from {start} are not whole gzip members: {exc}"
            ) from None

    def _parsed(self, text: bytes, what: str) -> dict[str, Any]:
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise ClaimCheckError(f"{self._lines.uri}: {what} is not where its columns say: {exc}") from None
        if not isinstance(parsed, dict):
            raise ClaimCheckError(f"{self._lines.uri}: {what} is not an object")
        return parsed


def _windows(members: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte ranges to fetch: the members' (sorted), each joined to the last when less than
    `GAP_BYTES` after it."""
    windows: list[tuple[int, int]] = []
    for start, end in members:
        if windows and start - windows[-1][1] < GAP_BYTES:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def _needles(wanted: str) -> tuple[re.Pattern[bytes], ...]:
    """Where a lines document's text, ASCII lower-cased, may hold `wanted` as an invoice document (the
    first of a `sources` pair) or a material (in a line's `source_materials`; a number of digits
    with any leading zeros): never a description or a flag that reads the same. SAP's document and
    material numbers are ASCII; each entry found is then checked exactly (`mentions_in_sources`)."""
    document = re.escape(json.dumps(wanted, ensure_ascii=False).encode().lower())
    material = material_key(wanted)
    if material.isdigit():
        quoted = b'"0*' + material.encode() + b'"'
    else:
        quoted = re.escape(json.dumps(material, ensure_ascii=False).encode().lower())
    return (
        re.compile(rb"\[" + document + rb",[0-9]+\]"),
        re.compile(rb'"source_materials":\[(?:[^\]]*?,)?' + quoted + rb"[,\]]"),
    )


def _entries_mentioning(
    body: bytes, needles: tuple[re.Pattern[bytes], ...], starts: list[int], uri: str
) -> set[int]:
    """The positions in `starts` (the entries' text offsets, ascending) of the entries where a needle
    matches, the gzip `body` inflated a step at a time. Text is searched up to the last entry start
    it reaches and the rest carried: a match lies within one line, so none is cut."""
    found: set[int] = set()
    carried, at = b"", 0  # the text not yet searched, and its offset

    def search(text: bytes, offset: int) -> None:
        for needle in needles:
            for match in needle.finditer(text):
                found.add(bisect.bisect_right(starts, offset + match.start()) - 1)

    try:
        for chunk in steps(body):
            carried += chunk
            k = bisect.bisect_right(starts, at + len(carried)) - 1
            cut = starts[k] - at if k >= 0 and starts[k] > at else 0
            if cut:
                search(carried[:cut].lower(), at)
                carried, at = carried[cut:], at + cut
    except InflateError as exc:
        raise ClaimCheckError(f"{uri} is not valid gzip: {exc}") from None
    search(carried.lower(), at)
    found.discard(-1)
    return found
