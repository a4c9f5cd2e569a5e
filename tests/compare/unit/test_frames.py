"""The input contract: a bad frame is refused with an error that names the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ior_compare.domain.engine import compare
from ior_compare.domain.frames import (
    ENTRY_COLUMNS,
    LINE_COLUMNS,
    FrameContractError,
    empty_entries,
    empty_lines,
    validate_entries,
    validate_lines,
)

from .builders import entries, entry, line, lines


def test_a_valid_frame_is_returned_unchanged() -> None:
    frame = lines(line())
    assert validate_lines(frame) is frame
    assert validate_entries(entries(entry())) is not None


def test_empty_frames_follow_the_contract() -> None:
    assert list(validate_lines(empty_lines()).columns) == list(LINE_COLUMNS)
    assert list(validate_entries(empty_entries()).columns) == list(ENTRY_COLUMNS)


def test_errors_name_the_missing_column() -> None:
    with pytest.raises(FrameContractError, match=r"lines: missing column\(s\) 'gross_kg'"):
        validate_lines(lines(line()).drop(columns="gross_kg"))


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("value", ["1000"], r"column 'value' must be integer \(got dtype str\)"),
        ("value", [10.5], r"column 'value' must be integer \(float column with fractional"),
        ("net_kg", [True], r"column 'net_kg' must be integer \(got dtype bool\)"),
        ("stack", [12], r"column 'stack' must be text \(got dtype int64\)"),
        (
            "description",
            np.array([1], dtype=object),
            r"column 'description' must be text \(object column holding",
        ),
        ("entry_id", pd.array([None], dtype="str"), r"column 'entry_id' must be key \(1 null values"),
    ],
)
def test_errors_name_the_mistyped_column(column: str, values: object, message: str) -> None:
    frame = lines(line()).assign(**{column: values})
    with pytest.raises(FrameContractError, match=message):
        validate_lines(frame)


def test_an_unknown_part_is_refused() -> None:
    with pytest.raises(FrameContractError, match="'part' must be one of whole, non_metal, metal"):
        validate_lines(lines(line(part="steel")))


def test_entries_need_a_boolean_formal() -> None:
    with pytest.raises(FrameContractError, match=r"entries: column 'formal' must be boolean"):
        validate_entries(entries(entry()).assign(formal=["no"]))


def test_whole_floats_and_nullable_integers_are_accepted() -> None:
    frame = lines(line()).assign(value=[1000.0], duty_cents=pd.array([None], dtype="Int64"))
    assert validate_lines(frame) is frame


def test_compare_validates_its_inputs() -> None:
    with pytest.raises(FrameContractError, match="entries: missing column"):
        compare(lines(line()), lines(line()), entries(entry()).drop(columns="flags"), entries(entry()))


def test_a_non_frame_is_refused() -> None:
    with pytest.raises(FrameContractError, match="expected a pandas DataFrame"):
        validate_lines([line()])


def test_compare_names_a_null_key_and_an_unknown_part() -> None:
    same = entries(entry())
    with pytest.raises(FrameContractError, match=r"lines: column 'hts10' must be key \(1 null values"):
        compare(lines(line()).assign(hts10=pd.array([None], dtype="str")), lines(line()), same, same)
    with pytest.raises(FrameContractError, match="'part' must be one of"):
        compare(lines(line()), lines(line(part="steel")), same, same)
