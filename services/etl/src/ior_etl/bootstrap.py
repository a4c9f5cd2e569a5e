"""The one place the ETL's dependencies are wired (once per cold start)."""

from __future__ import annotations

from ior_contracts.settings import ServiceSettings
from ior_contracts.versioning import code_version

from ior_etl.adapters.catalog import Catalog
from ior_etl.adapters.storage import S3Objects
from ior_etl.config import EtlConfig
from ior_etl.ports import Deps


def wire(settings: ServiceSettings) -> Deps:
    config = EtlConfig()
    return Deps(
        policy=config.policy(),
        code_version=code_version("ior_etl"),
        catalog=Catalog(settings.client("dynamodb"), settings.table),
        objects=S3Objects(settings.claim_checked_s3(), settings.data, settings.audit, settings.prefix),
        fee_coverage_days=config.fee_coverage_days,
    )
