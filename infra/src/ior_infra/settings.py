"""What a stack is configured with, checked whole before any resource is declared: only non-secret
values live here; secrets are read where used (`Secrets`, `Edge`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from ior_contracts.topology import ServiceDeclaration

from ior_infra.config_schema import (
    KEYS,
    PROD,
    RETIRED,
    ConsumerAccount,
    check,
    consumer_accounts,
    default_on,
)

# `make package` writes each service's zip to dist/lambda/<service>/<service>.zip and the data
# services' shared layer to dist/lambda/data-layer/data-layer.zip (`ior_tools.packaging`).
DATA_LAYER = "data-layer"
# Share of a day's comparisons out of tolerance that raises the comparison-fail-rate alarm.
DEFAULT_COMPARISON_FAIL_RATE = 0.2
# Published versions of a snapshotted function kept besides the live one, for rollback.
DEFAULT_KEEP_VERSIONS = 3


@dataclass(frozen=True)
class StackSettings:
    stage: str
    availability_zones: tuple[str, str] | None
    # On-call addresses subscribed to the alert topics (each confirms its subscription once).
    alert_emails: tuple[str, ...] = ()
    artifact_dir: str = "dist"
    # Downstream accounts, each sent the event families it subscribed to and granted their objects.
    consumers: tuple[ConsumerAccount, ...] = ()
    comparison_fail_rate: float = DEFAULT_COMPARISON_FAIL_RATE
    # The dashboard's public address (the distribution's custom domain), for links in alerts.
    dashboard_url: str | None = None
    # What makes the stage's bucket names global; the account id when not set.
    bucket_suffix: str | None = None
    # The costly parts a non-prod stack goes without unless asked: the NAT gateway (and with it the
    # VPC the SAP extracts run in) and the WAF on the distribution.
    nat_gateway: bool = False
    waf: bool = False
    keep_versions: int = DEFAULT_KEEP_VERSIONS
    # Who may assume the operator role; empty: the account (its IAM policies decide).
    operators: tuple[str, ...] = ()
    # Service → the restored table it uses instead of its own (`ior table restore`).
    table_overrides: Mapping[str, str] = field(default_factory=dict)
    # Service → the settings the stack gives it (`serviceSettings`).
    service_settings: Mapping[str, Mapping[str, str | int | bool]] = field(default_factory=dict)

    def service_setting(self, service: str, name: str, default: int) -> int:
        return int(self.service_settings.get(service, {}).get(name, default))

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
        """The stack's settings; one `StackConfigError` naming every missing or invalid key."""
        stage = pulumi.get_stack()
        values = _configured()
        check(stage, values)
        zones = values.get("availabilityZones")
        return cls(
            stage=stage,
            availability_zones=(str(zones[0]), str(zones[1])) if zones else None,
            alert_emails=tuple(values["alertEmails"]),
            artifact_dir=_from_project_root(values.get("artifactDir") or "dist"),
            consumers=consumer_accounts(values.get("consumers")),
            comparison_fail_rate=float(values.get("comparisonFailRate", DEFAULT_COMPARISON_FAIL_RATE)),
            dashboard_url=values.get("dashboardUrl"),
            bucket_suffix=values.get("bucketSuffix"),
            nat_gateway=bool(values.get("natGateway", default_on(stage))),
            waf=bool(values.get("waf", default_on(stage))),
            keep_versions=int(values.get("keepVersions", DEFAULT_KEEP_VERSIONS)),
            operators=tuple(values.get("operators", ())),
            table_overrides=dict(values.get("tableOverrides", {})),
            service_settings=dict(values.get("serviceSettings", {})),
        )


def _configured() -> dict[str, Any]:
    """Every key of the schema the stack sets, JSON values decoded (lists, flags, numbers)."""
    project = pulumi.get_project()
    found: dict[str, Any] = {}
    for key in KEYS:
        full = key.name if ":" in key.name else f"{project}:{key.name}"
        raw = pulumi.runtime.get_config(full)
        if raw is None:
            continue
        try:
            found[key.name] = json.loads(raw) if key.is_json else raw
        except ValueError:
            found[key.name] = raw  # the key's check names what is wrong with it
    for name in RETIRED:
        if (raw := pulumi.runtime.get_config(f"{project}:{name}")) is not None:
            found[name] = raw
    return found


def _from_project_root(path: str) -> str:
    """Relative artifact paths are read from the project's root (where Pulumi.yaml is), whichever
    directory the program runs in."""
    if Path(path).is_absolute():
        return path
    root = Path(pulumi.get_root_directory() or ".")
    # Under the unit-test mocks there is no project directory: the path stays as configured.
    return str(root / path) if (root / "Pulumi.yaml").is_file() else path
