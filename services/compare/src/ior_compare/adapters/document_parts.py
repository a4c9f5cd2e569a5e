"""A run's lines document read in part (`domain.explanation.DocumentParts`): its head and the entries
an explanation cites, where the run's entry columns say they are.

With `customs-entry-columns/2` the lines object is a series of gzip members and the columns name
each entry's: only those members are inflated and cut at the entries' text offsets, fetched by
`Range` reads (ranges that overlap, touch or lie less than `GAP_BYTES` apart by one read, the bytes
between fetched but not inflated). The claim's SHA-256 covers the whole object and cannot be
checked on a part; each member's CRC-32 and length are (`inflate_members`), the text must reach the
entry's end and the entry found must be the one asked for, or the read is refused.

With `/1` (runs published before) the object may be a single stream, entered only at its start: it
is read whole, its checksum checked, and inflated as far as the last entry cited (`text_ranges`)."""

from __future__ import annotations

import bisect
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ior_contracts.claims import ClaimCheck
from ior_contracts.inflated import InflateError, Range, inflate_members, text_ranges

from ior_compare.adapters.line_columns import EntrySpans, MemberRanges
from ior_compare.ports import LinesShapeError


class ClaimReader(Protocol):
    def read(self, claim: ClaimCheck) -> bytes: ...
    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes: ...


GAP_BYTES = 1 << 20
"""Ranges less than this apart are fetched by one GET (the bytes between fetched, not inflated): a
megabyte's transfer costs about what another request's latency does."""


@dataclass(frozen=True)
class _Members:
    """Bytes `[start, end)` of the object: whole members, inflating to text from `text_start`."""

    start: int
    end: int
    text_start: int


class DocumentParts:
    """The head and the entries asked for of a run's lines document, read as its entry columns allow:
    by member ranges (`/2`), else from one pass over the gzip stream that ends at the last of them."""

    def __init__(
        self, objects: ClaimReader, claim: ClaimCheck, spans: EntrySpans, gap: int = GAP_BYTES
    ) -> None:
        self._objects = objects
        self._gap = gap
        self._claim = claim
        # Entries are looked up by position when asked for: a run has tens of thousands, an
        # explanation cites a few hundred (a span or members object each took 0.4 s a run).
        self._columns = spans
        self._at = dict(zip(spans.entry_ids, range(len(spans.entry_ids)), strict=True))
        # The document's fields before its entries hold all an explanation cites of its head: the
        # keys are sorted, and only the lists of lines set aside come after the entries.
        self._first = spans.entry_ids[int(spans.starts.argmin())] if spans.entry_ids else None
        self._head: Range = (0, int(spans.starts.min())) if spans.entry_ids else (0, None)
        self._closing = b"]}" if spans.entry_ids else b""
        self._before: bytes | None = None
        """The head's text once read by range: not fetched again for later entries."""

    def read(self, entry_ids: Collection[str]) -> tuple[Mapping[str, Any], dict[str, bytes]]:
        named = [entry_id for entry_id in entry_ids if entry_id in self._at]
        try:
            if self._columns.members is not None and self._first is not None:
                before, texts = self._ranged(named, self._columns.members, self._first)
            else:
                before, *found = text_ranges(
                    self._objects.read(self._claim), [self._head, *(self._span(e) for e in named)]
                )
                texts = dict(zip(named, found, strict=True))
        except InflateError as exc:
            raise LinesShapeError(f"{self._claim.uri} is not valid gzip: {exc}") from None
        try:
            head = json.loads(before + self._closing)
        except ValueError as exc:
            raise LinesShapeError(f"{self._claim.uri} has no entries where its columns say: {exc}") from None
        return head, texts

    def _span(self, entry_id: str) -> Range:
        at = self._at[entry_id]
        return int(self._columns.starts[at]), int(self._columns.ends[at])

    def _ranged(self, named: list[str], members: MemberRanges, first: str) -> tuple[bytes, dict[str, bytes]]:
        """The head (the text before the first entry, in the members up to the first entry's; once)
        and each entry named: each member holding one inflated once, in as few reads as hold them."""

        def member(entry_id: str) -> _Members:
            at = self._at[entry_id]
            starts, ends, texts = members.gzip_starts, members.gzip_ends, members.text_starts
            return _Members(int(starts[at]), int(ends[at]), int(texts[at]))

        head = _Members(0, member(first).end, 0)
        wanted = [member(entry_id) for entry_id in named]
        fetches = _merged(wanted if self._before is not None else [head, *wanted])
        texts = self._inflated(fetches)
        starts = [fetch.start for fetch in fetches]

        def text_of(fetch: _Members, span: Range, entry_id: str) -> bytes:
            k = bisect.bisect_right(starts, fetch.start) - 1
            start, end = span
            assert end is not None  # every span has its end
            offset = fetches[k].text_start
            if offset > start or len(texts[k]) < end - offset:
                reached = offset + len(texts[k])
                raise LinesShapeError(
                    f"{self._claim.uri}: the members at bytes {fetches[k].start}-{fetches[k].end} hold "
                    f"its text [{offset}, {reached}), not {entry_id}'s [{start}, {end})"
                )
            return texts[k][start - offset : end - offset]

        if self._before is None:
            self._before = text_of(head, self._head, "the head")
        found = {entry_id: text_of(member(entry_id), self._span(entry_id), entry_id) for entry_id in named}
        for entry_id, text in found.items():
            _check_entry(text, entry_id, self._claim.uri)
        return self._before, found

    def _inflated(self, ranges: list[_Members]) -> list[bytes]:
        """The text of each range (in order, none touching another), fetched by as few reads as
        ranges apart by less than the gap allow."""
        texts: list[bytes] = []
        for window in _merged(ranges, self._gap):
            body = self._objects.read_range(self._claim, window.start, window.end)
            for part in ranges[len(texts) :]:
                if part.end > window.end:
                    break
                low, high = part.start - window.start, part.end - window.start
                texts.append(self._inflated_part(body[low:high], part))
        return texts

    def _inflated_part(self, body: bytes, part: _Members) -> bytes:
        try:
            return inflate_members(body)
        except InflateError as exc:
            raise LinesShapeError(
                f"{self._claim.uri}: bytes {part.start}-{part.end} are not whole gzip members: {exc}"
            ) from None


def _merged(ranges: list[_Members], gap: int = 0) -> list[_Members]:
    """The ranges in order, those that overlap, touch or are less than `gap` apart joined (they start
    and end between members)."""
    merged: list[_Members] = []
    for fetch in sorted(ranges, key=lambda f: (f.start, f.end)):
        if merged and fetch.start - merged[-1].end < max(gap, 1):
            last = merged[-1]
            merged[-1] = _Members(last.start, max(last.end, fetch.end), last.text_start)
        else:
            merged.append(fetch)
    return merged


def _check_entry(text: bytes, entry_id: str, uri: str) -> None:
    """The text where the columns put an entry is that entry: a range of other members, or columns of
    another object, would otherwise cite the wrong entry's lines. Customs writes canonical JSON (keys
    sorted: `entry_id` before `lines`, and no object before them), so the text before its lines tells;
    only an entry that does not show its id there is parsed (the explanation parses each cited entry
    after, and parsing twice cost as much as the read)."""
    key = b'"entry_id":' + json.dumps(entry_id).encode()
    # A key's quotes are bare where a string's are escaped: this is the entry's own `entry_id`.
    before_lines = text[: text.find(b'"lines":')]
    at = before_lines.find(key) + len(key)
    if at >= len(key) and before_lines[at : at + 1] in (b",", b"}"):
        return
    try:
        found = json.loads(text).get("entry_id")
    except (ValueError, AttributeError):
        found = None
    if found != entry_id:
        raise LinesShapeError(f"{uri}: where its entry columns put entry {entry_id} is {found or 'no entry'}")
