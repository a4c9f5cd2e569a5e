"""The customs service's settings: one class, part of its handlers' version. The fee table, which
changes what a run produces, is reference data the ETL publishes: its version is in each run's key."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class CustomsConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_CUSTOMS_", frozen=True)

    # How long a loaded snapshot is kept in memory, and how many (six datasets in two modes, and the
    # fee table before and after a change).
    snapshot_cache_ttl_s: float = 900.0
    snapshot_cache_entries: int = 14
    # How long a claimed run may hold its key before another delivery may take it over. Shorter than
    # the subscriptions' visibility timeout, so SQS's retry of a crashed run finds the lease expired.
    run_lease_s: int = 240

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: nothing here (the cache and the lease do not; the fee table is
        one of the run's inputs)."""
        return {}
