"""The one place the customs service's dependencies are wired (once per cold start)."""

from __future__ import annotations

from datetime import UTC, datetime

from ior_contracts.settings import ServiceSettings
from ior_contracts.versioning import code_version

from ior_customs.adapters.catalogue import DatasetCatalogue
from ior_customs.adapters.datasets import S3Snapshots
from ior_customs.adapters.ledger import RunLedger
from ior_customs.adapters.outputs import S3Outputs
from ior_customs.config import CustomsConfig
from ior_customs.ports import Deps


def wire(settings: ServiceSettings) -> Deps:
    config = CustomsConfig()
    dynamodb, s3 = settings.client("dynamodb"), settings.claim_checked_s3()
    return Deps(
        config=config,
        catalogue=DatasetCatalogue(dynamodb, settings.table),
        snapshots=S3Snapshots(
            s3, ttl_s=config.snapshot_cache_ttl_s, max_entries=config.snapshot_cache_entries
        ),
        ledger=RunLedger(dynamodb, settings.table),
        outputs=S3Outputs(s3, settings.data, settings.audit, settings.prefix),
        code_version=code_version("ior_customs"),
        clock=lambda: datetime.now(UTC),
    )
