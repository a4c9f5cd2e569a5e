"""The stage's routes as the program declares them from the topology: a rule per subscription with
its pattern, its queue and DLQ, and the schedules on the bus. (The local stack is this program
deployed, so there is no second description to keep in step.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_contracts.registry import model_for
from ior_contracts.topology import Naming, load_topology

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"


def _stage_bus_rules(stack: Recorder) -> list[Any]:
    """The subscriptions' rules on the stage's bus (the consumers' forwarding rules aside)."""
    return [
        r
        for r in stack.of(RULE)
        if r.inputs["eventBusName"] == Naming("dev").bus and not r.name.startswith("consumers-")
    ]


def test_each_subscription_has_a_rule_with_its_pattern_on_the_stages_bus(dev: Recorder) -> None:
    naming = Naming("dev")
    declared = {r.inputs["name"]: json.loads(r.inputs["eventPattern"]) for r in _stage_bus_rules(dev)}
    expected = {naming.rule(sub.name): sub.event_pattern() for _, sub in load_topology().subscriptions}
    assert declared == expected
    # Besides, only the forwarding of CloudWatch's alarm events from the default bus and of the
    # consumer accounts' families to their buses (`test_consumers`).
    others = [r for r in dev.of(RULE) if r not in _stage_bus_rules(dev)]
    assert sorted((r.name, r.inputs["eventBusName"]) for r in others) == [
        ("alert-routing-alarm-states", "default"),
        ("consumers-to-444455556666", "ior-dev"),
        ("consumers-to-777788889999", "ior-dev"),
    ]


def test_each_subscription_queue_redrives_to_its_own_dlq(dev: Recorder) -> None:
    naming = Naming("dev")
    queues = {q.inputs["name"]: q for q in dev.of("aws:sqs/queue:Queue")}
    for _, sub in load_topology().subscriptions:
        redrive = json.loads(queues[naming.queue(sub.name)].inputs["redrivePolicy"])
        assert redrive["deadLetterTargetArn"].rsplit(":", 1)[1] == naming.dlq(sub.name), sub.name
        assert int(redrive["maxReceiveCount"]) == sub.max_receive_count, sub.name
        assert naming.dlq(sub.name) in queues, sub.name


def test_each_rule_targets_its_own_queue(dev: Recorder) -> None:
    rules = {r.inputs["name"] for r in _stage_bus_rules(dev)}
    targets = [t for t in dev.of(TARGET) if t.inputs["rule"] in rules]
    assert len(targets) == len(_stage_bus_rules(dev))
    for t in targets:
        assert t.inputs["arn"].rsplit(":", 1)[1] == t.inputs["rule"], t.name


def test_schedules_are_the_declared_ones_on_the_bus(dev: Recorder) -> None:
    naming = Naming("dev")
    bus_arn = dev.named("aws:cloudwatch/eventBus:EventBus", "events-bus").state["arn"]
    declared = {s.inputs["name"]: s for s in dev.of("aws:scheduler/schedule:Schedule")}
    expected = {naming.schedule(s.name): s for _, s in load_topology().schedules}
    assert set(declared) == set(expected)
    for name, schedule in expected.items():
        resource = declared[name]
        target = resource.inputs["target"]
        model = model_for(schedule.detail_type)
        assert resource.inputs["scheduleExpression"] == schedule.cron, name
        assert target["arn"] == bus_arn, name
        assert target["eventbridgeParameters"] == {"detailType": schedule.detail_type, "source": model.SOURCE}
        detail = json.loads(target["input"])
        assert detail["data"] == dict(schedule.data), name
        model.model_validate(detail["data"])
        assert detail["metadata"]["producer"] == model.SOURCE, name
        # A retried tick keeps its event id: the scheduled time names it, not the execution id.
        event_id = f"schedule:{schedule.name}:<aws.scheduler.scheduled-time>"
        assert detail["metadata"]["event_id"] == detail["metadata"]["correlation_id"] == event_id, name
        assert "execution-id" not in target["input"], name
