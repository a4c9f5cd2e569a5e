"""Which landed sources feed which dataset, and how the incremental ones are put together.

A dataset is built once every source it needs has landed at least once, and again whenever one of
them lands. Transactions need ZEMM07 too: its related-party check converts prices with the
exchange-rates dataset, built from ZEMM07 in the same invocation just before it.

Incremental sources (ZSDR002, ZEMM004, ZEMM07) arrive as windows of dates with a look-back, so one
extract is never the whole picture. Their rows are the union of the extracts kept (see
`service_layer.incremental`), the newest extract deciding each date of its window and each key it
holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ior_contracts.datasets import DATASETS

from ior_etl.domain.sap_fields import (
    CBP_FEES,
    ZEMM004,
    ZEMM005,
    ZEMM07,
    ZFMIOR001,
    ZFMIOR002,
    ZFMIOR003,
    ZSDR002,
)

USITC_HTS = "USITC_HTS"
EXCHANGE_RATES = "exchange-rates"
FEE_TABLE = "fee-table"


@dataclass(frozen=True)
class Incremental:
    """A windowed source: the field its window filters on, and the key a newer extract replaces."""

    date_field: str
    key: tuple[str, ...]


NEEDS: Mapping[str, tuple[str, ...]] = {
    "product-master": (ZEMM005.name, ZFMIOR002.name),
    "packaging-materials": (ZEMM005.name, ZFMIOR002.name),
    "hts-reference": (ZFMIOR001.name, USITC_HTS),
    "tariff-provisions": (ZFMIOR003.name,),
    "exchange-rates": (ZEMM07.name,),
    "transactions": (ZSDR002.name, ZEMM004.name, ZEMM07.name),
    # Not per mode and announced by its own events (`etl.fee_table.*`): built when the notices land.
    FEE_TABLE: (CBP_FEES.name,),
}

INCREMENTAL: Mapping[str, Incremental] = {
    # Extracted by arrival (the business date), as ingestion filters it.
    ZSDR002.name: Incremental(ZSDR002.arrival, (ZSDR002.document, ZSDR002.item)),
    ZEMM004.name: Incremental(ZEMM004.document_date, (ZEMM004.document, ZEMM004.year, ZEMM004.item)),
    ZEMM07.name: Incremental(
        ZEMM07.valid_from, (ZEMM07.rate_type, ZEMM07.from_currency, ZEMM07.to_currency, ZEMM07.valid_from)
    ),
}

# Sources a dataset needs only through another dataset: transactions read ZEMM07 as the current
# exchange-rates version, not as extracts.
THROUGH: Mapping[str, Mapping[str, str]] = {"transactions": {ZEMM07.name: EXCHANGE_RATES}}

# The sources whose arrival resolves rows rejected for missing master data (the `master_data` rules):
# a material without its ZFMIOR002 weight record, an HTS line not in the official revision.
MASTER_DATA: Mapping[str, tuple[str, ...]] = {
    "product-master": (ZFMIOR002.name,),
    "packaging-materials": (ZFMIOR002.name,),
    "hts-reference": (USITC_HTS,),
}

# Exchange-rates comes before transactions, which reads it.
BUILD_ORDER: tuple[str, ...] = tuple(DATASETS)


def fed_by(source: str) -> tuple[str, ...]:
    """The datasets `source` feeds, in build order."""
    return tuple(d for d in BUILD_ORDER if source in NEEDS[d])
