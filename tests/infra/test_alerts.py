"""The alert topic routes to every configured e-mail address and to the Slack function; the
default bus forwards this stage's alarm state changes to the stage's bus through a role that may
only put events there."""

from __future__ import annotations

import json

import pytest
from ior_contracts.topology import Naming

from tests.infra.mocks import ACCOUNT, ALERT_EMAILS, REGION, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


def test_topic_is_named_for_the_stage_and_encrypted(dev: Recorder) -> None:
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic")
    assert topic.inputs["name"] == Naming("dev").alert_topic == "ior-dev-alerts"
    assert topic.inputs["kmsMasterKeyId"] == dev.named("aws:kms/key:Key", "storage-key").state["arn"]


def test_every_configured_address_is_subscribed_to_the_alerts_and_the_watchdog(dev: Recorder) -> None:
    for name in ("alerts-topic", "alerts-watchdog"):
        topic = dev.named("aws:sns/topic:Topic", name).state["arn"]
        emails = [s.inputs for s in dev.of(SUBSCRIPTION) if s.inputs["topic"] == topic]
        assert sorted(e["endpoint"] for e in emails if e["protocol"] == "email") == sorted(ALERT_EMAILS)


def test_slack_function_is_subscribed_and_only_the_topic_may_invoke_it(dev: Recorder) -> None:
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    function = dev.named("aws:lambda/function:Function", "services-api-slack")
    assert function.inputs["handler"] == "ior_api.entrypoints.slack.handler"
    assert function.inputs["code"].path.endswith("dist/lambda/api/api.zip")  # the API's artifact
    assert function.inputs["role"] == dev.named("aws:iam/role:Role", "services-api-slack-role").state["arn"]
    [slack] = [s.inputs for s in dev.of(SUBSCRIPTION) if s.inputs["protocol"] == "lambda"]
    assert (slack["topic"], slack["endpoint"]) == (topic, function.state["arn"])
    permission = dev.named("aws:lambda/permission:Permission", "alert-routing-slack-invoke").inputs
    assert (permission["principal"], permission["sourceArn"], permission["function"]) == (
        "sns.amazonaws.com",
        topic,
        function.state["name"],
    )


def test_alarm_state_changes_are_forwarded_from_the_default_bus(dev: Recorder) -> None:
    rule = dev.named("aws:cloudwatch/eventRule:EventRule", "alert-routing-alarm-states")
    assert rule.inputs["eventBusName"] == "default"
    assert json.loads(rule.inputs["eventPattern"]) == {
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        "resources": [{"prefix": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:ior-dev-"}],
    }
    bus = dev.named("aws:cloudwatch/eventBus:EventBus", "events-bus").state["arn"]
    target = dev.named("aws:cloudwatch/eventTarget:EventTarget", "alert-routing-alarm-states-target")
    role = dev.named("aws:iam/role:Role", "alert-routing-forwarder")
    assert (target.inputs["rule"], target.inputs["eventBusName"]) == (rule.state["name"], "default")
    assert (target.inputs["arn"], target.inputs["roleArn"]) == (bus, role.state["arn"])
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    policy = json.loads(
        dev.named("aws:iam/rolePolicy:RolePolicy", "alert-routing-forwarder-put").inputs["policy"]
    )
    [statement] = policy["Statement"]
    assert (statement["Effect"], statement["Action"], statement["Resource"]) == (
        "Allow",
        ["events:PutEvents"],
        [bus],
    )


def test_every_alarm_is_in_the_forwarded_prefix(dev: Recorder) -> None:
    for alarm in dev.of("aws:cloudwatch/metricAlarm:MetricAlarm"):
        assert alarm.inputs["name"].startswith("ior-dev-"), alarm.name


def test_people_get_the_readable_messages_only(dev: Recorder) -> None:
    # Raw CloudWatch notifications (the alarms' own actions) carry no `severity` attribute; the API's
    # readable message for the same state change does, so nobody is told twice.
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    subscriptions = [s for s in dev.of(SUBSCRIPTION) if s.inputs["topic"] == topic]
    assert subscriptions
    for subscription in subscriptions:
        assert json.loads(subscription.inputs["filterPolicy"]) == {"severity": [{"exists": True}]}, (
            subscription.name
        )


def test_the_watchdog_e_mails_every_raw_alarm_without_a_filter(dev: Recorder) -> None:
    watchdog = dev.named("aws:sns/topic:Topic", "alerts-watchdog")
    assert watchdog.inputs["name"] == "ior-dev-watchdog"
    assert watchdog.inputs["kmsMasterKeyId"] == dev.named("aws:kms/key:Key", "storage-key").state["arn"]
    routes = [s.inputs for s in dev.of(SUBSCRIPTION) if s.inputs["topic"] == watchdog.state["arn"]]
    assert {r["protocol"] for r in routes} == {"email"}
    assert all("filterPolicy" not in r for r in routes)
