"""The lines' texts made a column at a time (`line_json.line_texts`) against the plain reading of the
format on generated lines: each text is its record (`Result.to_records`) given to `json.dumps` with
sorted keys, no spaces and no ASCII escaping, whatever the text in the columns (quotes, backslashes,
control characters, non-ASCII, none at all), however often a value repeats, and wherever the blocks
of lines end."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_customs.domain import Result, process
from ior_customs.domain.line_json import line_texts

from tests.customs.cases import golden_files, inputs_from_case, load_case

MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text JSON escapes (quotes, backslashes, control characters) beside text it writes as it is. No NUL:
# pandas factorizes text up to its first NUL ("a\x00b" is taken for "a"), which the columns' codes
# share; that is a limit of the columns, not of the texts made from them.
_CHARACTERS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
_ODD = st.text(alphabet=st.sampled_from(['"', "\\", "\t", "\n", "\x01", "\x1f", "é", "½", "🚢", "a", " "]))
_TEXT = st.one_of(st.text(_CHARACTERS, max_size=8), _ODD)


@cache
def _largest_golden_run() -> Result:
    results = [process(inputs_from_case(load_case(path))) for path in golden_files()]
    return max(results, key=lambda result: len(result.lines))


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@st.composite
def _column(draw: st.DrawFn, rows: int, *, nullable: bool) -> list[Any]:
    """`rows` values from a few drawn ones, repeated across the rows or each made unique."""
    pool = draw(st.lists(st.none() if nullable and draw(st.booleans()) else _TEXT, min_size=1, max_size=4))
    values = [pool[i % len(pool)] for i in range(rows)]
    if draw(st.booleans()):  # each row its own value
        values = [None if v is None else f"{v}{i}" for i, v in enumerate(values)]
    return values


@st.composite
def _runs(draw: st.DrawFn) -> tuple[Result, int]:
    """The golden run with its lines' and sources' text columns drawn, a quantity missing or not,
    and a block size."""
    result = _largest_golden_run()
    lines, sources = result.lines, result.sources
    rows = len(lines)
    changed_lines = lines.assign(
        description=pd.Series(draw(_column(rows, nullable=True)), dtype=object),
        hts10=draw(_column(rows, nullable=False)),
        origin=draw(_column(rows, nullable=False)),
        part=draw(_column(rows, nullable=False)),
    )
    if draw(st.booleans()):  # a line without a quantity in one unit
        unit = draw(st.sampled_from(["quantity_no", "quantity_kg"]))
        changed_lines.loc[draw(st.integers(0, rows - 1)), unit] = pd.NA
    changed_sources = sources.assign(
        document=pd.Categorical(draw(_column(len(sources), nullable=False))),
        material=pd.Categorical(draw(_column(len(sources), nullable=True))),
    )
    block_lines = draw(st.integers(1, rows + 1))
    return replace(result, lines=changed_lines, sources=changed_sources), block_lines


@MANY
@given(run=_runs())
def test_each_line_text_is_its_record_as_json_dumps_writes_it(run: tuple[Result, int]) -> None:
    # GIVEN a run whose lines and sources carry generated text, repeated or unique, some missing
    result, block_lines = run
    # WHEN its lines' texts are made a block of lines at a time
    made = line_texts(result.lines, result.sources, result.dataset_versions, block_lines=block_lines)
    # THEN each is its record as `json.dumps` writes it with sorted keys, no spaces, no ASCII escapes
    records = [line for entry in result.to_records()["entries"] for line in entry["lines"]]
    assert [text for _, text in made] == [_canonical(record) for record in records]
