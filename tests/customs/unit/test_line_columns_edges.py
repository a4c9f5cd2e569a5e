"""The compared columns on the edges of their fast paths: whole numbers written by `str` a column at
a time are the cells the per-distinct-value path writes for the same numbers held as Python
objects; a run of no lines has the header alone; an entry's text across two members is located by
both, and spans beyond the members' text are refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ior_contracts.line_columns import LINE_COLUMNS, names
from ior_customs.domain import process
from ior_customs.domain.line_columns import GzipMember, entry_columns_csv, line_columns_csv

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case

WHOLE_NUMBERS = ("line", "value_usd", "duty_cents", "net_kg", "gross_kg")


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_whole_numbers_are_the_same_cells_whether_held_as_int64_or_as_python_objects(path: Path) -> None:
    # GIVEN a run's lines, and the same lines with their whole numbers (negative and large among them)
    # held as Python objects
    lines = process(inputs_from_case(load_case(path))).lines
    odd = [-(10**15), -1, 0, 7, 2**62]
    lines = lines.assign(value_usd=[odd[i % len(odd)] for i in range(len(lines))])
    as_objects = lines.astype({column: object for column in WHOLE_NUMBERS})
    assert all(lines[column].dtype == np.int64 for column in WHOLE_NUMBERS)
    # WHEN the columns are written from each THEN they are the same bytes
    assert line_columns_csv(lines) == line_columns_csv(as_objects)


def test_a_run_of_no_lines_or_entries_writes_the_header_alone() -> None:
    # GIVEN a run's frames with every line and entry taken away
    result = process(inputs_from_case(load_case(golden_files()[0])))
    # WHEN their columns are written THEN each is its header alone
    assert line_columns_csv(result.lines.iloc[:0]) == (",".join(names(LINE_COLUMNS)) + "\n").encode()
    entries = entry_columns_csv(result.entries.iloc[:0], [], [])
    assert entries.count(b"\n") == 1
    assert pd.read_csv(io.BytesIO(entries)).empty


def test_an_entry_whose_text_crosses_members_is_located_by_every_member_it_is_in() -> None:
    # GIVEN a run of two entries, and members cut inside the second entry's text
    result = process(inputs_from_case(load_case(golden_files()[0])))
    assert len(result.entries) == 2
    spans = [(10, 50), (51, 120)]
    members = [GzipMember(0, 60, 0, 30), GzipMember(60, 100, 30, 55), GzipMember(100, 130, 55, 70)]
    # WHEN the entry columns are written
    rows = list(csv.DictReader(io.StringIO(entry_columns_csv(result.entries, spans, members).decode())))
    # THEN the first entry is in the first member, the second in all three, read from the first's text
    located = [tuple(int(row[k]) for k in ("gzip_start", "gzip_end", "gzip_text_start")) for row in rows]
    assert located == [(0, 30, 0), (0, 70, 0)]


def test_spans_beyond_the_members_text_are_refused() -> None:
    result = process(inputs_from_case(load_case(golden_files()[0])))
    with pytest.raises(ValueError, match="beyond the 100 bytes"):
        entry_columns_csv(result.entries, [(0, 50), (51, 101)], [GzipMember(0, 100, 0, 40)])
