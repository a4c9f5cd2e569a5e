"""The ingestion service's configuration: one settings class, part of its handlers' version."""

from __future__ import annotations

from datetime import date

from pydantic_settings import BaseSettings, SettingsConfigDict

# The USITC's HTS service: `<api>/releaseList` lists its releases. Each release's JSON export is at
# the template's URL; locally `ior up` points both at its mock USITC.
USITC_API = "https://hts.usitc.gov/reststop"
USITC_EXPORT_TEMPLATE = "https://www.usitc.gov/sites/default/files/tata/hts/hts_{year}_{edition}_json.json"


class IngestionConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_INGESTION_", frozen=True)

    # The first date an incremental source extracts when it has no watermark yet.
    initial_start: date = date(2026, 1, 1)
    # The USITC's release list, and where a release's JSON export is (`{year}`, `{edition}`, `{name}`).
    usitc_api: str = USITC_API
    usitc_export_template: str = USITC_EXPORT_TEMPLATE
    # A release to land instead of the latest, by its name in the release list (`2026HTSRev10`).
    usitc_release: str = ""
    # A fixed export (local path or https URL) that replaces the release list altogether: the
    # revision it holds is then unknown unless `usitc_release` names it.
    usitc_location: str = ""
    # Days a newer release may wait without landing before `ingestion.hts_revision.overdue.v1`.
    usitc_overdue_days: int = 7
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
        """What changes the outputs: the first extracted date and which HTS release lands (and when
        a newer one is announced overdue). Where the USITC is reached and the lease do not."""
        return {
            "initial_start": self.initial_start.isoformat(),
            "usitc_release": self.usitc_release,
            "usitc_overdue_days": str(self.usitc_overdue_days),
        }
