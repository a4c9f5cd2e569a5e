"""What a stack is configured with: only non-secret values live here; secrets are read where used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi
from ior_contracts.topology import ServiceDeclaration

PROD = "prod"
# `make package` writes each service's zip to dist/lambda/<service>/<service>.zip and the data
# services' shared layer to dist/lambda/data-layer/data-layer.zip (`ior_tools.packaging`).
DATA_LAYER = "data-layer"
# Share of a day's comparisons out of tolerance that raises the comparison-fail-rate alarm.
DEFAULT_COMPARISON_FAIL_RATE = 0.2


@dataclass(frozen=True)
class StackSettings:
    stage: str
    availability_zones: tuple[str, str]
    # On-call addresses subscribed to the alert topic (each confirms its subscription once).
    alert_emails: tuple[str, ...] = ()
    artifact_dir: str = "dist"
    # The account (IOR) that reads the published customs and compare outputs; none, no grant.
    cross_account_id: str | None = None
    comparison_fail_rate: float = DEFAULT_COMPARISON_FAIL_RATE
    # The dashboard's public address (the distribution's custom domain), for links in alerts.
    dashboard_url: str | None = None

    @property
    def is_prod(self) -> bool:
        return self.stage == PROD

    def artifact(self, name: str) -> str:
        """The zip `make package` builds for a service (or the data layer)."""
        return str(Path(self.artifact_dir) / "lambda" / name / f"{name}.zip")

    def layers(self, service: ServiceDeclaration) -> tuple[str, ...]:
        return (DATA_LAYER,) if service.data_layer else ()

    @classmethod
    def from_config(cls) -> StackSettings:
        config = pulumi.Config()
        zones = config.require_object("availabilityZones")
        if not isinstance(zones, list) or len(zones) != 2:
            raise ValueError("availabilityZones must list exactly two zones")
        emails = config.get_object("alertEmails") or []
        if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
            raise ValueError("alertEmails must be a list of e-mail addresses")
        rate = config.get_float("comparisonFailRate")
        if rate is not None and not 0 < rate < 1:
            raise ValueError("comparisonFailRate must be a share between 0 and 1")
        return cls(
            stage=pulumi.get_stack(),
            availability_zones=(str(zones[0]), str(zones[1])),
            alert_emails=tuple(emails),
            artifact_dir=_from_project_root(config.get("artifactDir") or "dist"),
            cross_account_id=config.get("crossAccountId"),
            comparison_fail_rate=DEFAULT_COMPARISON_FAIL_RATE if rate is None else rate,
            dashboard_url=config.get("dashboardUrl"),
        )


def _from_project_root(path: str) -> str:
    """Relative artifact paths are read from the project's root (where Pulumi.yaml is), whichever
    directory the program runs in."""
    if Path(path).is_absolute():
        return path
    root = Path(pulumi.get_root_directory() or ".")
    # Under the unit-test mocks there is no project directory: the path stays as configured.
    return str(root / path) if (root / "Pulumi.yaml").is_file() else path
