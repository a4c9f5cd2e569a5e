"""`HTS_Code.csv` → ZFMIOR001 rows → hts-reference (mode `manual`): the file's Duty Rate is the
general rate; an official revision, when given, only cross-checks it."""

from __future__ import annotations

from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import HTS_CODE

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.hts_reference import build_hts_reference
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.official_hts import OfficialRevision
from ior_etl.domain.sap_fields import ZFMIOR001

FILE = HTS_CODE.file
HEADER = HTS_CODE.header
COLUMNS = {
    ZFMIOR001.hts10: "HTS Code",
    ZFMIOR001.description: "Description",
    ZFMIOR001.rate: "Duty Rate",
    ZFMIOR001.unit: "Unit",
}


def read_hts_code(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    records: list[dict[str, str]] = []
    numbers, problems = [], []
    for row in table.rows:
        read = RowReader(row, HTS_CODE)
        record = {
            ZFMIOR001.hts10: read.cell("HTS Code"),
            ZFMIOR001.description: read.cell("Description"),
            ZFMIOR001.rate: read.cell("Duty Rate"),
            ZFMIOR001.unit: read.cell("Unit"),
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        records.append(record)
        numbers.append(row.number)
    return legacy_read(table, {ZFMIOR001.name: (ZFMIOR001, records)}, numbers, problems, COLUMNS)


def build_manual_hts_reference(
    data: bytes, official: OfficialRevision | None = None, *, policy: HoldPolicy | None = None
) -> DatasetBuild:
    read = read_hts_code(data)
    build = build_hts_reference(
        read.frames[ZFMIOR001.name], official, mode="manual", policy=policy, earlier=read.rejected
    )
    return attributed(build, read)
