"""What a stack is configured with: only non-secret values live here; secrets are read where used."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

PROD = "prod"


@dataclass(frozen=True)
class StackSettings:
    stage: str
    alert_email: str
    availability_zones: tuple[str, str]
    artifact_dir: str = "dist"
    # The account (IOR) that reads the published customs and compare outputs; none, no grant.
    cross_account_id: str | None = None

    @property
    def is_prod(self) -> bool:
        return self.stage == PROD

    def artifact(self, service: str) -> str:
        """The zip `make package` builds for a service."""
        return f"{self.artifact_dir}/{service}.zip"

    @classmethod
    def from_config(cls) -> StackSettings:
        config = pulumi.Config()
        zones = config.require_object("availabilityZones")
        if not isinstance(zones, list) or len(zones) != 2:
            raise ValueError("availabilityZones must list exactly two zones")
        return cls(
            stage=pulumi.get_stack(),
            alert_email=config.require("alertEmail"),
            availability_zones=(str(zones[0]), str(zones[1])),
            artifact_dir=config.get("artifactDir") or "dist",
            cross_account_id=config.get("crossAccountId"),
        )
