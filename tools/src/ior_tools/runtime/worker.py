"""One worker per deployed event source mapping, consuming its queue as the mapping would: a batch
of up to its batch size per invocation, the handler's `batchItemFailures` left on the queue (SQS
re-delivers them after the visibility timeout and moves them to the DLQ after the redrive policy's
receive count), everything else deleted; a handler that raises fails the whole batch.

Everything comes from the program's resources (`Route`): the function's handler, timeout and
environment, the queue, the batch size. The handler runs as the function: in its environment,
calling AWS with its role's credentials (the mapping polls with them too, as Lambda's does)."""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from ior_contracts.settings import function_environment

from ior_tools.rehearsal.deployment import Route
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION
from ior_tools.runtime.lambda_python import as_in_lambda
from ior_tools.runtime.loop import Loop

log = logging.getLogger("ior.worker")
SQS_MAX_RECEIVE = 10


def load_handler(dotted: str) -> Callable[[dict[str, Any], Any], Any]:
    as_in_lambda()
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
        return f"arn:aws:lambda:{REGION}:{LOCAL_ACCOUNT}:function:{self.function_name}"

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
        route: Route,
        sqs: Any,
        *,
        environment: Mapping[str, str] | None = None,
        handler: Callable[[dict[str, Any], Any], Any] | None = None,
        wait_s: int = 1,
    ) -> None:
        self.route = route
        self.sqs = sqs
        self.environment = dict(environment or route.function.environment)
        self._handler = handler
        self._wait_s = wait_s
        self.stats = WorkerStats()
        super().__init__()
        self.name = f"worker-{route.subscription}"

    @property
    def handler(self) -> Callable[[dict[str, Any], Any], Any]:
        if self._handler is None:
            self._handler = load_handler(self.route.function.dotted)
        return self._handler

    def cold_start(self) -> None:
        """A new execution environment: the handler forgets its wiring (clients of another stack)."""
        reset = getattr(self.handler, "cold_start", None)
        if callable(reset):
            with function_environment(self.environment):
                reset()

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
        while len(batch) < self.route.batch_size and not self.stopping:
            want = min(SQS_MAX_RECEIVE, self.route.batch_size - len(batch))
            got = self.sqs.receive_message(
                QueueUrl=self.route.queue.url,
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
        event = {"Records": [to_lambda_record(m, self.route.queue.arn) for m in messages]}
        context = LambdaContext(
            function_name=self.route.function.name,
            deadline=time.monotonic() + self.route.function.timeout_s,
            memory_limit_in_mb=self.route.function.memory_mb,
        )
        self.stats.invocations += 1
        try:
            with function_environment(self.environment):
                response = self.handler(event, context) or {}
        except Exception as exc:  # noqa: BLE001 - as Lambda: a raising handler fails the whole batch
            self.stats.failed += len(messages)
            self.stats.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("subscription %s: batch failed: %s", self.route.subscription, self.stats.last_error)
            return
        # Without partial batch responses the mapping ignores the answer: a returning handler clears
        # the whole batch.
        failures = response.get("batchItemFailures", []) if self.route.reports_item_failures else []
        failed = {f["itemIdentifier"] for f in failures}
        done = [m for m in messages if m["MessageId"] not in failed]
        self.stats.failed += len(failed)
        self.stats.succeeded += len(done)
        if failed:
            self.stats.last_error = f"{len(failed)} of {len(messages)} messages failed"
        for start in range(0, len(done), SQS_MAX_RECEIVE):
            chunk = done[start : start + SQS_MAX_RECEIVE]
            self.sqs.delete_message_batch(
                QueueUrl=self.route.queue.url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )
