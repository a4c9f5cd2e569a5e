"""The one place the ingestion service's dependencies are wired (once per cold start)."""

from __future__ import annotations

import time

import httpx
from aws_lambda_powertools.utilities.parameters import SecretsProvider
from ior_contracts.settings import ServiceSettings

from ior_ingestion.adapters.fee_notices import RecordedFeeNotices
from ior_ingestion.adapters.landing import S3Landing
from ior_ingestion.adapters.ledger import RunLedger
from ior_ingestion.adapters.retrying import RetryPolicy
from ior_ingestion.adapters.sap import SapClient, SapCredentials
from ior_ingestion.adapters.staging import TempFileStaging
from ior_ingestion.adapters.usitc import UsitcClient
from ior_ingestion.config import IngestionConfig
from ior_ingestion.ports import Deps


def wire(settings: ServiceSettings) -> Deps:
    config = IngestionConfig()
    dynamodb, s3 = settings.client("dynamodb"), settings.client("s3")
    secrets = SecretsProvider(boto3_client=settings.client("secretsmanager"))
    secret_name = settings.naming.secret("sap")
    timeout = httpx.Timeout(connect=5.0, read=config.sap_read_timeout_s, write=10.0, pool=10.0)
    retry = RetryPolicy(
        attempts=config.sap_attempts,
        timeout=config.sap_retry_budget_s,
        wait_initial=config.sap_wait_initial_s,
        wait_max=config.sap_wait_max_s,
    )

    def sap() -> SapClient:
        # Read per run through a short cache, so a rotated secret is picked up without a deploy.
        text = secrets.get(secret_name, max_age=config.secret_max_age_s)
        return SapClient(SapCredentials.from_secret(str(text)), timeout=timeout, retry=retry)

    return Deps(
        config=config,
        sap=sap,
        usitc=UsitcClient(config.usitc_api),
        ledger=RunLedger(dynamodb, settings.table),
        fee_notices=RecordedFeeNotices(dynamodb, settings.table, s3, settings.audit, settings.prefix),
        staging=TempFileStaging(),
        landing=S3Landing(s3, settings.data, settings.audit, settings.prefix),
        clock=lambda: int(time.time()),
    )
