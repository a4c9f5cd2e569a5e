"""Alerts published to the SNS alert topic, which routes them to e-mail and to Slack."""

from __future__ import annotations

from typing import Any


class SnsNotifier:
    def __init__(self, sns: Any, topic_arn: str) -> None:
        self._sns = sns
        self._topic = topic_arn

    def publish(self, subject: str, text: str, severity: str) -> None:
        self._sns.publish(
            TopicArn=self._topic,
            Subject=subject,
            Message=text,
            # Lets a subscription filter, e.g. e-mail only for critical alerts.
            MessageAttributes={"severity": {"DataType": "String", "StringValue": severity}},
        )
