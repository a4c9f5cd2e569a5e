"""`Exchange_Rates.csv` → ZEMM07 rows → exchange-rates (mode `manual`).

The analysts keep USD per one unit of the currency, so each row becomes a direct rate of type M to
USD with both factors 1: the builder's formula then returns the analysts' figure unchanged."""

from __future__ import annotations

from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import EXCHANGE_RATES

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import TARGET_CURRENCY, build_exchange_rates
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.sap_fields import STANDARD_RATE_TYPE, ZEMM07

FILE = EXCHANGE_RATES.file
HEADER = EXCHANGE_RATES.header
COLUMNS = {
    ZEMM07.from_currency: "Currency",
    ZEMM07.valid_from: "Date",
    ZEMM07.rate: "USD per Unit",
    ZEMM07.from_factor: "USD per Unit",
    ZEMM07.to_factor: "USD per Unit",
}


def read_exchange_rates(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    records: list[dict[str, str]] = []
    numbers, problems = [], []
    for row in table.rows:
        read = RowReader(row, EXCHANGE_RATES)
        record = {
            ZEMM07.rate_type: STANDARD_RATE_TYPE,
            ZEMM07.from_currency: read.cell("Currency"),
            ZEMM07.to_currency: TARGET_CURRENCY,
            ZEMM07.valid_from: read.cell("Date"),
            ZEMM07.rate: read.cell("USD per Unit"),
            ZEMM07.from_factor: "1",
            ZEMM07.to_factor: "1",
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        records.append(record)
        numbers.append(row.number)
    return legacy_read(table, {ZEMM07.name: (ZEMM07, records)}, numbers, problems, COLUMNS)


def build_manual_exchange_rates(data: bytes, *, policy: HoldPolicy | None = None) -> DatasetBuild:
    read = read_exchange_rates(data)
    build = build_exchange_rates(
        read.frames[ZEMM07.name], mode="manual", policy=policy, earlier=read.rejected
    )
    return attributed(build, read)
