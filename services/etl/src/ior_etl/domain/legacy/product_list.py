"""`Product_List.csv` → ZEMM005 + ZFMIOR002 rows → product-master (mode `manual`).

The file lists sellable products without their material type or base unit: the manual path
records them as FERT in pieces (ST). Weights given in LB are converted to kg here, exactly as the
builder would, because the file's metal weights are always kg while ZFMIOR002 has one unit a row."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import PRODUCT_LIST

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.materials import to_kg
from ior_etl.domain.product_master import build_product_master
from ior_etl.domain.sap_fields import ZEMM005, ZFMIOR002
from ior_etl.domain.values import decimal_or_none, decimal_text

FILE = PRODUCT_LIST.file
HEADER = PRODUCT_LIST.header
MATERIAL_TYPE = "FERT"
BASE_UNIT = "ST"
COLUMNS = {
    ZEMM005.material: "Material",
    ZEMM005.description: "Description",
    ZEMM005.hts10: "HTS Code",
    ZEMM005.origin: "Country of Origin",
    ZFMIOR002.net_weight: "Net Weight",
    ZFMIOR002.gross_weight: "Gross Weight",
    ZFMIOR002.weight_unit: "Weight Unit",
    ZFMIOR002.steel: "Steel (kg)",
    ZFMIOR002.aluminum: "Aluminum (kg)",
    ZFMIOR002.copper: "Copper (kg)",
    ZFMIOR002.metal_value: "Metal Value",
    ZFMIOR002.metal_currency: "Metal Value Currency",
}


def _kg(text: str, unit: str) -> str:
    value = decimal_or_none(text)
    return text if value is None or unit != "LB" else decimal_text(to_kg(value, "LB"))


def read_product_list(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    materials: list[dict[str, str]] = []
    weights: list[dict[str, str]] = []
    numbers, problems = [], []
    for row in table.rows:
        read = RowReader(row, PRODUCT_LIST)
        matnr = read.cell("Material")
        material = {
            ZEMM005.material: matnr,
            ZEMM005.description: read.cell("Description"),
            ZEMM005.material_type: MATERIAL_TYPE,
            ZEMM005.base_unit: BASE_UNIT,
            ZEMM005.hts10: read.cell("HTS Code"),
            ZEMM005.origin: read.cell("Country of Origin"),
        }
        unit = read.cell("Weight Unit")
        weight = {
            ZFMIOR002.material: matnr,
            ZFMIOR002.net_weight: _kg(read.cell("Net Weight"), unit),
            ZFMIOR002.gross_weight: _kg(read.cell("Gross Weight"), unit),
            ZFMIOR002.weight_unit: "KG" if unit == "LB" else unit,
            ZFMIOR002.steel: read.cell("Steel (kg)"),
            ZFMIOR002.aluminum: read.cell("Aluminum (kg)"),
            ZFMIOR002.copper: read.cell("Copper (kg)"),
            ZFMIOR002.metal_value: read.cell("Metal Value"),
            ZFMIOR002.metal_currency: read.cell("Metal Value Currency"),
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        materials.append(material)
        weights.append(weight)
        numbers.append(row.number)
    return legacy_read(
        table,
        {ZEMM005.name: (ZEMM005, materials), ZFMIOR002.name: (ZFMIOR002, weights)},
        numbers,
        problems,
        COLUMNS,
    )


def build_manual_product_master(
    data: bytes, *, policy: HoldPolicy | None = None, hts_codes: Collection[str] | None = None
) -> DatasetBuild:
    read = read_product_list(data)
    weights: pd.DataFrame = read.frames[ZFMIOR002.name]
    build = build_product_master(
        read.frames[ZEMM005.name],
        weights,
        mode="manual",
        policy=policy,
        hts_codes=hts_codes,
        earlier=read.rejected,
    )
    return attributed(build, read)
