"""The snapshot writer made cheap keeps every byte: against the plain writer it replaced (kept here as
the oracle: `frame.duplicated`, a stable `sort_values`, `column_text` per column, rows joined, the
header and every few rows deflated as gzip members of their own), the same CSV, the same gzip bytes
and the same refusals, over frames of every column kind — keys that tie, text with commas, quotes,
line breaks, non-ASCII and nothing in it, nulls — whatever the block size the rows are assembled in;
and the members hold the rows the manifest's description says."""

from __future__ import annotations

import gzip
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_contracts.dataset_members import MEMBER_ROWS, Members
from ior_contracts.datasets import DATASETS, Column, DatasetSchema
from ior_etl.domain.snapshot import (
    GZIP_LEVEL,
    gzip_members,
    snapshot_order,
    write_ordered_snapshot,
    write_snapshot,
)
from ior_etl.domain.snapshot_text import csv_blocks, csv_quote
from ior_etl.domain.typed import DatasetFrameError, check_columns, check_no_nulls, column_text, typed_frame
from isal import isal_zlib

MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- the oracle: the writer as it was before it was made cheap ----------------------------------


def check_frame(frame: pd.DataFrame, schema: DatasetSchema) -> None:
    """The frame has exactly the dataset's columns in order, and no null (nor empty text) where none
    is allowed."""
    check_columns(frame, schema)
    for column in schema.columns:
        if column.nullable:
            continue
        values = frame[column.name]
        nulls = (values.isna() | values.eq("")) if column.kind == "str" else values.isna()
        check_no_nulls(schema, column, int(nulls.sum()))


def oracle_csv(frame: pd.DataFrame, schema: DatasetSchema) -> bytes:
    header, rows = oracle_rows(frame, schema)
    return "\n".join((header, *rows, "")).encode("utf-8")


def oracle_rows(frame: pd.DataFrame, schema: DatasetSchema) -> tuple[str, list[str]]:
    """The header's text and each row's, in the snapshot's order."""
    check_frame(frame, schema)
    duplicated = frame.duplicated(list(schema.key), keep=False)
    if duplicated.any():
        raise DatasetFrameError(f"{schema.name}: {int(duplicated.sum())} rows share a key {list(schema.key)}")
    ordered = frame.iloc[oracle_order(frame, schema)].reset_index(drop=True)
    quoting = {c.name: csv_quote if c.kind in ("str", "list") else None for c in schema.columns}
    columns = [column_text(ordered[c.name], c, quoting[c.name]) for c in schema.columns]
    rows = list(map(",".join, zip(*columns, strict=True)))
    header = ",".join(csv_quote(name) for name in schema.names)
    return header, rows


def oracle_order(frame: pd.DataFrame, schema: DatasetSchema) -> np.ndarray:
    ordered: np.ndarray = (
        frame.reset_index(drop=True).sort_values(list(schema.key), kind="mergesort").index.to_numpy()
    )
    return ordered


def oracle_snapshot(frame: pd.DataFrame, schema: DatasetSchema, member_rows: int = MEMBER_ROWS) -> bytes:
    """The oracle's compression: the header, then every `member_rows` rows, each given whole to ISA-L
    as a gzip member of its own."""
    header, rows = oracle_rows(frame, schema)
    pieces = [
        header + "\n",
        *(
            "".join(row + "\n" for row in rows[at : at + member_rows])
            for at in range(0, len(rows), member_rows)
        ),
    ]
    return b"".join(isal_zlib.compress(piece.encode("utf-8"), GZIP_LEVEL, 31) for piece in pieces)


# --- frames of every kind -----------------------------------------------------------------------

EVERY_KIND = DatasetSchema(
    "every-kind",
    ("name", "number", "day"),
    (
        Column("name", "str"),
        Column("number", "int"),
        Column("day", "date"),
        Column("note", "str", nullable=True),
        Column("label", "str"),
        Column("count", "int"),
        Column("amount", "decimal", nullable=True),
        Column("price", "decimal"),
        Column("until", "date", nullable=True),
        Column("flag", "bool"),
        Column("items", "list"),
    ),
    "a dataset with a column of every kind, nullable and not",
)

# Few values, so that keys tie and cells repeat; each kind of text CSV and UTF-8 must carry.
TEXTS = st.sampled_from(
    ["A", "b", "a,b", 'say "hi"', "two\nlines", "cr\rlf", "Zoë", "漢字", "🚢", " ", "A B"]
)
TEXT = TEXTS | st.text(max_size=6)
DAYS = st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 12, 31))
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [
        Decimal("1.0"),
        Decimal("1"),
        Decimal("1E+2"),
        Decimal("-0.000"),
        Decimal("0.0000001"),
        Decimal("12.500"),
    ]
)


@st.composite
def every_kind_rows(draw: st.DrawFn, *, nulls: bool) -> dict[str, Any]:
    """One row; where `nulls`, any column may hold nothing (a refusal where it may not)."""

    def maybe(values: st.SearchStrategy[Any], nullable: bool) -> Any:
        return draw(values | st.none()) if nulls or nullable else draw(values)

    return {
        "name": maybe(st.sampled_from(["A", "a,b", "Zoë", "B"]), False),
        "number": draw(st.integers(-2, 2) | st.sampled_from([2**63 - 1, -(2**63)])),
        "day": pd.Timestamp(draw(st.sampled_from([date(2026, 3, 9), date(2026, 3, 10), date(1999, 12, 31)]))),
        "note": maybe(TEXT, True),
        "label": maybe(TEXT.filter(bool), False),
        "count": draw(st.integers(-(2**63), 2**63 - 1)),
        "amount": maybe(DECIMALS, True),
        "price": maybe(DECIMALS, False),
        "until": maybe(DAYS.map(pd.Timestamp), True),
        "flag": draw(st.booleans()),
        "items": tuple(draw(st.lists(TEXT, max_size=3))),
    }


def every_kind_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = {c.name: [row[c.name] for row in rows] for c in EVERY_KIND.columns}
    columns["day"] = pd.to_datetime(columns["day"])
    columns["until"] = pd.to_datetime(columns["until"])
    return typed_frame(columns, EVERY_KIND)


def _outcome(write: Any) -> tuple[str, Any]:
    try:
        return "written", write()
    except DatasetFrameError as refused:
        return "refused", str(refused)


# --- the properties -----------------------------------------------------------------------------


@MANY
@given(
    rows=st.lists(
        every_kind_rows(nulls=False), max_size=40, unique_by=lambda r: (r["name"], r["number"], r["day"])
    ),
    member_rows=st.sampled_from([1, 2, 3, 7, MEMBER_ROWS]),
)
def test_a_frame_of_every_kind_gives_the_oracles_bytes(rows: list[dict[str, Any]], member_rows: int) -> None:
    # GIVEN a frame of every column kind whose keys tie in part but never whole
    data = every_kind_frame(rows)
    # WHEN its snapshot is written, a few rows to a gzip member
    snapshot = write_snapshot(data, EVERY_KIND, member_rows)
    # THEN its bytes are the oracle's, CSV and gzip, and it says how many rows it holds
    assert snapshot.data == oracle_snapshot(data, EVERY_KIND, member_rows)
    assert gzip.decompress(snapshot.data) == oracle_csv(data, EVERY_KIND)
    assert snapshot.rows == len(rows)
    # AND the order it gives its origins companion is the oracle's
    assert write_ordered_snapshot(data, EVERY_KIND)[1].tolist() == oracle_order(data, EVERY_KIND).tolist()


@MANY
@given(rows=st.lists(every_kind_rows(nulls=True), max_size=30), block_rows=st.integers(1, 7))
def test_any_frame_is_written_or_refused_as_the_oracle_does_whatever_the_block_size(
    rows: list[dict[str, Any]], block_rows: int
) -> None:
    # GIVEN a frame whose keys may repeat whole and whose cells may be missing anywhere
    data = every_kind_frame(rows)
    # WHEN its CSV is made in blocks of a few rows
    made = _outcome(lambda: b"".join(csv_blocks(data, EVERY_KIND, block_rows)))
    # THEN it is the oracle's CSV, or refused with the oracle's words
    assert made == _outcome(lambda: oracle_csv(data, EVERY_KIND))


@MANY
@given(rows=st.lists(every_kind_rows(nulls=False), min_size=1, max_size=30))
def test_the_rows_are_ordered_as_a_stable_sort_by_the_key_orders_them(rows: list[dict[str, Any]]) -> None:
    # GIVEN a frame whose keys may tie whole, with an index of its own
    data = every_kind_frame(rows)
    data.index = pd.RangeIndex(100, 100 + len(rows))
    # WHEN the snapshot's row order is asked for
    order = snapshot_order(data, EVERY_KIND)
    # THEN it is the positions a stable sort by the key gives
    assert order.tolist() == oracle_order(data, EVERY_KIND).tolist()


@MANY
@given(
    pieces=st.lists(
        st.binary(min_size=1, max_size=300) | st.text(min_size=1, max_size=200).map(str.encode), max_size=8
    )
)
def test_each_piece_is_a_gzip_member_where_its_offsets_say(pieces: list[bytes]) -> None:
    # GIVEN some pieces of text  WHEN they are written as gzip members
    data, offsets = gzip_members(pieces)
    # THEN the object reads as the pieces joined, and each member, where the offsets say, is its piece
    assert gzip.decompress(data) == b"".join(pieces)
    assert (offsets[0], offsets[-1]) == (0, len(data))
    assert len(offsets) == len(pieces) + 1
    for piece, start, end in zip(pieces, offsets, offsets[1:], strict=False):
        assert gzip.decompress(data[start:end]) == piece


@MANY
@given(
    rows=st.lists(
        every_kind_rows(nulls=False), max_size=40, unique_by=lambda r: (r["name"], r["number"], r["day"])
    ),
    member_rows=st.integers(1, 7),
)
def test_the_members_hold_the_rows_their_description_says(
    rows: list[dict[str, Any]], member_rows: int
) -> None:
    # GIVEN a frame of every column kind  WHEN its snapshot is written, a few rows to a member
    data = every_kind_frame(rows)
    snapshot = write_snapshot(data, EVERY_KIND, member_rows)
    # THEN the manifest's description of its members reads back as the writer's
    described = Members.of(snapshot.members.described(), size=len(snapshot.data), rows=snapshot.rows)
    assert described == snapshot.members
    # AND the header is the first member alone, then each member holds its rows, whole
    header, oracle = oracle_rows(data, EVERY_KIND)
    assert gzip.decompress(snapshot.data[: described.offsets[1]]) == (header + "\n").encode()
    for member in range(described.count):
        start, end = described.span(member)
        first = described.first_row(member)
        expected = "".join(row + "\n" for row in oracle[first : first + member_rows])
        assert gzip.decompress(snapshot.data[start:end]) == expected.encode()
    # AND every row is in a member its first cell (the key's first column, unquoted) names
    ordered = data.iloc[oracle_order(data, EVERY_KIND)]["name"].tolist()
    for position, name in enumerate(ordered):
        assert position // member_rows in described.holding_firsts([name.encode()])


def test_rows_sharing_a_key_are_refused_in_the_oracles_words() -> None:
    # GIVEN transactions where three lines share one key and a fourth has its own
    rows = [("90001", 10), ("90001", 10), ("90002", 10), ("90001", 10)]
    data = _transactions([{"document": d, "item": i} for d, i in rows])
    # WHEN its snapshot is written  THEN it is refused as the oracle refuses it, counting the three
    with pytest.raises(DatasetFrameError) as written:
        write_snapshot(data, "transactions")
    with pytest.raises(DatasetFrameError) as oracle:
        oracle_snapshot(data, DATASETS["transactions"])
    assert str(written.value) == str(oracle.value)
    assert "3 rows share a key ['document', 'item']" in str(written.value)


def test_an_empty_frame_is_its_header_alone_as_the_oracle_writes_it() -> None:
    data = every_kind_frame([])
    assert write_snapshot(data, EVERY_KIND).data == oracle_snapshot(data, EVERY_KIND)


def test_the_sample_company_s_datasets_keep_their_bytes(sample_builds: dict[str, Any]) -> None:
    # GIVEN each dataset the sample company builds  WHEN its snapshot is written
    # THEN its bytes are the oracle's
    for dataset, build in sample_builds.items():
        schema = DATASETS[dataset]
        assert write_snapshot(build.frame, schema).data == oracle_snapshot(build.frame, schema), dataset


def _transactions(keys: list[dict[str, Any]]) -> pd.DataFrame:
    schema = DATASETS["transactions"]
    filler: dict[str, Any] = {
        "str": "X",
        "int": 1,
        "decimal": Decimal("1.5"),
        "date": pd.Timestamp("2026-03-10"),
        "bool": False,
        "list": (),
    }
    columns = {c.name: [row.get(c.name, filler[c.kind]) for row in keys] for c in schema.columns}
    return typed_frame(columns, schema)


@pytest.mark.parametrize("objects", ["shared", "their own"])
def test_decimals_in_objects_shared_by_rows_or_of_their_own_give_the_oracles_bytes(objects: str) -> None:
    # GIVEN rows whose decimals are a few objects the rows share, or an object each (equal values
    # written apart, 1.5 and 1.50, and missing ones among them)
    pool = [Decimal("1.5"), Decimal("1.50"), Decimal("-0.000"), Decimal("1E+2"), None, Decimal("12.345")]
    days = (date(2026, 3, 9), date(1999, 12, 31))
    keys = [(n, i, d) for n in ("A", "a,b", "Zoë", "B") for i in range(-2, 3) for d in days]
    picked = [pool[k % len(pool)] for k in range(len(keys))]
    if objects == "their own":
        picked = [None if v is None else Decimal(str(v)) for v in picked]
    price = Decimal("2.50")  # one object on every row
    rows = [
        {"name": n, "number": i, "day": pd.Timestamp(d), "note": None, "label": "x", "count": k,
         "amount": picked[k], "price": price, "until": None, "flag": bool(k % 2), "items": ()}
        for k, (n, i, d) in enumerate(keys)
    ]  # fmt: skip
    data = every_kind_frame(rows)
    # WHEN its snapshot is written  THEN the bytes are the oracle's
    assert write_snapshot(data, EVERY_KIND).data == oracle_snapshot(data, EVERY_KIND)
