"""The compare service's handlers on moto, in process: the topology the local runtime and the
Pulumi program share (bus, queues, tables, buckets), each message delivered to the real Lambda
entry point as an SQS batch of one, and every event put on the bus read back from the event-log
subscription."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from ior_compare.adapters.gate_store import GateStore
from ior_compare.adapters.ledger import Ledger
from ior_compare.adapters.table import Table
from ior_compare.entrypoints import cutover, lines, requests
from ior_contracts.bus import build_entry
from ior_contracts.consumer import Consumer
from ior_contracts.envelope import Event, Metadata, new_metadata
from ior_tools.runtime.aws import Endpoint
from ior_tools.runtime.worker import LambdaContext, to_lambda_record

from tests.compare.documents import document, lines_generated, metadata_for, put_document
from tests.support.bus import drain
from tests.support.deployed import NAMING, Deployed, deployed_in_process

CONSUMERS: tuple[Consumer[Any], ...] = (lines.consumer, requests.consumer, cutover.consumer)
REQUIRED_STREAK = 3


@dataclass
class World:
    """The local AWS of one test, and what the compare service put on the bus."""

    endpoint: Endpoint
    event_log_queue: str
    seen: list[dict[str, Any]] = field(default_factory=list)

    def client(self, name: str) -> Any:
        return self.endpoint.client(name)

    @property
    def ledger(self) -> Ledger:
        return Ledger(Table(self.client("dynamodb"), NAMING.table("compare")))

    @property
    def gate(self) -> GateStore:
        return GateStore(Table(self.client("dynamodb"), NAMING.table("compare")))

    def deliver(
        self, consumer: Consumer[Any], event: Event, metadata: Metadata | None = None
    ) -> dict[str, Any]:
        """Hand `event` to a subscription's Lambda handler; the SQS record, for delivering it again."""
        record = self.record_of(event, metadata)
        self.redeliver(consumer, record)
        return record

    def attempt(self, consumer: Consumer[Any], event: Event) -> bool:
        """Hand `event` to a subscription's Lambda handler; False when the handler failed it (left
        for the queue to deliver again: a batch whose every record failed fails the invocation)."""
        context = LambdaContext(function_name="ior-compare", deadline=time.monotonic() + 120)
        try:
            consumer({"Records": [self.record_of(event)]}, context)
        except BatchProcessingError:
            return False
        return True

    def record_of(self, event: Event, metadata: Metadata | None = None) -> dict[str, Any]:
        """`event` as the SQS record the subscription's queue delivers."""
        metadata = metadata or new_metadata(type(event), business_date=getattr(event, "business_date", None))
        entry = build_entry(NAMING.bus, event, metadata)
        body = {
            "version": "0", "id": str(uuid.uuid4()), "detail-type": entry["DetailType"],
            "source": entry["Source"], "account": "123456789012", "time": metadata.occurred_at.isoformat(),
            "region": "us-east-1", "resources": [], "detail": json.loads(entry["Detail"]),
        }  # fmt: skip
        message = {"MessageId": str(uuid.uuid4()), "ReceiptHandle": "local", "Body": json.dumps(body)}
        return to_lambda_record(message, "arn:aws:sqs:us-east-1:123456789012:ior-local-compare")

    def redeliver(self, consumer: Consumer[Any], record: dict[str, Any]) -> None:
        context = LambdaContext(function_name="ior-compare", deadline=time.monotonic() + 120)
        response = consumer({"Records": [record]}, context)
        if response["batchItemFailures"]:
            consumer._record(SQSRecord(record))  # raises the handler's own error, for the report
            pytest.fail("the handler failed the message")

    def events(self, detail_type: str | None = None) -> list[dict[str, Any]]:
        """Every event put on the bus so far (oldest first), of one detail-type if given."""
        self.seen += drain(self.client("sqs"), self.event_log_queue)
        return [e for e in self.seen if detail_type is None or e["detail-type"] == detail_type]

    def data_of(self, detail_type: str) -> list[dict[str, Any]]:
        return [e["detail"]["data"] for e in self.events(detail_type)]

    def keys(self, bucket: str, prefix: str) -> list[str]:
        listed = self.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def read(self, uri: str) -> bytes:
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        body: bytes = self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return body

    def run_arrives(
        self,
        business_date: date,
        mode: str,
        doc: dict[str, Any] | None = None,
        *,
        run: str = "r1",
        at: datetime | None = None,
        quarantined: int = 0,
    ) -> dict[str, Any]:
        """A run of `mode` for the date, stored and announced (at `at`, now by default)."""
        claims = put_document(self.client("s3"), doc or document(business_date), mode)
        event = lines_generated(business_date, mode, claims, run=run, quarantined=quarantined)
        return self.deliver(lines.consumer, event, metadata_for(event, at))

    def both_arrive(self, business_date: date, automated: dict[str, Any] | None = None) -> None:
        self.run_arrives(business_date, "manual")
        self.run_arrives(business_date, "automated", automated)


@pytest.fixture(scope="package")
def deployed() -> Iterator[Deployed]:
    with deployed_in_process() as found:
        yield found


@pytest.fixture
def world(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("IOR_COMPARE_REQUIRED_STREAK", str(REQUIRED_STREAK))
    deployed.empty()
    for consumer in CONSUMERS:
        consumer.cold_start()  # clients and settings for this test's AWS
    yield World(deployed.endpoint, deployed.event_log_queue_url)
    for consumer in CONSUMERS:
        consumer.cold_start()
