"""Each subscription's pattern matches exactly the contracts it declares: checked with the example
events and moto's own pattern matcher (the one that routes `put_events`)."""

from __future__ import annotations

import pytest
from ior_contracts.examples import all_examples
from ior_contracts.registry import model_for
from ior_contracts.topology import Subscription, load_topology
from ior_tools.runtime.patterns import matches

from tests.support.probe import PROBE, WITNESS

TOPOLOGY = load_topology(extra=(PROBE, WITNESS))
SUBSCRIPTIONS = [sub for _, sub in TOPOLOGY.subscriptions]
TOPOLOGY_CONTRACTS = sorted(all_examples())


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


@pytest.mark.parametrize("subscription", [s for s in SUBSCRIPTIONS if not s.aws_events], ids=lambda s: s.name)
def test_a_subscription_matches_a_contract_only_from_the_service_that_owns_it(
    subscription: Subscription,
) -> None:
    sources = {model_for(t).SOURCE for t in TOPOLOGY_CONTRACTS}
    for detail_type, example in all_examples().items():
        for source in sources - {model_for(detail_type).SOURCE}:
            forged = {**example, "source": source}
            assert not matches(subscription.event_pattern(), forged), (
                f"{subscription.name} takes {detail_type} from {source}"
            )


def test_a_subscription_to_several_producers_has_one_branch_per_producer() -> None:
    projections = next(s for s in SUBSCRIPTIONS if s.name == "api-projections")
    branches = projections.event_pattern()["$or"]
    for branch in branches:
        (source,) = branch["source"]
        assert {model_for(t).SOURCE for t in branch["detail-type"]} == {source}
    assert sorted(t for b in branches for t in b["detail-type"]) == sorted(projections.detail_types)
