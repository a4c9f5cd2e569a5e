"""`HTS Tariff.csv` → ZFMIOR003 rows → tariff-provisions (mode `manual`).

Programme and type names, `Applies To` and country names become ZFMIOR003's codes; dotted
prefixes lose their dots; percentages stay percent, as ZFMIOR003 writes them (`Min/Max Metal %`
may be written with or without the sign: the column is in percent). The file has no row number
per code: a code's rows are numbered 1, 2, … in file order."""

from __future__ import annotations

from collections import Counter

from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import HTS_TARIFF

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.sap_fields import ZFMIOR003
from ior_etl.domain.tariff_provisions import build_tariff_provisions

FILE = HTS_TARIFF.file
HEADER = HTS_TARIFF.header
COLUMNS = {
    ZFMIOR003.code: "Chapter 99 Code",
    ZFMIOR003.seq: "Chapter 99 Code",
    ZFMIOR003.programme: "Program",
    ZFMIOR003.kind: "Type",
    ZFMIOR003.rate: "Rate",
    ZFMIOR003.part: "Applies To",
    ZFMIOR003.prefixes: "HTS Prefixes",
    ZFMIOR003.origins: "Countries",
    ZFMIOR003.excluded: "Excluded Countries",
    ZFMIOR003.min_share: "Min Metal %",
    ZFMIOR003.max_share: "Max Metal %",
    ZFMIOR003.valid_from: "Effective From",
    ZFMIOR003.valid_to: "Effective To",
    ZFMIOR003.rank: "Sequence",
}


def read_hts_tariff(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    records: list[dict[str, str]] = []
    numbers, problems = [], []
    rows_per_code: Counter[str] = Counter()
    for row in table.rows:
        read = RowReader(row, HTS_TARIFF)
        code = read.cell("Chapter 99 Code")
        rows_per_code[code] += 1
        record = {
            ZFMIOR003.code: code,
            ZFMIOR003.seq: f"{rows_per_code[code]:03d}",
            ZFMIOR003.programme: read.cell("Program"),
            ZFMIOR003.kind: read.cell("Type"),
            ZFMIOR003.rate: read.cell("Rate"),
            ZFMIOR003.part: read.cell("Applies To"),
            ZFMIOR003.prefixes: read.cell("HTS Prefixes"),
            ZFMIOR003.origins: read.cell("Countries"),
            ZFMIOR003.excluded: read.cell("Excluded Countries"),
            ZFMIOR003.min_share: read.cell("Min Metal %"),
            ZFMIOR003.max_share: read.cell("Max Metal %"),
            ZFMIOR003.valid_from: read.cell("Effective From"),
            ZFMIOR003.valid_to: read.cell("Effective To"),
            ZFMIOR003.rank: read.cell("Sequence"),
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        records.append(record)
        numbers.append(row.number)
    return legacy_read(table, {ZFMIOR003.name: (ZFMIOR003, records)}, numbers, problems, COLUMNS)


def build_manual_tariff_provisions(data: bytes, *, policy: HoldPolicy | None = None) -> DatasetBuild:
    read = read_hts_tariff(data)
    build = build_tariff_provisions(
        read.frames[ZFMIOR003.name], mode="manual", policy=policy, earlier=read.rejected
    )
    return attributed(build, read)
