"""The handler as a Lambda function behind the consumer's queue (an SQS event source mapping with
`ReportBatchItemFailures`): only the messages that failed go back to the queue.

Environment: `IOR_CONSUMER_TABLE` (the table events are recorded in), `IOR_CONSUMER_SCHEMAS` (the
folder of published schemas packaged with the function)."""

from __future__ import annotations

import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import boto3

from ior_consumer_example.handler import ConsumerError, DynamoSeenEvents, Handler, Schemas

log = logging.getLogger(__name__)


@cache
def _handler() -> Handler:
    """Made on the first invocation, so nothing is created at import time."""
    seen = DynamoSeenEvents(boto3.client("dynamodb"), os.environ["IOR_CONSUMER_TABLE"])
    return Handler(boto3.client("s3"), seen, Schemas(Path(os.environ["IOR_CONSUMER_SCHEMAS"])))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    return handle_batch(event["Records"], _handler())


def handle_batch(records: list[dict[str, Any]], handler: Handler) -> dict[str, list[dict[str, str]]]:
    """Each record's event handled; the ids of those that failed, for SQS to redeliver."""
    failures = []
    for record in records:
        try:
            handled = handler.handle(json.loads(record["body"]))
        except (ConsumerError, ValueError) as failed:
            log.warning("message %s failed: %s", record["messageId"], failed)
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        log.info("%s %s%s", handled.detail_type, handled.event_id, " (again)" if handled.duplicate else "")
    return {"batchItemFailures": failures}
