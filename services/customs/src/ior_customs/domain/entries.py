"""DOMAIN §4 step 5: entries `<port>-<arrival yyyymmdd>-<shipment>`, ordered by id; lines
consolidated on (entry, HTS10, origin, part, stack), ordered by HTS10, origin, part, stack and
numbered from 1 within their entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from ior_customs.domain.columns import Coded
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.grouping import group_by, group_by_columns


class ConflictingEntryError(CustomsDomainError):
    """The lines of one entry name different transport modes."""


@dataclass(frozen=True)
class Entries:
    """The day's entries, ordered by id."""

    ids: list[str]
    ports: list[str]
    modes: list[str]
    of_row: npt.NDArray[np.int64]
    """Per row given, its entry (index into ids, which are sorted)."""


def identify_entries(
    port: Coded, shipment: Coded, mode: Coded, rows: npt.NDArray[np.int64], day: date
) -> Entries:
    """The entries of the invoice lines `rows`."""
    groups = group_by(port.codes[rows] * (len(shipment.labels) + 1) + shipment.codes[rows])
    first = groups.first_row
    stamp = day.strftime("%Y%m%d")
    ids = [
        f"{port.labels[port.codes[rows[i]]]}-{stamp}-{shipment.labels[shipment.codes[rows[i]]]}"
        for i in first
    ]
    order = np.argsort(np.array(ids, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    entry = rank[groups.of_row]
    modes = mode.codes[rows]
    lowest = np.full(len(groups), np.iinfo(np.int64).max)
    highest = np.full(len(groups), -1)
    np.minimum.at(lowest, entry, modes)
    np.maximum.at(highest, entry, modes)
    if (lowest != highest).any():
        raise ConflictingEntryError(
            f"entry {ids[order[np.argmax(lowest != highest)]]} has lines of several modes"
        )
    return Entries(
        ids=[ids[i] for i in order],
        ports=[str(port.labels[port.codes[rows[first[i]]]]) for i in order],
        modes=[str(mode.labels[lowest[r]]) for r in range(len(order))],
        of_row=entry,
    )


@dataclass(frozen=True)
class Consolidation:
    """Customs lines in reporting order (by entry, then line number) and the line of each row."""

    line_of_row: npt.NDArray[np.int64]
    first_row: npt.NDArray[np.int64]
    """A row of each line, lines in their final order (by entry, then line number)."""
    number: npt.NDArray[np.int64]
    """Per line, its number within its entry, from 1."""

    @property
    def n_lines(self) -> int:
        return len(self.first_row)


def consolidate(
    entry: npt.NDArray[np.int64],
    hts_rank: npt.NDArray[np.int64],
    origin_rank: npt.NDArray[np.int64],
    part: npt.NDArray[np.int64],
    stack_rank: npt.NDArray[np.int64],
) -> Consolidation:
    """Rows with equal keys form one line; every key is a rank, so the keys' order is the lines'."""
    groups = group_by_columns((entry, hts_rank, origin_rank, part, stack_rank))
    line_entry = entry[groups.first_row]
    starts = np.searchsorted(line_entry, line_entry, side="left")
    return Consolidation(groups.of_row, groups.first_row, np.arange(len(groups)) - starts + 1)
