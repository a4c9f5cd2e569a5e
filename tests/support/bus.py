"""What the bus delivered to the local event-log queue, for tests that run handlers directly."""

from __future__ import annotations

import json
from typing import Any


def drain(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Every event waiting on the queue (removed from it), in the order received."""
    events: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return events
        events += [json.loads(m["Body"]) for m in got]
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)],
        )
