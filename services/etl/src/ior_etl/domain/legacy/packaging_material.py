"""`Packaging_Material.csv` → ZEMM005 + ZFMIOR002 rows → packaging-materials (mode `manual`).

`Is Packaging` Y is recorded as material type VERP, N as no type; the one unit weight is both the
net and the gross weight, in KG."""

from __future__ import annotations

from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import PACKAGING_MATERIAL

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.packaging_materials import build_packaging_materials
from ior_etl.domain.sap_fields import ZEMM005, ZFMIOR002

FILE = PACKAGING_MATERIAL.file
HEADER = PACKAGING_MATERIAL.header
COLUMNS = {
    ZEMM005.material: "Material",
    ZEMM005.description: "Description",
    ZEMM005.material_type: "Is Packaging",
    ZFMIOR002.net_weight: "Unit Weight (kg)",
    ZFMIOR002.gross_weight: "Unit Weight (kg)",
    ZFMIOR002.weight_unit: "Unit Weight (kg)",
}


def read_packaging_material(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    materials: list[dict[str, str]] = []
    weights: list[dict[str, str]] = []
    numbers, problems = [], []
    for row in table.rows:
        read = RowReader(row, PACKAGING_MATERIAL)
        matnr = read.cell("Material")
        material_type = read.cell("Is Packaging")
        weight = read.cell("Unit Weight (kg)")
        if read.problems:
            problems.extend(read.problems)
            continue
        materials.append(
            {
                ZEMM005.material: matnr,
                ZEMM005.description: read.cell("Description"),
                ZEMM005.material_type: material_type,
                ZEMM005.base_unit: "ST",
                ZEMM005.hts10: "",
                ZEMM005.origin: "",
            }
        )
        weights.append(
            {
                ZFMIOR002.material: matnr,
                ZFMIOR002.net_weight: weight,
                ZFMIOR002.gross_weight: weight,
                ZFMIOR002.weight_unit: "KG",
                **dict.fromkeys(
                    (ZFMIOR002.steel, ZFMIOR002.aluminum, ZFMIOR002.copper, ZFMIOR002.metal_value), "0"
                ),
                ZFMIOR002.metal_currency: "",
            }
        )
        numbers.append(row.number)
    return legacy_read(
        table,
        {ZEMM005.name: (ZEMM005, materials), ZFMIOR002.name: (ZFMIOR002, weights)},
        numbers,
        problems,
        COLUMNS,
    )


def build_manual_packaging_materials(data: bytes, *, policy: HoldPolicy | None = None) -> DatasetBuild:
    read = read_packaging_material(data)
    build = build_packaging_materials(
        read.frames[ZEMM005.name],
        read.frames[ZFMIOR002.name],
        mode="manual",
        policy=policy,
        earlier=read.rejected,
    )
    return attributed(build, read)
