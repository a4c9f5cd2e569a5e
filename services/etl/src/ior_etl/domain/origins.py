"""Where each row of a published version was read, beside its snapshot: `origins.csv.gz`, one line
per line of `data.csv.gz` in the same order, saying the source (the legacy file, e.g. `HTS_Code.csv`,
or the SAP table, e.g. `ZFMIOR001`), the row there (a legacy file's row as a spreadsheet shows it,
header = row 1; an extract's line) and which of the manifest's `inputs` it is (from 1; empty when
the build cannot say).

A companion file rather than a column: the snapshot's bytes, its schema and every reader of it (the
customs service, the ETL's own checks) stay as they were, and a version published before it is still
read, without citations. Deterministic like the snapshot: same build, same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
from ior_contracts.dataset_members import MEMBER_ROWS, Members

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.quarantine import Locate, Located, LocatesRows
from ior_etl.domain.snapshot import (
    InputChecksum,
    Snapshot,
    gzip_members,
    manifest_inputs,
    sha256_hex,
    snapshot_order,
)
from ior_etl.domain.snapshot_text import csv_quote

FILE = "origins.csv.gz"
COLUMNS = ("source", "row", "input")
LINE = "{},{},{}"


def origins_csv(
    build: DatasetBuild, locate: Locate, inputs: Sequence[InputChecksum], order: np.ndarray | None = None
) -> bytes | None:
    """The uncompressed CSV, or None for a build that does not say where its rows were read. `order`:
    the snapshot's order of the build's rows, when its writing has found it already."""
    pieces = origins_pieces(build, locate, inputs, order)
    return None if pieces is None else b"".join(pieces)


def origins_pieces(
    build: DatasetBuild,
    locate: Locate,
    inputs: Sequence[InputChecksum],
    order: np.ndarray | None = None,
    member_rows: int = MEMBER_ROWS,
) -> list[bytes] | None:
    """The CSV as the header, then `member_rows` rows a piece (the snapshot's gzip members' rows), or
    None for a build that does not say where its rows were read."""
    if build.sources is None:
        return None
    source = build.sources.source
    shown = csv_quote(source)
    numbered = {(i.uri, i.sha256): n for n, i in enumerate(manifest_inputs(inputs), start=1)}

    def number(found: Located | None) -> object:
        return "" if found is None else numbered.get((found.uri, found.sha256), "")

    rows = build.sources.rows[snapshot_order(build.frame, build.dataset) if order is None else order]
    header = (",".join(COLUMNS) + "\n").encode("utf-8")
    steps = range(0, len(rows), member_rows)
    if isinstance(locate, LocatesRows):
        located = locate.rows(source, rows)
        numbers = [str(number(found)) for found in located.objects]
        there, which = located.there, located.which
        pieces = (slice(at, at + member_rows) for at in steps)
        return [header, *(_located_lines(shown, there[rows], which[rows], numbers) for rows in pieces)]
    # Each row of the build is located once; a whole source's row is its own number there.
    lines = []
    for row in rows.tolist():
        there_row, found = locate(source, row)
        lines.append(LINE.format(shown, there_row, number(found)) + "\n")
    return [header, *("".join(lines[at : at + member_rows]).encode("utf-8") for at in steps)]


def _located_lines(shown: str, there: np.ndarray, which: np.ndarray, numbers: list[str]) -> bytes:
    """Each row's line, `\\n` ended; rows all read from one object (the usual case) in one join."""
    if not len(there):
        return b""
    if not (which != which[0]).any():
        head, tail = f"{shown},", f",{numbers[which[0]]}\n"
        return (head + (tail + head).join(map(str, there.tolist())) + tail).encode("utf-8")
    cited = np.array(numbers, dtype=object).take(which).tolist()
    lines = map(",".join, zip(repeat(shown), map(str, there.tolist()), cited))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_origins(
    build: DatasetBuild,
    locate: Locate,
    inputs: Sequence[InputChecksum],
    order: np.ndarray | None = None,
    member_rows: int = MEMBER_ROWS,
) -> Snapshot | None:
    """The companion file, in gzip members of the snapshot's rows (`ior_contracts.dataset_members`)."""
    pieces = origins_pieces(build, locate, inputs, order, member_rows)
    if pieces is None:
        return None
    data, offsets = gzip_members(pieces)
    return Snapshot(
        build.dataset, data, sha256_hex(data), len(build.frame), Members(member_rows, tuple(offsets))
    )


def described(origins: Snapshot) -> dict[str, Any]:
    """The manifest's entry for the companion file."""
    members = {"members": origins.members.described()} if origins.members is not None else {}
    return {"file": FILE, "sha256": origins.sha256, "columns": list(COLUMNS), "rows": origins.rows, **members}
