"""A presigned upload's file is checked and read in one reading (`LegacyFile.read_checked`): the
problems the direct upload's check (`LegacyFormat.check`) finds, in its order and to its limit, for a
file that breaks its format; the read `LegacyFile.read` makes, for one that keeps it. Held against
both, over every legacy file of the sample company with cells and rows broken anywhere."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ior_contracts.legacy.csv_file import BOM, LegacyFileError
from ior_contracts.legacy.formats import FormatReport
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.legacy.reading import LegacyRead

SETTINGS = settings(max_examples=40, deadline=None)
# Texts that break one column's format or another's, that keep them, and that no column may hold.
CELLS = [
    "", "x", "13/45/2026", "2026-03-31", "03/16/2026", "1,23", "12,345.6", "-0", "\x00", "ab\x00c",
    "China", "Atlantis", "8517.62.0020", "8517620020", "KG", "EA", "Y", "7.5%", "Free", "0001",
    "10000004", "a,b", 'q"q', "Zoë",
]  # fmt: skip


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def _file(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return BOM + out.getvalue().encode("utf-8")


@st.composite
def broken(draw: st.DrawFn, rows: list[list[str]]) -> bytes:
    """The file with a few cells changed and rows made too short, too long or empty."""
    changed = [list(row) for row in rows]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(1, len(changed) - 1))
        kind = draw(st.sampled_from(["cell", "cell", "cell", "short", "long", "empty"]))
        if kind == "cell" and changed[at]:
            changed[at][draw(st.integers(0, len(changed[at]) - 1))] = draw(st.sampled_from(CELLS))
        elif kind == "short" and changed[at]:
            changed[at] = changed[at][:-1]
        elif kind == "long":
            changed[at] = [*changed[at], "extra"]
        elif kind == "empty":
            changed[at] = []
    return _file(changed)


def _outcome(call: Any) -> Any:
    try:
        return call()
    except LegacyFileError as error:
        return ("refused", str(error), error.rule)


@pytest.fixture(scope="module")
def files(sample: Path) -> dict[str, list[list[str]]]:
    """Each legacy file of the sample company, its rows (the header first)."""
    found = {}
    for kind, legacy in MANUAL.items():
        name = legacy.format.file
        [first, *_] = sorted((sample / "legacy").glob(f"*/{name}"))  # the reference, or the first day's
        found[kind] = _rows(first.read_bytes())
    return found


@pytest.mark.parametrize("kind", sorted(MANUAL))
@SETTINGS
@given(data=st.data(), limit=st.sampled_from([None, 1, 2, 5, 10_000]))
def test_a_file_is_checked_and_read_in_one_reading_as_the_check_and_the_read_make_it(
    files: dict[str, list[list[str]]], kind: str, data: st.DataObject, limit: int | None
) -> None:
    # GIVEN a legacy file with cells and rows broken anywhere (or none)
    legacy = MANUAL[kind]
    body = data.draw(broken(files[kind]))
    # WHEN it is checked and read in one reading
    found = _outcome(lambda: legacy.read_checked(body, max_problems=limit))
    # THEN a file with problems gives the check's report: the same problems, rows and stop
    checked = _outcome(lambda: legacy.format.check(body, max_problems=limit))
    if isinstance(checked, FormatReport) and checked.problems:
        assert isinstance(found, FormatReport)
        assert (found.problems, found.rows, found.stopped_at) == (
            checked.problems,
            checked.rows,
            checked.stopped_at,
        )
        return
    # AND one refused whole is refused in the same words; a clean one is read as the read reads it
    assert found == checked if not isinstance(checked, FormatReport) else isinstance(found, LegacyRead)
    if isinstance(found, LegacyRead):
        read = legacy.read(body)
        assert found.frames.keys() == read.frames.keys()
        for name, frame in read.frames.items():
            pd.testing.assert_frame_equal(found.frames[name], frame)
        pd.testing.assert_frame_equal(found.rejected, read.rejected)
        assert found.columns == read.columns


def test_a_break_of_the_whole_file_after_the_checks_limit_is_refused_whole(
    files: dict[str, list[list[str]]],
) -> None:
    # GIVEN invoice lines whose first row has a bad date and whose last row ends in LF alone
    rows = [list(row) for row in files["invoice_lines"]]
    header = rows[0]
    rows[1][header.index("Billing Date")] = "2026-03-16"
    body = _file(rows)[: -len(b"\r\n")] + b"\n"
    legacy = MANUAL["invoice_lines"]
    # WHEN the check stops at its first problem  THEN it reports the date, not having read on
    report = legacy.format.check(body, max_problems=1)
    assert [(p.row, p.column) for p in report.problems] == [(2, "Billing Date")]
    # AND the one reading, which reads every row, refuses the file whole for its line end, as the
    # check does without a limit
    with pytest.raises(LegacyFileError, match="LF where CRLF") as refused:
        legacy.read_checked(body, max_problems=1)
    with pytest.raises(LegacyFileError) as checked:
        legacy.format.check(body)
    assert str(refused.value) == str(checked.value)
