"""An incremental source as one frame: the union of its extracts, the newest deciding.

Each extract is the whole of SAP for the dates of its window at the time it landed. So, extracts in
landing order, a row is kept from the newest extract that speaks for it:
- a date in a later extract's window belongs to that extract (a row it no longer has is gone);
- a key a later extract holds belongs to that extract (a document that moved date moved once).
An extract whose window later extracts cover entirely has nothing left to say and is not read.
With a daily source and a 7-day look-back each extract stays the only one holding the first day of
its window, so the extracts kept grow by one a day: a year of them is a few hundred small reads per
build, and every one is named as an input of the version it made.

Rows are numbered afresh across the union (row numbers in the validation must be unique); `origins`
says, per new row number, which extract and line each came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ior_etl.domain.sources import Incremental
from ior_etl.domain.validation import ROW
from ior_etl.ports import LandedExtract

_SEPARATOR = "\x1f"


@dataclass(frozen=True, eq=False)
class Part:
    extract: LandedExtract
    frame: pd.DataFrame  # the extract's text frame, with its `source_row` (line numbers)


@dataclass(frozen=True, eq=False)
class Merged:
    frame: pd.DataFrame
    extracts: tuple[LandedExtract, ...]  # the parts', oldest first
    part: np.ndarray  # per new row (position = row number − 1): its extract, a position in `extracts`
    line: np.ndarray  # per new row: its line in that extract

    @property
    def origins(self) -> list[tuple[LandedExtract, int]]:
        """Per new row (position = row number − 1), the extract and line it came from."""
        return [
            (self.extracts[p], line) for p, line in zip(self.part.tolist(), self.line.tolist(), strict=True)
        ]


def _cover(spans: list[tuple[date, date]], start: date, end: date) -> bool:
    """Whether the union of `spans` holds every day from `start` to `end`."""
    day = start
    for low, high in sorted(spans):
        if low > day:
            break
        if high >= day:
            day = high + timedelta(days=1)
        if day > end:
            return True
    return day > end


def kept(extracts: Sequence[LandedExtract]) -> list[LandedExtract]:
    """The extracts still needed, oldest first."""
    ordered = sorted(extracts, key=lambda e: e.order)
    keep: list[LandedExtract] = []
    later: list[tuple[date, date]] = []
    for extract in reversed(ordered):
        if not _cover(later, extract.window_from, extract.window_to):
            keep.append(extract)
        later.append((extract.window_from, extract.window_to))
    return keep[::-1]


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    joined = frame[key[0]].astype("str")
    for column in key[1:]:
        joined = joined + _SEPARATOR + frame[column].astype("str")
    return joined


def merge(parts: Sequence[Part], incremental: Incremental) -> Merged:
    """`parts` (at least one) oldest first, as `kept` orders them → one frame, the newest deciding."""
    if not parts:
        raise ValueError("an incremental source needs at least one extract")
    later_windows: list[tuple[str, str]] = []
    later_keys: set[str] = set()
    pieces: list[pd.DataFrame] = []
    for age, part in enumerate(reversed(parts)):
        frame, oldest = part.frame, age == len(parts) - 1
        keep = np.ones(len(frame), dtype=bool)
        if later_windows:
            dates = frame[incremental.date_field].astype("str")
            for low, high in later_windows:
                keep &= ~((dates >= low) & (dates <= high)).to_numpy()
        # The oldest part's keys decide nothing after it: neither joined nor remembered.
        if later_keys or not oldest:
            keys = _keys(frame, incremental.key)
            if later_keys:
                keep &= ~keys.isin(later_keys).to_numpy()
            if not oldest:
                later_keys.update(keys.tolist())
        pieces.append(frame if keep.all() else frame[keep])
        later_windows.append((part.extract.window_from.isoformat(), part.extract.window_to.isoformat()))
    pieces.reverse()
    sizes = [len(piece) for piece in pieces]
    part_of_row = np.repeat(np.arange(len(pieces)), sizes)
    line = np.concatenate([piece[ROW].to_numpy(dtype=np.int64) for piece in pieces])
    frame = pd.concat(pieces, ignore_index=True)
    frame[ROW] = pd.Series(np.arange(1, len(frame) + 1, dtype=np.int64), index=frame.index)
    return Merged(frame, tuple(p.extract for p in parts), part_of_row, line)
