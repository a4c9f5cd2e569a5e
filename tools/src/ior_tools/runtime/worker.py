"""One worker per subscription, consuming its queue as a Lambda event source mapping would: a batch
of up to `batch_size` messages per invocation, the handler's `batchItemFailures` left on the queue
(SQS re-delivers them after the visibility timeout and moves them to the DLQ after the redrive
policy's receive count), everything else deleted; a handler that raises fails the whole batch."""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from ior_contracts.topology import Subscription

from ior_tools.runtime.aws import REGION
from ior_tools.runtime.loop import Loop
from ior_tools.runtime.provision import QueuePair

log = logging.getLogger("ior.worker")
SQS_MAX_RECEIVE = 10


def load_handler(dotted: str) -> Callable[[dict[str, Any], Any], Any]:
    module, _, attr = dotted.partition(":")
    handler = getattr(import_module(module), attr)
    if not callable(handler):
        raise TypeError(f"{dotted} is not callable")
    return handler  # type: ignore[no-any-return]


@dataclass
class LambdaContext:
    """The parts of Lambda's context object the handlers and Powertools read."""

    function_name: str
    deadline: float
    memory_limit_in_mb: int = 1024
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass
class WorkerStats:
    invocations: int = 0
    succeeded: int = 0
    failed: int = 0
    last_error: str = ""


def to_lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", "0"),
            "SenderId": attributes.get("SenderId", "local"),
            "ApproximateFirstReceiveTimestamp": attributes.get("ApproximateFirstReceiveTimestamp", "0"),
        },
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(message["Body"].encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


class Worker(Loop):
    def __init__(
        self,
        subscription: Subscription,
        queue: QueuePair,
        sqs: Any,
        *,
        handler: Callable[[dict[str, Any], Any], Any] | None = None,
        wait_s: int = 1,
    ) -> None:
        self.subscription = subscription
        self.queue = queue
        self._sqs = sqs
        self._handler = handler
        self._wait_s = wait_s
        self.stats = WorkerStats()
        super().__init__()
        self.name = f"worker-{subscription.name}"

    @property
    def handler(self) -> Callable[[dict[str, Any], Any], Any]:
        if self._handler is None:
            self._handler = load_handler(self.subscription.handler)
        return self._handler

    def start(self) -> None:
        self.handler  # noqa: B018 - import at start, so a broken handler path fails `ior up` at once
        super().start()

    def step(self) -> float:
        self.poll_once()
        return 0

    def receive(self) -> list[dict[str, Any]]:
        """Up to a batch: the first receive waits for messages, the rest take what is there."""
        batch: list[dict[str, Any]] = []
        wait = self._wait_s
        while len(batch) < self.subscription.batch_size and not self.stopping:
            want = min(SQS_MAX_RECEIVE, self.subscription.batch_size - len(batch))
            got = self._sqs.receive_message(
                QueueUrl=self.queue.queue_url,
                MaxNumberOfMessages=want,
                WaitTimeSeconds=wait,
                AttributeNames=["All"],
            ).get("Messages", [])
            batch.extend(got)
            if len(got) < want:
                break
            wait = 0
        return batch

    def poll_once(self) -> int:
        """Receive one batch and invoke the handler on it; the number of messages handled."""
        messages = self.receive()
        if messages:
            self.invoke(messages)
        return len(messages)

    def invoke(self, messages: list[dict[str, Any]]) -> None:
        event = {"Records": [to_lambda_record(m, self.queue.queue_arn) for m in messages]}
        context = LambdaContext(
            function_name=f"ior-{self.queue.service}",
            deadline=time.monotonic() + self.subscription.timeout_s,
        )
        self.stats.invocations += 1
        try:
            response = self.handler(event, context) or {}
        except Exception as exc:  # noqa: BLE001 - as Lambda: a raising handler fails the whole batch
            self.stats.failed += len(messages)
            self.stats.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("subscription %s: batch failed: %s", self.subscription.name, self.stats.last_error)
            return
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        self.stats.failed += len(failed)
        self.stats.succeeded += len(done)
        if failed:
            self.stats.last_error = f"{len(failed)} of {len(messages)} messages failed"
        for start in range(0, len(done), SQS_MAX_RECEIVE):
            chunk = done[start : start + SQS_MAX_RECEIVE]
            self._sqs.delete_message_batch(
                QueueUrl=self.queue.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )
