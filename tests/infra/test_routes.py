"""What Pulumi declares is what the local runtime provisions for the same topology: rules (name,
pattern), queues (visibility, DLQ, maxReceiveCount) and schedules."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from ior_contracts.registry import model_for
from ior_contracts.topology import Naming, load_topology
from ior_tools.runtime import provision

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class _Client:
    """Records the calls `provision` makes, answering with what it reads back."""

    def __init__(self, calls: dict[str, list[dict[str, Any]]]) -> None:
        self._calls = calls

    def __getattr__(self, operation: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self._calls[operation].append(kwargs)
            name = kwargs.get("QueueName", "")
            url = kwargs.get("QueueUrl", name)
            return {
                "EventBusArn": "arn:bus",
                "TopicArn": f"arn:aws:sns:local:{kwargs.get('Name', '')}",
                "QueueUrl": name,
                "Attributes": {"QueueArn": f"arn:aws:sqs:local:{url}"},
            }

        return call


class _Endpoint:
    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def client(self, _service: str) -> _Client:
        return _Client(self.calls)


RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"


def _stage_bus_rules(stack: Recorder) -> list[Any]:
    return [r for r in stack.of(RULE) if r.inputs["eventBusName"] == Naming("dev").bus]


def _local(stage: str) -> dict[str, list[dict[str, Any]]]:
    endpoint = _Endpoint()
    provision.provision(endpoint, load_topology(), Naming(stage))  # type: ignore[arg-type]
    return endpoint.calls


def test_rules_match_the_local_runtime(dev: Recorder) -> None:
    local = {
        c["Name"]: json.loads(c["EventPattern"])
        for c in _local("dev")["put_rule"]
        # The local event log stands in for the archive, which AWS replays from.
        if c["Name"] != Naming("dev").rule(provision.EVENT_LOG)
    }
    declared = {r.inputs["name"]: json.loads(r.inputs["eventPattern"]) for r in _stage_bus_rules(dev)}
    assert declared == local
    # Besides the stage's bus, only the forwarding of CloudWatch's alarm events from the default bus
    # (which the local runtime has no use for: moto raises no alarms).
    others = [r for r in dev.of(RULE) if r not in _stage_bus_rules(dev)]
    assert [(r.name, r.inputs["eventBusName"]) for r in others] == [("alert-routing-alarm-states", "default")]


def test_queues_match_the_local_runtime(dev: Recorder) -> None:
    naming = Naming("dev")
    local: dict[str, dict[str, Any]] = {}
    for c in _local("dev")["create_queue"]:
        if c["QueueName"] == naming.queue(provision.EVENT_LOG):
            continue
        attrs = c["Attributes"]
        redrive = json.loads(attrs["RedrivePolicy"]) if "RedrivePolicy" in attrs else None
        local[c["QueueName"]] = {
            "visibility": int(attrs["VisibilityTimeout"]) if "VisibilityTimeout" in attrs else None,
            "dlq": redrive["deadLetterTargetArn"].rsplit(":", 1)[1] if redrive else None,
            "maxReceiveCount": int(redrive["maxReceiveCount"]) if redrive else None,
        }
    declared: dict[str, dict[str, Any]] = {}
    for q in dev.of("aws:sqs/queue:Queue"):
        redrive = json.loads(q.inputs["redrivePolicy"]) if "redrivePolicy" in q.inputs else None
        declared[q.inputs["name"]] = {
            "visibility": q.inputs.get("visibilityTimeoutSeconds") if redrive else None,
            "dlq": redrive["deadLetterTargetArn"].rsplit(":", 1)[1] if redrive else None,
            "maxReceiveCount": int(redrive["maxReceiveCount"]) if redrive else None,
        }
    assert declared == local


def test_each_rule_targets_its_own_queue(dev: Recorder) -> None:
    targets = [t for t in dev.of(TARGET) if t.inputs["eventBusName"] == Naming("dev").bus]
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


def test_alert_topic_matches_the_local_runtime(dev: Recorder) -> None:
    [local] = _local("dev")["create_topic"]
    assert dev.named("aws:sns/topic:Topic", "alerts-topic").inputs["name"] == local["Name"]
