"""The upload check and the ETL's manual-path readers apply one pinned format: for every checked
cell of every file, a broken value is refused by both, at the same row and column, under the same rule."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from ior_api.domain.uploads import check_bundle
from ior_contracts.legacy.formats import FORMATS
from ior_etl.domain.legacy.exchange_rates import read_exchange_rates
from ior_etl.domain.legacy.hts_code import read_hts_code
from ior_etl.domain.legacy.hts_tariff import read_hts_tariff
from ior_etl.domain.legacy.invoice_lines import read_invoice_lines
from ior_etl.domain.legacy.packaging_material import read_packaging_material
from ior_etl.domain.legacy.product_list import read_product_list
from ior_etl.domain.legacy.reading import LegacyRead

from tests.etl.unit import test_legacy_readers as samples

READERS: dict[str, tuple[Callable[[bytes], LegacyRead], bytes]] = {
    "Product_List.csv": (read_product_list, samples.PRODUCT_LIST),
    "HTS_Code.csv": (read_hts_code, samples.HTS_CODE),
    "HTS Tariff.csv": (read_hts_tariff, samples.HTS_TARIFF),
    "Packaging_Material.csv": (read_packaging_material, samples.PACKAGING),
    "Exchange_Rates.csv": (read_exchange_rates, samples.RATES),
    "Invoice_Lines.csv": (read_invoice_lines, samples.INVOICE_LINES),
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
