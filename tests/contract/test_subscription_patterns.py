"""Each subscription's pattern matches exactly the contracts it declares: checked with the example
events and moto's own pattern matcher (the one that routes `put_events`)."""

from __future__ import annotations

import pytest
from ior_contracts.examples import all_examples
from ior_contracts.topology import Subscription, load_topology
from ior_tools.runtime.patterns import matches

from tests.support.probe import PROBE, WITNESS

TOPOLOGY = load_topology(extra=(PROBE, WITNESS))
SUBSCRIPTIONS = [sub for _, sub in TOPOLOGY.subscriptions]


@pytest.mark.parametrize("subscription", SUBSCRIPTIONS, ids=lambda s: s.name)
def test_a_subscription_matches_no_contract_it_does_not_declare(subscription: Subscription) -> None:
    for detail_type, example in all_examples().items():
        if detail_type not in subscription.detail_types:
            assert not matches(subscription.event_pattern(), example), (
                f"{subscription.name} matches {detail_type}"
            )


@pytest.mark.parametrize("subscription", [s for s in SUBSCRIPTIONS if not s.filters], ids=lambda s: s.name)
def test_an_unfiltered_subscription_matches_every_contract_it_declares(subscription: Subscription) -> None:
    examples = all_examples()
    for detail_type in subscription.detail_types:
        assert matches(subscription.event_pattern(), examples[detail_type]), (
            f"{subscription.name} misses {detail_type}"
        )


def test_a_filtered_subscription_matches_only_events_passing_its_filter() -> None:
    manual_only = next(s for s in SUBSCRIPTIONS if s.name == "probe-manual-runs")
    example = all_examples()["customs.run.requested.v1"]
    for mode, expected in (("manual", True), ("automated", False)):
        event = {
            **example,
            "detail": {**example["detail"], "data": {**example["detail"]["data"], "mode": mode}},
        }
        assert matches(manual_only.event_pattern(), event) is expected


def test_every_declared_subscription_of_the_installed_services_is_covered() -> None:
    installed = {sub.name for _, sub in load_topology().subscriptions}
    assert installed <= {s.name for s in SUBSCRIPTIONS}
