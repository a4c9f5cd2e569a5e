"""The ingestion service's configuration: one settings class, part of its handlers' version."""

from __future__ import annotations

from datetime import date

from pydantic_settings import BaseSettings, SettingsConfigDict

# Where the official HTS JSON export is fetched from in AWS (each revision has its own file name, so
# the stack's configuration names the one in force); locally `ior up` points at the copy in
# `shared/reference/hts/`.
USITC_EXPORT_URL = "https://www.usitc.gov/sites/default/files/tata/hts/hts_2026_revision_10_json.json"


class IngestionConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_INGESTION_", frozen=True)

    # The first date an incremental source extracts when it has no watermark yet.
    initial_start: date = date(2026, 1, 1)
    # A local path or an https URL of the official HTS JSON export.
    usitc_location: str = USITC_EXPORT_URL
    # How long a claimed run may hold its window before another trigger may take it over.
    run_lease_s: int = 900
    # How long SAP credentials are cached before the secret is read again (rotation).
    secret_max_age_s: int = 300
    # The SAP client's patience: attempts per request, their total budget, the backoff, the read timeout.
    sap_attempts: int = 5
    sap_retry_budget_s: float = 120.0
    sap_wait_initial_s: float = 0.5
    sap_wait_max_s: float = 15.0
    sap_read_timeout_s: float = 60.0

    def versioned(self) -> dict[str, str]:
        """What changes the outputs: `usitc_location` and the lease do not."""
        return {"initial_start": self.initial_start.isoformat()}
