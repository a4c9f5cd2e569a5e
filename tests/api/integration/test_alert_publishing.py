"""Each alert is published once to the SNS alert topic as one readable message; CloudWatch alarm
state changes become alerts too; the Slack route posts the topic's messages to the webhook."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from ior_api.adapters.notifier import SnsNotifier
from ior_api.adapters.readmodels import ReadModels
from ior_api.entrypoints import slack
from ior_api.entrypoints.alarms import AlarmHandler
from ior_api.entrypoints.projections import consumer
from ior_api.ports import Deps
from ior_contracts import examples

from tests.api.conftest import Api, project

ALARM_EVENT = {
    "version": "0",
    "id": "4a5b6c7d-0000-4000-8000-000000000001",
    "detail-type": "CloudWatch Alarm State Change",
    "source": "aws.cloudwatch",
    "time": "2026-03-17T05:40:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ior-local-sap-down"],
    "detail": {
        "alarmName": "ior-local-sap-down",
        "state": {
            "value": "ALARM",
            "reason": "Threshold Crossed: 1 datapoint [2.0] was >= the threshold (1.0).",
            "timestamp": "2026-03-17T05:40:00.123+0000",
        },
        "previousState": {"value": "OK", "reason": "", "timestamp": "2026-03-16T05:40:00.000+0000"},
        "configuration": {"description": "SAP extracts are failing"},
    },
}


@pytest.fixture
def outbox(api: Api) -> Iterator[tuple[Deps, Any, str]]:
    """Deps publishing to a fresh topic, and a queue subscribed to it that shows what was sent."""
    sns, sqs = api.services.settings.client("sns"), api.services.settings.client("sqs")
    topic = sns.create_topic(Name=f"alerts-{api.services.settings.table}")["TopicArn"]
    queue = sqs.create_queue(QueueName=f"outbox-{api.services.settings.table}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "false"})
    deps = Deps(
        readmodels=ReadModels(api.dynamodb, api.services.settings.table),
        notifier=SnsNotifier(sns, topic),
        dashboard_url="https://ior.example.com",
    )
    yield deps, sqs, queue
    sqs.delete_queue(QueueUrl=queue)
    sns.delete_topic(TopicArn=topic)


def sent(sqs: Any, queue: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
        "Messages", []
    )
    return [json.loads(m["Body"]) for m in messages]


def test_an_alerting_event_is_published_once_however_often_it_arrives(
    outbox: tuple[Deps, Any, str],
) -> None:
    deps, sqs, queue = outbox
    envelope = consumer.parse(json.dumps(examples.load("etl.dataset.held.v1")))[1]
    for _ in range(3):
        project(envelope, deps)

    (notification,) = sent(sqs, queue)
    assert notification["Subject"].startswith("[ior critical] Dataset ")
    lines = notification["Message"].splitlines()
    assert [line.split(":")[0] for line in lines] == ["CRITICAL", "Where", "Since", "What to do", "Link"]
    assert lines[2] == f"Since: {envelope.metadata.occurred_at.isoformat()}"
    assert notification["MessageAttributes"]["severity"]["Value"] == "critical"


def test_a_relative_link_points_into_the_dashboard(outbox: tuple[Deps, Any, str]) -> None:
    deps, sqs, queue = outbox
    project(consumer.parse(json.dumps(examples.load("compare.discrepancy.detected.v1")))[1], deps)
    (notification,) = sent(sqs, queue)
    assert notification["Message"].endswith("Link: https://ior.example.com/comparisons/cmp-20260316-r2")


def test_an_alarm_state_change_becomes_one_alert(api: Api, outbox: tuple[Deps, Any, str]) -> None:
    deps, sqs, queue = outbox
    alarms = AlarmHandler()
    alarms._wired = (deps, "local")
    record = {"messageId": "m-1", "body": json.dumps(ALARM_EVENT), "eventSource": "aws:sqs", "attributes": {}}
    for _ in range(2):
        assert alarms({"Records": [record]}, None) == {"batchItemFailures": []}

    (notification,) = sent(sqs, queue)
    assert "Alarm ior-local-sap-down is ALARM (was OK)" in notification["Subject"]
    assert "check SAP and its credentials" in notification["Message"]
    api.use(*api.session("otto", "operator")[:2])
    (alert,) = api.client.get("/api/alerts").json()
    assert alert["kind"] == "aws.cloudwatch.alarm"
    assert alert["since"] == "2026-03-17T05:40:00.123000Z"
    assert alert["details"]["description"] == "SAP extracts are failing"


def test_a_malformed_alarm_event_fails_only_its_record(outbox: tuple[Deps, Any, str]) -> None:
    deps, _, _ = outbox
    alarms = AlarmHandler()
    alarms._wired = (deps, "local")
    good = {"messageId": "m-1", "body": json.dumps(ALARM_EVENT), "eventSource": "aws:sqs", "attributes": {}}
    bad = {"messageId": "m-2", "body": json.dumps({"detail": {}}), "eventSource": "aws:sqs", "attributes": {}}
    assert alarms({"Records": [good, bad]}, None) == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def test_slack_gets_each_topic_message(webhook: tuple[str, list[dict[str, Any]]], monkeypatch: Any) -> None:
    url, received = webhook
    monkeypatch.setattr(slack, "webhook_url", lambda: url)
    event = {
        "Records": [{"Sns": {"Subject": "[ior critical] Dataset held", "Message": "CRITICAL: Dataset held"}}]
    }
    assert slack.handler(event, None) == {"posted": 1}
    assert received == [{"text": "*[ior critical] Dataset held*\nCRITICAL: Dataset held"}]


def test_slack_refuses_a_secret_without_a_webhook(api: Api, monkeypatch: Any) -> None:
    secrets = api.services.settings.client("secretsmanager")
    name = api.services.settings.naming.secret("slack")
    secrets.create_secret(Name=name, SecretString=json.dumps({"webhook_url": ""}))
    slack._provider.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="holds no webhook URL"):
            slack.webhook_url()
    finally:
        secrets.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        slack._provider.cache_clear()
