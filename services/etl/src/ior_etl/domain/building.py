"""Which domain builder makes each dataset, from SAP-shaped frames (automated) or from a legacy
CSV (manual). Both the service and `ior shadow-report` build through here."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.hts_reference import build_hts_reference
from ior_etl.domain.legacy.exchange_rates import build_manual_exchange_rates
from ior_etl.domain.legacy.hts_code import build_manual_hts_reference
from ior_etl.domain.legacy.hts_tariff import build_manual_tariff_provisions
from ior_etl.domain.legacy.invoice_lines import build_manual_transactions
from ior_etl.domain.legacy.packaging_material import build_manual_packaging_materials
from ior_etl.domain.legacy.product_list import build_manual_product_master
from ior_etl.domain.official_hts import OfficialRevision
from ior_etl.domain.packaging_materials import build_packaging_materials
from ior_etl.domain.product_master import build_product_master
from ior_etl.domain.sap_fields import ZEMM004, ZEMM005, ZEMM07, ZFMIOR001, ZFMIOR002, ZFMIOR003, ZSDR002
from ior_etl.domain.tariff_provisions import build_tariff_provisions
from ior_etl.domain.transactions import build_transactions


def build_automated(
    dataset: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    policy: HoldPolicy,
    revision: OfficialRevision | None = None,
    rates: pd.DataFrame | None = None,
) -> DatasetBuild:
    """`frames`: each SAP extract the dataset needs, by name; `rates`: the exchange-rates dataset."""
    if dataset == "product-master":
        return build_product_master(frames[ZEMM005.name], frames[ZFMIOR002.name], policy=policy)
    if dataset == "packaging-materials":
        return build_packaging_materials(frames[ZEMM005.name], frames[ZFMIOR002.name], policy=policy)
    if dataset == "hts-reference":
        return build_hts_reference(frames[ZFMIOR001.name], revision, policy=policy)
    if dataset == "tariff-provisions":
        return build_tariff_provisions(frames[ZFMIOR003.name], policy=policy)
    if dataset == "exchange-rates":
        return build_exchange_rates(frames[ZEMM07.name], policy=policy)
    if dataset == "transactions":
        return build_transactions(frames[ZSDR002.name], frames[ZEMM004.name], rates=rates, policy=policy)
    raise KeyError(f"no automated builder for {dataset!r}")


ManualBuilder = Callable[[bytes, HoldPolicy, OfficialRevision | None], DatasetBuild]

# Each legacy file kind (`manual.upload.received.v1`), the dataset it makes, and how.
MANUAL: Mapping[str, tuple[str, ManualBuilder]] = {
    "product_list": ("product-master", lambda data, s, _: build_manual_product_master(data, policy=s)),
    "packaging_material": (
        "packaging-materials",
        lambda data, s, _: build_manual_packaging_materials(data, policy=s),
    ),
    "hts_code": ("hts-reference", lambda data, s, rev: build_manual_hts_reference(data, rev, policy=s)),
    "hts_tariff": ("tariff-provisions", lambda data, s, _: build_manual_tariff_provisions(data, policy=s)),
    "exchange_rates": ("exchange-rates", lambda data, s, _: build_manual_exchange_rates(data, policy=s)),
    "invoice_lines": ("transactions", lambda data, s, _: build_manual_transactions(data, policy=s)),
}

# The legacy file each manual dataset comes from, as the analysts name it.
LEGACY_FILES: Mapping[str, str] = {
    "product-master": "Product_List.csv",
    "packaging-materials": "Packaging_Material.csv",
    "hts-reference": "HTS_Code.csv",
    "tariff-provisions": "HTS Tariff.csv",
    "exchange-rates": "Exchange_Rates.csv",
    "transactions": "Invoice_Lines.csv",
}


def build_manual(
    kind: str, data: bytes, *, policy: HoldPolicy, revision: OfficialRevision | None = None
) -> DatasetBuild:
    """One legacy file → its dataset in mode `manual`; raises `LegacyFileError` for a file that is
    not in its pinned format."""
    _, builder = MANUAL[kind]
    return builder(data, policy, revision)
