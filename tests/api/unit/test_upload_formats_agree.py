"""The upload check and the ETL's manual-path readers apply one pinned format: for every checked
cell of every file, a broken value is refused by both, at the same row and column, under the same rule."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from ior_api.domain.uploads import check_bundle
from ior_contracts.legacy.csv_file import LegacyFileError
from ior_contracts.legacy.formats import FORMATS
from ior_etl.domain.legacy import files
from ior_etl.domain.legacy.reading import LegacyRead

from tests.etl.unit import test_legacy_readers as samples

READERS: dict[str, tuple[Callable[[bytes], LegacyRead], bytes]] = {
    "Product_List.csv": (files.PRODUCT_LIST.read, samples.PRODUCT_LIST),
    "HTS_Code.csv": (files.HTS_CODE.read, samples.HTS_CODE),
    "HTS Tariff.csv": (files.HTS_TARIFF.read, samples.HTS_TARIFF),
    "Packaging_Material.csv": (files.PACKAGING_MATERIAL.read, samples.PACKAGING),
    "Exchange_Rates.csv": (files.EXCHANGE_RATES.read, samples.RATES),
    "Invoice_Lines.csv": (files.INVOICE_LINES.read, samples.INVOICE_LINES),
}
BROKEN = "#bad?"


def with_cell(data: bytes, column: str, value: str) -> bytes:
    """The file with `column` of its first data row set to `value`, written back in the pinned style."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def test_every_file_has_a_reader_here() -> None:
    assert set(READERS) == set(FORMATS)


@pytest.mark.parametrize(
    ("file", "column"), [(f.file, column) for f in FORMATS.values() for column in f.cells], ids=str
)
def test_a_broken_cell_is_refused_alike(file: str, column: str) -> None:
    reader, sample = READERS[file]
    assert check_bundle({file: sample}).ok, "the sample itself must pass"
    broken = with_cell(sample, column, BROKEN)
    upload = {(p.row, p.column, p.rule) for p in check_bundle({file: broken}).problems}
    rejected = reader(broken).rejected
    columns = (rejected[c].tolist() for c in ("row", "field", "rule"))
    etl = set(zip(*columns, strict=True))
    assert upload == etl
    assert (2, column) in {(row, col) for row, col, _ in upload}


@pytest.mark.parametrize(
    ("file", "column"), [(f.file, column) for f in FORMATS.values() for column in f.header], ids=str
)
def test_a_cell_holding_a_nul_is_refused_alike_in_every_column(file: str, column: str) -> None:
    reader, sample = READERS[file]
    rows = list(csv.reader(io.StringIO(sample.decode("utf-8-sig"), newline="")))
    held = with_cell(sample, column, rows[1][rows[0].index(column)] + "\x00x")
    upload = {(p.row, p.column, p.rule) for p in check_bundle({file: held}).problems}
    rejected = reader(held).rejected
    etl = set(zip(*(rejected[c].tolist() for c in ("row", "field", "rule")), strict=True))
    assert upload == etl == {(2, column, "text_holds_nul")}


def _header_only(data: bytes) -> bytes:
    return data[: data.index(b"\r\n") + 2]


@pytest.mark.parametrize("file", sorted(FORMATS))
@pytest.mark.parametrize(
    ("shape", "rule", "message", "row"),
    [
        (lambda data: b"", "empty_file", "the file is empty", None),
        (lambda data: b"\xef\xbb\xbf\r\n", "empty_file", "the file is empty", None),
        (_header_only, "no_rows", "the file has its header but no data rows", 2),
    ],
    ids=["empty", "only-a-byte-order-mark", "header-only"],
)
def test_an_empty_or_header_only_file_is_refused_alike_with_one_message(
    file: str, shape: Callable[[bytes], bytes], rule: str, message: str, row: int | None
) -> None:
    # GIVEN a pinned file with nothing in it, or with its header and no row
    reader, sample = READERS[file]
    data = shape(sample)
    # WHEN the upload check and the ETL's reader read it
    problems = check_bundle({file: data}).problems
    with pytest.raises(LegacyFileError) as refused:
        reader(data)
    # THEN both refuse it under one rule, in one message that says what is wrong
    assert [(p.rule, p.row, p.message) for p in problems] == [(rule, row, str(refused.value))]
    assert refused.value.rule == rule
    assert str(refused.value).endswith(message)
    assert "byte-order mark" not in str(refused.value)
