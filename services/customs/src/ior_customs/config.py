"""The customs service's settings: one class, part of its handlers' version. The fee table, which
changes what a run produces, is project data the domain reads (`domain/fee_table.py`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from ior_customs.domain.fee_table import FEE_TABLE


class CustomsConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_CUSTOMS_", frozen=True)

    # How long a loaded snapshot is kept in memory, and how many (six datasets in two modes).
    snapshot_cache_ttl_s: float = 900.0
    snapshot_cache_entries: int = 12
    # How long a claimed run may hold its key before another delivery may take it over. Shorter than
    # the subscriptions' visibility timeout, so SQS's retry of a crashed run finds the lease expired.
    run_lease_s: int = 240

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: the fee table. The cache and the lease do not."""
        return {"fees": FEE_TABLE.version}
