"""Which domain builder makes each dataset, from SAP-shaped frames: the landed extracts (mode
`automated`) or a legacy CSV read into their form (mode `manual`). Both the service and
`ior shadow-report` build through here."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from ior_contracts.engine_time import engine
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.hts_reference import build_hts_reference
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.legacy.reading import LegacyRead, attributed
from ior_etl.domain.official_hts import OfficialRevision
from ior_etl.domain.packaging_materials import build_packaging_materials
from ior_etl.domain.product_master import build_product_master
from ior_etl.domain.sap_fields import ZEMM004, ZEMM005, ZEMM07, ZFMIOR001, ZFMIOR002, ZFMIOR003, ZSDR002
from ior_etl.domain.tariff_provisions import build_tariff_provisions
from ior_etl.domain.transactions import build_transactions

# The legacy file each manual dataset comes from, as the analysts name it.
LEGACY_FILES: Mapping[str, str] = {f.dataset: f.format.file for f in MANUAL.values()}


def _build(
    dataset: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    mode: Mode,
    policy: HoldPolicy | None,
    revision: OfficialRevision | None = None,
    rates: pd.DataFrame | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    # Validation and build are the ETL's engine (`bench/etl_transactions.py`); reading a file is not.
    with engine():
        return _built(
            dataset, frames, mode=mode, policy=policy, revision=revision, rates=rates, earlier=earlier
        )


def _built(
    dataset: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    mode: Mode,
    policy: HoldPolicy | None,
    revision: OfficialRevision | None,
    rates: pd.DataFrame | None,
    earlier: pd.DataFrame | None,
) -> DatasetBuild:
    if dataset in ("product-master", "packaging-materials"):
        build = build_product_master if dataset == "product-master" else build_packaging_materials
        return build(frames[ZEMM005.name], frames[ZFMIOR002.name], mode=mode, policy=policy, earlier=earlier)
    if dataset == "hts-reference":
        return build_hts_reference(
            frames[ZFMIOR001.name], revision, mode=mode, policy=policy, earlier=earlier
        )
    if dataset == "tariff-provisions":
        return build_tariff_provisions(frames[ZFMIOR003.name], mode=mode, policy=policy, earlier=earlier)
    if dataset == "exchange-rates":
        return build_exchange_rates(frames[ZEMM07.name], mode=mode, policy=policy, earlier=earlier)
    if dataset == "transactions":
        supplier_items = frames.get(ZEMM004.name)
        return build_transactions(
            frames[ZSDR002.name], supplier_items, rates=rates, mode=mode, policy=policy, earlier=earlier
        )
    raise KeyError(f"no builder for {dataset!r}")


def build_automated(
    dataset: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    policy: HoldPolicy | None = None,
    revision: OfficialRevision | None = None,
    rates: pd.DataFrame | None = None,
) -> DatasetBuild:
    """`frames`: each SAP extract the dataset needs, by name; `rates`: the exchange-rates dataset."""
    return _build(dataset, frames, mode="automated", policy=policy, revision=revision, rates=rates)


def build_manual(
    kind: str, data: bytes, *, policy: HoldPolicy | None = None, revision: OfficialRevision | None = None
) -> DatasetBuild:
    """One legacy file → its dataset in mode `manual`; raises `LegacyFileError` for a file that is
    not in its pinned format. `revision` cross-checks HTS_Code.csv's rates."""
    return build_read(kind, MANUAL[kind].read(data), policy=policy, revision=revision)


def build_read(
    kind: str, read: LegacyRead, *, policy: HoldPolicy | None = None, revision: OfficialRevision | None = None
) -> DatasetBuild:
    """`build_manual` of a legacy file already read (`LegacyFile.read`, `read_checked`)."""
    build = _build(
        MANUAL[kind].dataset,
        read.frames,
        mode="manual",
        policy=policy,
        revision=revision,
        earlier=read.rejected,
    )
    return attributed(build, read)
