"""`HTS Tariff.csv` → ZFMIOR003 rows → tariff-provisions (mode `manual`).

Programme and type names, `Applies To` and country names become ZFMIOR003's codes; dotted
prefixes lose their dots; percentages stay percent, as ZFMIOR003 writes them (`Min/Max Metal %`
may be written with or without the sign: the column is in percent). The file has no row number
per code: a code's rows are numbered 1, 2, … in file order."""

from __future__ import annotations

from collections import Counter

from ior_etl.domain.config import EtlSettings
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.legacy import cells
from ior_etl.domain.legacy.csv_file import read_legacy_csv
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.sap_fields import ZFMIOR003
from ior_etl.domain.tariff_provisions import build_tariff_provisions

FILE = "HTS Tariff.csv"
HEADER = (
    "Chapter 99 Code", "Program", "Type", "Rate", "Applies To", "HTS Prefixes", "Countries",
    "Excluded Countries", "Min Metal %", "Max Metal %", "Effective From", "Effective To", "Sequence",
)  # fmt: skip
PROGRAMMES = {
    "Section 301": "S301",
    "Section 232": "S232",
    "Section 122": "S122",
    "IEEPA Fentanyl": "IEEPA_F",
    "IEEPA Reciprocal": "IEEPA_R",
}
KINDS = {"Additional": "additional", "Exemption": "exemption"}
PARTS = {"All": "any", "Non-metal": "non_metal", "Metal": "metal"}
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
_PROGRAMME = cells.one_of(PROGRAMMES, "unknown_programme")
_KIND = cells.one_of(KINDS, "unknown_kind")
_PART = cells.one_of(PARTS, "unknown_part")


def _share(text: str) -> str:
    return cells.percent(text, sign_required=False)


def read_hts_tariff(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    records: list[dict[str, str]] = []
    numbers, problems = [], []
    rows_per_code: Counter[str] = Counter()
    for row in table.rows:
        read = RowReader(row)
        code = read.cell("Chapter 99 Code")
        rows_per_code[code] += 1
        record = {
            ZFMIOR003.code: code,
            ZFMIOR003.seq: f"{rows_per_code[code]:03d}",
            ZFMIOR003.programme: read.cell("Program", _PROGRAMME),
            ZFMIOR003.kind: read.cell("Type", _KIND),
            ZFMIOR003.rate: read.cell("Rate", cells.percent, "invalid_rate"),
            ZFMIOR003.part: read.cell("Applies To", _PART),
            ZFMIOR003.prefixes: read.cell("HTS Prefixes", cells.hts_prefixes),
            ZFMIOR003.origins: read.cell("Countries", lambda t: cells.countries(t, allow_all=True)),
            ZFMIOR003.excluded: read.cell(
                "Excluded Countries", lambda t: cells.countries(t, allow_all=False)
            ),
            ZFMIOR003.min_share: read.cell("Min Metal %", _share, "invalid_metal_share"),
            ZFMIOR003.max_share: read.cell("Max Metal %", _share, "invalid_metal_share"),
            ZFMIOR003.valid_from: read.cell("Effective From", cells.us_date, "invalid_effective_from"),
            ZFMIOR003.valid_to: read.cell("Effective To", cells.us_date, "invalid_effective_to"),
            ZFMIOR003.rank: read.cell("Sequence", cells.integer, "invalid_rank"),
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        records.append(record)
        numbers.append(row.number)
    return legacy_read(table, {ZFMIOR003.name: (ZFMIOR003, records)}, numbers, problems, COLUMNS)


def build_manual_tariff_provisions(data: bytes, *, settings: EtlSettings | None = None) -> DatasetBuild:
    read = read_hts_tariff(data)
    build = build_tariff_provisions(
        read.frames[ZFMIOR003.name], mode="manual", settings=settings, earlier=read.rejected
    )
    return attributed(build, read)
