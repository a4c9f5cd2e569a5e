"""The ETL service's configuration: reject-rate thresholds per dataset (defaults in `domain.config`)
and whether an empty run is held. Part of every handler's version and every dataset version."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ior_etl.domain.config import DEFAULT_THRESHOLDS, EtlSettings


class EtlConfig(BaseSettings):
    """`IOR_ETL_THRESHOLDS='{"transactions": "0.02"}'` overrides one dataset's threshold."""

    model_config = SettingsConfigDict(env_prefix="IOR_ETL_", frozen=True)

    thresholds: dict[str, Decimal] = Field(default_factory=dict)
    hold_empty: bool = True

    def settings(self) -> EtlSettings:
        return EtlSettings({**DEFAULT_THRESHOLDS, **self.thresholds}, self.hold_empty)

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: the thresholds and the empty-run rule, as one digest."""
        return {"etl_settings": self.settings().version()}
