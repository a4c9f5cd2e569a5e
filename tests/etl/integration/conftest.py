"""The ETL's handlers on moto, in process: the topology the local runtime and the Pulumi program
share (bus, queues, tables, buckets), each message delivered to the real Lambda entry point as an
SQS batch of one, and every event put on the bus read back from the event-log subscription.

Extracts are landed as the ingestion service lands them (gzip JSON Lines, keys sorted, under
`ingestion/published/raw/<SOURCE>/<sha256>.jsonl.gz`), uploads as the API stores them."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from ior_contracts.bus import build_entry
from ior_contracts.claims import ClaimCheck
from ior_contracts.consumer import Consumer
from ior_contracts.envelope import Event, new_metadata
from ior_contracts.ingestion import ExtractLanded
from ior_contracts.manual import UploadedFile, UploadReceived
from ior_contracts.vocabulary import DateWindow
from ior_etl.adapters.catalog import Catalog
from ior_etl.entrypoints import extracts, uploads
from ior_tools.runtime.aws import Endpoint
from ior_tools.runtime.worker import LambdaContext, to_lambda_record

from tests.support.bus import drain
from tests.support.deployed import NAMING, Deployed, deployed_in_process

CONSUMERS: tuple[Consumer[Any], ...] = (extracts.consumer, uploads.consumer)
DATA = NAMING.data_bucket
WINDOW = DateWindow(from_date=date(2026, 1, 1), to_date=date(2026, 12, 31))
KINDS = {
    "Product_List.csv": "product_list",
    "HTS_Code.csv": "hts_code",
    "HTS Tariff.csv": "hts_tariff",
    "Packaging_Material.csv": "packaging_material",
    "Exchange_Rates.csv": "exchange_rates",
    "Invoice_Lines.csv": "invoice_lines",
}


def jsonl_gz(records: Sequence[Mapping[str, Any]]) -> bytes:
    lines = "".join(json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n" for r in records)
    return gzip.compress(lines.encode(), mtime=0)


@dataclass
class World:
    """The local AWS of one test, and what the ETL put on the bus."""

    endpoint: Endpoint
    event_log_queue: str
    seen: list[dict[str, Any]] = field(default_factory=list)
    clock: datetime = field(default_factory=lambda: datetime(2026, 3, 16, 5, 0, tzinfo=UTC))

    def client(self, name: str) -> Any:
        return self.endpoint.client(name)

    @property
    def catalog(self) -> Catalog:
        return Catalog(self.client("dynamodb"), NAMING.table("etl"))

    def tick(self) -> datetime:
        """A later instant for each event, as time passes between landings."""
        self.clock += timedelta(minutes=1)
        return self.clock

    def put(self, key: str, body: bytes) -> ClaimCheck:
        self.client("s3").put_object(Bucket=DATA, Key=key, Body=body)
        return ClaimCheck(
            uri=f"s3://{DATA}/{key}", sha256=hashlib.sha256(body).hexdigest(), row_count=0, schema_version="t"
        )

    def landed(
        self,
        source: str,
        records: Sequence[Mapping[str, Any]] | None = None,
        *,
        body: bytes | None = None,
        window: DateWindow = WINDOW,
        sha256: str | None = None,
    ) -> ExtractLanded:
        """An extract stored as ingestion stores it, and the event that says so."""
        body = body if body is not None else jsonl_gz(records or [])
        digest = hashlib.sha256(body).hexdigest()
        suffix = "json.gz" if source == "USITC_HTS" else "jsonl.gz"
        claim = self.put(f"ingestion/published/raw/{source}/{digest}.{suffix}", body)
        claim = claim.model_copy(update={"row_count": len(records or []), "sha256": sha256 or digest})
        return ExtractLanded(
            source=source,
            run_id=f"ing-{source}-{digest[:12]}",
            window=window,
            extract=claim,
            audit_uri=f"s3://{NAMING.audit_bucket}/ingestion/runs/{source}/run.json",
            pages=1,
            watermark=window.to_date,
        )

    def land(self, source: str, records: Sequence[Mapping[str, Any]] | None = None, **kwargs: Any) -> None:
        self.deliver(extracts.consumer, self.landed(source, records, **kwargs))

    def uploaded(
        self, files: Mapping[str, bytes], *, business_date: date | None = None, checked: bool = True
    ) -> UploadReceived:
        """Legacy CSVs stored as the API stores them, and the event that says so; `checked=False`
        as a presigned upload announces them."""
        bundle = hashlib.sha256(b"".join(hashlib.sha256(b).digest() for b in files.values())).hexdigest()
        stored = [
            UploadedFile(
                kind=KINDS[name],
                filename=name,
                object=self.put(f"api/published/uploads/{bundle}/{name}", body),
            )
            for name, body in files.items()
        ]
        return UploadReceived(
            upload_id=bundle,
            files=stored,
            uploaded_by="maria.chen",
            business_date=business_date,
            checked=checked,
        )

    def upload(self, files: Mapping[str, bytes], **kwargs: Any) -> None:
        self.deliver(uploads.consumer, self.uploaded(files, **kwargs))

    def record(self, event: Event, at: datetime | None = None) -> dict[str, Any]:
        """The SQS record a subscription's Lambda receives for `event`."""
        metadata = new_metadata(type(event), occurred_at=at or self.tick())
        entry = build_entry(NAMING.bus, event, metadata)
        body = {
            "version": "0", "id": str(uuid.uuid4()), "detail-type": entry["DetailType"],
            "source": entry["Source"], "account": "123456789012", "time": metadata.occurred_at.isoformat(),
            "region": "us-east-1", "resources": [], "detail": json.loads(entry["Detail"]),
        }  # fmt: skip
        message = {"MessageId": str(uuid.uuid4()), "ReceiptHandle": "local", "Body": json.dumps(body)}
        return to_lambda_record(message, "arn:aws:sqs:us-east-1:123456789012:ior-local-etl")

    def deliver(self, consumer: Consumer[Any], event: Event, at: datetime | None = None) -> dict[str, Any]:
        record = self.record(event, at)
        self.redeliver(consumer, record)
        return record

    def invoke(self, consumer: Consumer[Any], record: dict[str, Any]) -> list[str]:
        """The handler's answer to one record: the ids of the records it failed."""
        context = LambdaContext(function_name="ior-etl", deadline=time.monotonic() + 120)
        try:
            response = consumer({"Records": [record]}, context)
        except BatchProcessingError:  # every record failed: Lambda fails the batch, SQS retries it
            return [record["messageId"]]
        return [f["itemIdentifier"] for f in response["batchItemFailures"]]

    def redeliver(self, consumer: Consumer[Any], record: dict[str, Any]) -> None:
        if self.invoke(consumer, record):
            consumer._record(SQSRecord(record))  # raises the handler's own error, for the report
            pytest.fail("the handler failed the message")

    def events(self, detail_type: str | None = None) -> list[dict[str, Any]]:
        """Every event put on the bus so far (oldest first), of one detail-type if given."""
        self.seen += drain(self.client("sqs"), self.event_log_queue)
        return [e for e in self.seen if detail_type is None or e["detail-type"] == detail_type]

    def data_of(self, detail_type: str, dataset: str | None = None) -> list[dict[str, Any]]:
        found = [e["detail"]["data"] for e in self.events(detail_type)]
        return [d for d in found if dataset is None or d["dataset"] == dataset]

    def keys(self, prefix: str, bucket: str = DATA) -> list[str]:
        listed = self.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def read(self, uri: str) -> bytes:
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        body: bytes = self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return body

    def quarantine(self, uri: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in gzip.decompress(self.read(uri)).splitlines()]


@pytest.fixture(scope="package")
def deployed() -> Iterator[Deployed]:
    with deployed_in_process() as found:
        yield found


@pytest.fixture
def world(deployed: Deployed) -> Iterator[World]:
    deployed.empty()
    for consumer in CONSUMERS:
        consumer.cold_start()  # clients and settings for this test's AWS
    yield World(deployed.endpoint, deployed.event_log_queue_url)
    for consumer in CONSUMERS:
        consumer.cold_start()
