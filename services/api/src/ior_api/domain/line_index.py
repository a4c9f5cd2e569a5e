"""A run's lines as the dashboard searches, sorts, pages and totals them: seven columns of every line
(`LineIndex`), which a run's published line columns hold, and the lines in full only for the page
shown, from their entries. A day of half a million lines is then a few lists of numbers and shared
strings, not half a million dictionaries. Plain data, no AWS."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ior_api.domain.lines import (
    LineFilter,
    cents,
    entry_lines,
    entry_summary,
    flatten,
    hts_starts,
    mentions_in_sources,
    names_description,
    names_entry,
    names_hts,
    same_origin,
)

T = TypeVar("T")
LineKey = tuple[str, int]
"""A line by its entry id and number."""


class LinesMismatchError(ValueError):
    """A run's line columns name a line its entries do not hold."""


@dataclass(frozen=True)
class LineIndex:
    """Every line of a run in filing order (by entry, then line), one list per column."""

    entry_id: list[str]
    line: list[int]
    hts10: list[str]
    origin: list[str]
    description: list[str | None]
    value: list[int]
    duty_cents: list[int]

    def __len__(self) -> int:
        return len(self.line)

    @classmethod
    def of_lines(cls, lines: Iterable[Mapping[str, Any]]) -> LineIndex:
        """The index of lines as a lines document holds them (`domain.lines.flatten`)."""
        index = cls([], [], [], [], [], [], [])
        for line in lines:
            index.entry_id.append(line["entry_id"])
            index.line.append(int(line["line"]))
            index.hts10.append(line["hts10"])
            index.origin.append(line["origin"])
            index.description.append(line.get("description"))
            index.value.append(int(line["value"]))
            index.duty_cents.append(cents(line["duty"]))
        return index


SORT_COLUMNS = {
    "entry_id": "entry_id",
    "line": "line",
    "hts10": "hts10",
    "origin": "origin",
    "description": "description",
    "value": "value",
    "duty": "duty_cents",
}
"""Each of `domain.lines.SORTS` by the index column it orders by."""


def matching(index: LineIndex, where: LineFilter, sourced: Collection[LineKey] = ()) -> list[int]:
    """The positions of the lines `where` keeps, in filing order, as `LineFilter.keeps` decides:
    `sourced` are the lines whose invoice documents or materials are the filter's text
    (`mentions_in_sources`), which only their entries hold."""
    tests: list[tuple[list[Any], Callable[[Any], bool]]] = []
    if where.entry is not None:
        tests.append((index.entry_id, lambda entry_id: entry_id == where.entry))
    if where.hts is not None:
        hts = where.hts
        tests.append((index.hts10, lambda hts10: hts_starts(hts10, hts)))
    if where.origin is not None:
        origin = where.origin
        tests.append((index.origin, lambda found: same_origin(found, origin)))
    # Each test runs once per distinct value: a day's lines share a few thousand of each.
    kept = [(column, _verdicts(column, test)) for column, test in tests]
    wanted = where.wanted
    if not kept and not wanted:
        return list(range(len(index)))
    named: tuple[dict[Any, bool], ...] = ()
    if wanted:
        named = (
            _verdicts(index.entry_id, lambda entry_id: names_entry(wanted, entry_id)),
            _verdicts(index.description, lambda text: names_description(wanted, text)),
            _verdicts(index.hts10, lambda hts10: names_hts(wanted, hts10)),
        )
    by_entry, by_description, by_hts = named or ({}, {}, {})
    positions = []
    for at in range(len(index)):
        if not all(verdicts[column[at]] for column, verdicts in kept):
            continue
        if wanted and not (
            by_entry[index.entry_id[at]]
            or by_description[index.description[at]]
            or by_hts[index.hts10[at]]
            or (index.entry_id[at], index.line[at]) in sourced
        ):
            continue
        positions.append(at)
    return positions


def _verdicts(column: list[T], test: Callable[[T], bool]) -> dict[T, bool]:
    return {value: test(value) for value in set(column)}


def ordered(index: LineIndex, positions: list[int], by: str | None, descending: bool = False) -> list[int]:
    """`positions` ordered by one of `SORT_COLUMNS` (nulls last either way, ties in filing order);
    as they are when `by` is None."""
    if by is None:
        return positions
    column: list[Any] = getattr(index, SORT_COLUMNS[by])
    present = [at for at in positions if column[at] is not None]
    absent = [at for at in positions if column[at] is None]
    return sorted(present, key=column.__getitem__, reverse=descending) + absent


def totals_at(index: LineIndex, positions: list[int]) -> dict[str, int]:
    """What the lines at `positions` add up to: lines, entries, value (whole dollars), duty (cents)."""
    return {
        "lines": len(positions),
        "entries": len({index.entry_id[at] for at in positions}),
        "value": sum(index.value[at] for at in positions),
        "duty_cents": sum(index.duty_cents[at] for at in positions),
    }


def entries_at(index: LineIndex, positions: list[int]) -> list[str]:
    """The entries of the lines at `positions`, each once, in filing order: the index is in filing
    order, so an entry's first line among them places it."""
    first: dict[str, int] = {}
    for at in positions:
        entry_id = index.entry_id[at]
        if at < first.get(entry_id, len(index)):
            first[entry_id] = at
    return sorted(first, key=first.__getitem__)


def lines_at(
    index: LineIndex, positions: list[int], entries: Mapping[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The lines at `positions` in full (`domain.lines.flatten`'s shape), from their `entries`."""
    held: dict[str, dict[int, dict[str, Any]]] = {}
    found = []
    for at in positions:
        entry_id, number = index.entry_id[at], index.line[at]
        if entry_id not in held:
            if entry_id not in entries:
                raise LinesMismatchError(f"the run's columns name entry {entry_id}, which was not read")
            held[entry_id] = {int(line["line"]): line for line in entry_lines(entries[entry_id])}
        line = held[entry_id].get(number)
        if line is None:
            raise LinesMismatchError(f"the run's columns name line {number} of {entry_id}, which it lacks")
        found.append(line)
    return found


def summaries(entry_ids: list[str], entries: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry_summary(entries[entry_id]) for entry_id in entry_ids]


class DocumentLines:
    """A run's lines from its whole lines document, parsed: runs published without line columns
    (before them, or with a description of empty text, which the columns cannot write)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self.index = LineIndex.of_lines(flatten(document))
        self._entries = {entry["entry_id"]: entry for entry in document.get("entries", [])}

    def entries(self, entry_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        return {entry_id: self._entries[entry_id] for entry_id in entry_ids if entry_id in self._entries}

    def sourced(self, wanted: str) -> frozenset[LineKey]:
        return frozenset(
            (line["entry_id"], int(line["line"]))
            for line in flatten(self._document)
            if mentions_in_sources(wanted, line)
        )

    def head(self) -> dict[str, Any]:
        return {key: value for key, value in self._document.items() if key != "entries"}

    def quarantined(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._document.get("quarantined", [])
        return found
