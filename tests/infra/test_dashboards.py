"""The health dashboard charts every subscription's queue, DLQ and function."""

from __future__ import annotations

import json

import pytest
from ior_contracts.topology import Naming, load_topology

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_health_dashboard_covers_every_subscription(dev: Recorder) -> None:
    naming = Naming("dev")
    body = json.loads(
        dev.named("aws:cloudwatch/dashboard:Dashboard", "dashboards-health").inputs["dashboardBody"]
    )
    charted = {m[3] for w in body["widgets"] for m in w["properties"]["metrics"]}
    for _, sub in load_topology().subscriptions:
        for name in (naming.queue(sub.name), naming.dlq(sub.name), f"ior-dev-{sub.name}"):
            assert name in charted, f"{sub.name}: {name} not charted"
