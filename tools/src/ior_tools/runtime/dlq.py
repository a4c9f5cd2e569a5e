"""Dead-letter queues: look without taking, and redrive (receive, send to the source queue, delete;
moto has no message-move task)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    detail_type: str
    event_id: str
    receive_count: int
    body: str


def peek(sqs: Any, dlq_url: str, limit: int = 10) -> list[DeadLetter]:
    """Up to `limit` messages, left visible (visibility timeout 0) for the next look."""
    found: dict[str, DeadLetter] = {}
    for _ in range(max(1, limit // 10 + 1)):
        got = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=0, AttributeNames=["All"]
        ).get("Messages", [])
        for m in got:
            found.setdefault(m["MessageId"], _letter(m))
        if not got or len(found) >= limit:
            break
    return list(found.values())[:limit]


def redrive(sqs: Any, dlq_url: str, queue_url: str) -> int:
    """Move every message back to its source queue; the number moved."""
    moved = 0
    while True:
        got = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=30).get(
            "Messages", []
        )
        if not got:
            return moved
        for m in got:
            sqs.send_message(QueueUrl=queue_url, MessageBody=m["Body"])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=m["ReceiptHandle"])
            moved += 1


def _letter(message: dict[str, Any]) -> DeadLetter:
    try:
        event = json.loads(message["Body"])
        detail_type = str(event.get("detail-type", "?"))
        event_id = str(event.get("detail", {}).get("metadata", {}).get("event_id", "?"))
    except (ValueError, AttributeError):
        detail_type, event_id = "?", "?"
    count = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "0"))
    return DeadLetter(message["MessageId"], detail_type, event_id, count, message["Body"])
