"""Per subscription: a DLQ with maxReceiveCount 5, an alarm on its depth to the alert topic, a
queue policy allowing only its rule, and a mapping with partial batch responses."""

from __future__ import annotations

import json

import pytest
from ior_contracts.topology import Naming, Subscription, load_topology

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SUBSCRIPTIONS = [sub for _, sub in load_topology().subscriptions]


def test_every_queue_has_a_dlq_and_an_alarm(dev: Recorder) -> None:
    naming = Naming("dev")
    alarms = {
        a.inputs["dimensions"]["QueueName"]: a.inputs
        for a in dev.of("aws:cloudwatch/metricAlarm:MetricAlarm")
        if "QueueName" in a.inputs.get("dimensions", {})
    }
    for sub in SUBSCRIPTIONS:
        queue = dev.named("aws:sqs/queue:Queue", f"subscriptions-{sub.name}-queue")
        redrive = json.loads(queue.inputs["redrivePolicy"])
        assert redrive["maxReceiveCount"] == sub.max_receive_count, sub.name
        assert redrive["deadLetterTargetArn"].endswith(naming.dlq(sub.name)), sub.name
        alarm = alarms[naming.dlq(sub.name)]
        assert (alarm["metricName"], alarm["threshold"], alarm["comparisonOperator"]) == (
            "ApproximateNumberOfMessagesVisible",
            0,
            "GreaterThanThreshold",
        ), sub.name
        assert alarm["alarmActions"] == _actions(dev, sub), sub.name


def test_each_queue_accepts_only_its_rule(dev: Recorder) -> None:
    for sub in SUBSCRIPTIONS:
        rule_arn = dev.named("aws:cloudwatch/eventRule:EventRule", f"subscriptions-{sub.name}-rule").state[
            "arn"
        ]
        policy = json.loads(
            dev.named("aws:sqs/queuePolicy:QueuePolicy", f"subscriptions-{sub.name}-policy").inputs["policy"]
        )
        [statement] = policy["Statement"]
        assert statement["Action"] == "sqs:SendMessage", sub.name
        assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": rule_arn}}, sub.name


def test_each_mapping_reports_batch_item_failures(dev: Recorder) -> None:
    for sub in SUBSCRIPTIONS:
        mapping = dev.named("aws:lambda/eventSourceMapping:EventSourceMapping", f"services-{sub.name}-source")
        queue = dev.named("aws:sqs/queue:Queue", f"subscriptions-{sub.name}-queue")
        function = dev.named("aws:lambda/function:Function", f"services-{sub.name}")
        assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"], sub.name
        assert mapping.inputs["batchSize"] == sub.batch_size, sub.name
        assert mapping.inputs["eventSourceArn"] == queue.state["arn"], sub.name
        assert mapping.inputs["functionName"] == function.state["arn"], sub.name
        assert function.inputs["handler"] == sub.handler.replace(":", "."), sub.name
        assert function.inputs["timeout"] == sub.timeout_s, sub.name


def test_each_queue_hides_a_message_six_times_its_functions_timeout_and_retries_it_five_times(
    dev: Recorder,
) -> None:
    for sub in SUBSCRIPTIONS:
        queue = dev.named("aws:sqs/queue:Queue", f"subscriptions-{sub.name}-queue").inputs
        function = dev.named("aws:lambda/function:Function", f"services-{sub.name}").inputs
        assert queue["visibilityTimeoutSeconds"] >= 6 * function["timeout"], sub.name
        assert json.loads(queue["redrivePolicy"])["maxReceiveCount"] >= 5, sub.name


def test_each_function_failure_alarms_the_alert_topic(dev: Recorder) -> None:
    for sub in SUBSCRIPTIONS:
        alarm = dev.named("aws:cloudwatch/metricAlarm:MetricAlarm", f"services-{sub.name}-errors").inputs
        assert alarm["name"] == f"ior-dev-{sub.name}-errors", sub.name
        assert alarm["dimensions"] == {"FunctionName": f"ior-dev-{sub.name}"}, sub.name
        assert (alarm["metricName"], alarm["threshold"]) == ("Errors", 0), sub.name
        assert alarm["alarmActions"] == _actions(dev, sub), sub.name


def _actions(dev: Recorder, sub: Subscription) -> list[str]:
    """The alert topic; and the watchdog's unfiltered e-mail too for a subscription that raises alerts."""
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    watchdog = dev.named("aws:sns/topic:Topic", "alerts-watchdog").state["arn"]
    service = next(s for s, declared in load_topology().subscriptions if declared == sub)
    return [topic, watchdog] if service.needs_of(sub).alerts else [topic]


def test_the_alerting_functions_are_watched_through_the_unfiltered_route(dev: Recorder) -> None:
    watched = {sub.name for s, sub in load_topology().subscriptions if s.needs_of(sub).alerts}
    assert watched == {"api-projections", "api-alarms"}
    slack = dev.named("aws:cloudwatch/metricAlarm:MetricAlarm", "services-api-slack-errors").inputs
    watchdog = dev.named("aws:sns/topic:Topic", "alerts-watchdog").state["arn"]
    assert watchdog in slack["alarmActions"]
