"""CSV rows from columns given as codes into their distinct cell texts, assembled cheaply.

Joining a row's cells costs per cell, so neighbouring columns whose pairs of values are few are first
made one column: each pair's text (`a,b`) made once, its code picked by the rows. A day's
transactions go from 17 cells a row to 5 or so: the item, document type, dates, material and its
description repeat together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Texts = npt.NDArray[np.object_]
Codes = npt.NDArray[np.intp]

# Up to this many pairs, every pair's text is made without looking for the ones the rows hold.
EVERY_PAIR = 4_096
# A merged column's texts are at most this share of the rows: beyond it, making them costs about
# what joining the cells row by row costs.
PAIRS_SHARE = 0.125
# Which pairs the rows hold is found by marking them in an array of every pair: tried only while
# that array is not much larger than the rows.
_PRESENT_PER_ROW = 4
_PAIRS_AT_MOST = 1 << 26


@dataclass(frozen=True)
class Cells:
    """A column of cells: the distinct texts, and each row's code into them."""

    texts: Texts
    codes: Codes


def merged(columns: Sequence[Cells], every_pair: int = EVERY_PAIR, share: float = PAIRS_SHARE) -> list[Cells]:
    """The columns, neighbours made one where their pairs of values are few; the rows read the same."""
    if not columns:
        return []
    rows = len(columns[0].codes)
    most = max(every_pair, int(rows * share))
    made = [columns[0]]
    for column in columns[1:]:
        both = _pairs(made[-1], column, every_pair, most)
        if both is None:
            made.append(column)
        else:
            made[-1] = both
    return made


def _pairs(left: Cells, right: Cells, every_pair: int, most: int) -> Cells | None:
    width = len(right.texts)
    possible = len(left.texts) * width
    if possible > every_pair and (possible > _PRESENT_PER_ROW * len(left.codes) or possible > _PAIRS_AT_MOST):
        return None
    codes = left.codes * width + right.codes
    if possible <= every_pair:
        texts = (left.texts[:, np.newaxis] + "," + right.texts[np.newaxis, :]).ravel()
        return Cells(texts, codes)
    present = np.zeros(possible, dtype=bool)
    present[codes] = True
    pairs = np.flatnonzero(present)
    if len(pairs) > most:
        return None
    renumbered = np.cumsum(present, dtype=np.intp) - 1  # each present pair's position among them
    texts = left.texts.take(pairs // width) + "," + right.texts.take(pairs % width)
    return Cells(texts, renumbered.take(codes))


def csv_rows(columns: Sequence[Cells], block_rows: int, piece_rows: int | None = None) -> Iterator[bytes]:
    """The rows' CSV text, UTF-8, each row ending in `\\n`: a piece of `piece_rows` rows at a time
    (a gzip member's), or a block of `block_rows`. The cells are taken a block at a time either way:
    a piece's worth of numpy calls per column costs more than its rows' joins."""
    rows = len(columns[0].codes) if columns else 0
    piece = piece_rows or block_rows
    block_rows = max(block_rows // piece, 1) * piece
    for start in range(0, rows, block_rows):
        block = [column.texts.take(column.codes[start : start + block_rows]).tolist() for column in columns]
        lines = list(map(",".join, zip(*block, strict=True)))
        for at in range(0, len(lines), piece):
            yield ("\n".join(lines[at : at + piece]) + "\n").encode("utf-8")
