"""What one run of the processor reads: the business date, the latest version of each published
dataset (columns as in `ior_contracts.datasets`), the fee table and the dataset versions for the
lineage. Only the columns listed here are read; others are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.fees import FeeTable

TRANSACTION_COLUMNS = (
    "document", "item", "type", "cancels", "cancelled", "billing_date", "material", "quantity", "unit",
    "value", "currency", "shipment", "port", "mode", "arrival",
)  # fmt: skip
PRODUCT_COLUMNS = (
    "material", "hts10", "origin", "net_kg", "gross_kg", "metal_share", "metal_value_per_unit",
    "metal_value_currency",
)  # fmt: skip
PACKAGING_COLUMNS = ("material", "unit_kg")
"""`is_packaging` is read when present; a row without it is packaging."""
HTS_COLUMNS = ("hts10", "description", "unit", "general_rate")
PROVISION_COLUMNS = (
    "code", "seq", "programme", "kind", "rate", "part", "hts_prefixes", "origins", "origins_excluded",
    "min_metal_share", "max_metal_share", "effective_from", "effective_to", "rank",
)  # fmt: skip
EXCHANGE_RATE_COLUMNS = ("currency", "date", "usd_per_unit")


class MissingColumnsError(CustomsDomainError):
    """A dataset handed to the processor lacks columns it reads."""

    def __init__(self, dataset: str, missing: list[str]) -> None:
        super().__init__(f"{dataset} lacks the columns {', '.join(missing)}")


def _require(frame: pd.DataFrame, dataset: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnsError(dataset, missing)


@dataclass(frozen=True)
class ProcessorInputs:
    """Everything one run reads. `transactions` may hold other arrival dates: the run takes the
    lines arriving on `business_date`. `dataset_versions` names the version of each dataset, kept
    in every line's lineage."""

    business_date: date
    transactions: pd.DataFrame
    products: pd.DataFrame
    packaging: pd.DataFrame
    hts: pd.DataFrame
    provisions: pd.DataFrame
    exchange_rates: pd.DataFrame
    fees: FeeTable
    dataset_versions: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(self.transactions, "transactions", TRANSACTION_COLUMNS)
        _require(self.products, "product-master", PRODUCT_COLUMNS)
        _require(self.packaging, "packaging-materials", PACKAGING_COLUMNS)
        _require(self.hts, "hts-reference", HTS_COLUMNS)
        _require(self.provisions, "tariff-provisions", PROVISION_COLUMNS)
        _require(self.exchange_rates, "exchange-rates", EXCHANGE_RATE_COLUMNS)
