"""One call from configuration to a deployed stage: the program run into the local cloud and read
back as a `Deployment`. The local stack and the in-process tests deploy through it alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ior_contracts.topology import SECRETS, Topology

from ior_tools.rehearsal.cloud import LocalCloud
from ior_tools.rehearsal.deployment import Deployment
from ior_tools.rehearsal.engine import run_program

# The configuration keys `ior stack init` sets with `--secret`.
SECRET_KEYS = frozenset(f"secret-{name}" for name in SECRETS)


def rehearse(
    client: Callable[[str], Any],
    *,
    account: str,
    region: str,
    stage: str,
    config: Mapping[str, Any],
    topology: Topology | None = None,
) -> Deployment:
    """Deploy the program for `stage` with `config` through `client` (a boto3 client factory)."""
    cloud = LocalCloud(client, account, region)
    return Deployment.of(run_program(stage, config, cloud, set(SECRET_KEYS), topology))
