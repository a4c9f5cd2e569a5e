"""The ETL service's configuration: reject-rate threshold overrides per dataset and whether an empty
run is held, read from the environment. What it decides is the domain's `HoldPolicy`, whose version
is part of every handler's version and every dataset version."""

from __future__ import annotations

from decimal import Decimal

from ior_contracts.metrics import FEE_COVERAGE_DAYS
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ior_etl.domain.hold_policy import DEFAULT_THRESHOLDS, HoldPolicy


class EtlConfig(BaseSettings):
    """`IOR_ETL_THRESHOLDS='{"transactions": "0.02"}'` overrides one dataset's threshold."""

    model_config = SettingsConfigDict(env_prefix="IOR_ETL_", frozen=True)

    thresholds: dict[str, Decimal] = Field(default_factory=dict)
    hold_empty: bool = True
    # Days ahead the fee table must cover (DOMAIN §4 step 7): less, and its events ask for an alert.
    fee_coverage_days: int = FEE_COVERAGE_DAYS

    def policy(self) -> HoldPolicy:
        return HoldPolicy({**DEFAULT_THRESHOLDS, **self.thresholds}, self.hold_empty)

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: the thresholds and the empty-run rule, as one digest, and the
        fee table's coverage threshold."""
        return {"etl_settings": self.policy().version(), "fee_coverage_days": str(self.fee_coverage_days)}
