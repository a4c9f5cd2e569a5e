"""Where a published dataset version's rows are in its gzip object, so a reader asking for a few rows
of a million inflates only the members that hold them (an explanation cites a few hundred rows of a
day's transactions, whose text is 120 MB).

The object (`data.csv.gz`, and its `origins.csv.gz`) is a series of gzip members, which every gzip
reader reads as one text: the header alone in the first, then `rows` rows in each after it (the last
may hold fewer). The version's manifest describes them under `members`:

- `rows`: the rows per member;
- `offsets`: where each member starts in the object, the header's first (0), then the object's length;
- `firsts` (the snapshot only, and only where the first column's text rises with the rows, as it does
  when that column is the key's first and holds text or dates): each row member's first row's first
  cell, unquoted. Every row whose first cell is `c` is then in a member `m` with
  `firsts[m] <= c <= firsts[m + 1]`, compared as UTF-8 bytes.

A description that does not hold together (offsets that do not rise from 0 to the object's length,
members that cannot hold the rows, `firsts` out of order or of the wrong count) is no index at all:
the reader reads the object whole, as it reads a version published before members were."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

MEMBER_ROWS = 512
"""About 60 KiB of a day's transactions: 5 % larger than one stream, and a cited row costs a
member's inflating, not the version's."""


@dataclass(frozen=True)
class Members:
    rows: int
    offsets: tuple[int, ...]
    firsts: tuple[bytes, ...] | None = None

    @property
    def count(self) -> int:
        """The row members (the header's is not one)."""
        return len(self.offsets) - 2

    def span(self, member: int) -> tuple[int, int]:
        """The bytes `[start, end)` of row member `member` (from 0)."""
        return self.offsets[member + 1], self.offsets[member + 2]

    def first_row(self, member: int) -> int:
        return member * self.rows

    def holding_rows(self, positions: Iterable[int]) -> dict[int, list[int]]:
        """The positions (from 0) by the member holding each, in order; positions beyond the rows are
        in no member."""
        found: dict[int, list[int]] = {}
        for position in sorted(set(positions)):
            member = position // self.rows
            if 0 <= member < self.count:
                found.setdefault(member, []).append(position)
        return found

    def holding_firsts(self, cells: Iterable[bytes]) -> list[int]:
        """The members (from 0, rising) that may hold a row whose first cell is one of `cells`;
        needs `firsts`."""
        assert self.firsts is not None
        firsts, found = self.firsts, set[int]()
        for cell in cells:
            found.update(range(max(bisect_left(firsts, cell) - 1, 0), bisect_right(firsts, cell)))
        return sorted(found)

    def described(self) -> dict[str, Any]:
        """The manifest's `members`."""
        described: dict[str, Any] = {"rows": self.rows, "offsets": list(self.offsets)}
        if self.firsts is not None:
            described["firsts"] = [first.decode("utf-8") for first in self.firsts]
        return described

    @classmethod
    def of(cls, described: object, *, size: int, rows: object) -> Members | None:
        """The manifest's `members` for an object of `size` bytes holding `rows` rows; None where it
        is absent or does not hold together."""
        if not isinstance(described, dict) or not isinstance(rows, int) or isinstance(rows, bool):
            return None
        per, offsets, firsts = described.get("rows"), described.get("offsets"), described.get("firsts")
        if not isinstance(per, int) or not _whole(per) or per < 1:
            return None
        if not isinstance(offsets, list) or not all(map(_whole, offsets)):
            return None
        if len(offsets) != -(-rows // per) + 2 or offsets[0] != 0 or offsets[-1] != size:
            return None
        if any(later <= earlier for earlier, later in pairwise(offsets)):
            return None
        members = cls(per, tuple(offsets))
        if firsts is None:
            return members
        if not isinstance(firsts, list) or len(firsts) != members.count:
            return None
        if not all(isinstance(first, str) for first in firsts):
            return None
        encoded = tuple(first.encode("utf-8") for first in firsts)
        if any(later < earlier for earlier, later in pairwise(encoded)):
            return None
        return cls(per, tuple(offsets), encoded)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
