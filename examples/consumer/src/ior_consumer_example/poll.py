"""The handler on a workstation: poll the consumer's queue and handle what arrives, as the Lambda
event source mapping would (a message is deleted once handled; a failed one is left to return).

    ior-consumer-example --queue-url URL --table NAME --schemas contracts/src/ior_contracts/schemas
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3

from ior_consumer_example.handler import ConsumerError, DynamoSeenEvents, Handled, Handler, Schemas

log = logging.getLogger(__name__)


def poll_once(sqs: Any, queue_url: str, handler: Handler, wait_s: int = 1) -> list[Handled]:
    """One receive of up to ten messages: each handled, and deleted when it was."""
    received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_s)
    handled = []
    for message in received.get("Messages", []):
        try:
            handled.append(handler.handle(json.loads(message["Body"])))
        except (ConsumerError, ValueError) as failed:
            log.warning("message %s failed: %s", message["MessageId"], failed)
            continue
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return handled


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ior-consumer-example", description=__doc__.splitlines()[0])
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--table", required=True, help="the table events are recorded in")
    parser.add_argument("--schemas", required=True, type=Path, help="the folder of published schemas")
    parser.add_argument("--once", action="store_true", help="one receive, then stop")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    handler = Handler(
        boto3.client("s3"), DynamoSeenEvents(boto3.client("dynamodb"), args.table), Schemas(args.schemas)
    )
    sqs = boto3.client("sqs")
    while True:
        for handled in poll_once(sqs, args.queue_url, handler, wait_s=1 if args.once else 20):
            print(
                f"{handled.detail_type} {handled.event_id}: {len(handled.objects)} objects"
                + (" (already handled)" if handled.duplicate else "")
            )
        if args.once:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
