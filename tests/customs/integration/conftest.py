"""The customs handlers against moto in process: the table and buckets as provisioned, the real
adapters, a clock the test moves, and the events collected instead of put on a bus."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from ior_contracts.envelope import Event
from ior_customs.adapters.catalogue import DatasetCatalogue
from ior_customs.adapters.datasets import S3Snapshots
from ior_customs.adapters.ledger import RunLedger
from ior_customs.adapters.outputs import S3Outputs
from ior_customs.config import CustomsConfig
from ior_customs.ports import Deps
from ior_customs.service_layer import handlers
from ior_customs.service_layer.runs import RunOutcome
from moto import mock_aws

from tests.customs.builders import (
    DAY,
    FEES,
    REFERENCE,
    TRANSACTIONS,
    fee_table_published,
    metadata,
    published,
    snapshot_bytes,
)

TABLE, DATA, AUDIT = "ior-test-customs", "ior-test-data", "ior-test-audit"
REGION = "us-east-1"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float = 1.0) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass(frozen=True)
class Sent:
    """An event a handler published, with the id and business date it was published under."""

    event: Event
    event_id: str | None
    business_date: date | None


@dataclass
class World:
    """One customs service on moto: publish datasets, ask for runs, read what came out."""

    s3: Any
    dynamodb: Any
    deps: Deps
    clock: Clock
    sent: list[Sent] = field(default_factory=list)

    @property
    def ledger(self) -> RunLedger:
        assert isinstance(self.deps.ledger, RunLedger)
        return self.deps.ledger

    def publish_dataset(
        self,
        dataset: str,
        rows: Sequence[Mapping[str, str]],
        *,
        mode: str = "automated",
        business_dates: list[date] | None = None,
        store: bool = True,
        corrupt: bool = False,
    ) -> list[RunOutcome]:
        """Store a snapshot as the ETL would (unless `store` is false) and deliver its announcement."""
        data = snapshot_bytes(dataset, rows)
        if dataset == "transactions" and business_dates is None:
            business_dates = sorted({date.fromisoformat(r["arrival"]) for r in rows})
        event, key = published(
            dataset, data, DATA, rows=len(rows), mode=mode, business_dates=business_dates,
            sha256="0" * 64 if corrupt else None,
        )  # fmt: skip
        if store:
            self.s3.put_object(Bucket=DATA, Key=key, Body=data)
        self.last_published = (event, metadata(type(event), self.clock.tick()))
        return self.deliver(*self.last_published)

    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> None:
        """The handlers' publisher: events are collected instead of put on a bus."""
        self.sent.append(Sent(event, event_id, business_date))

    def deliver(self, event: Any, cause: Any) -> list[RunOutcome]:
        return handlers.dataset_published(event, cause=cause, deps=self.deps, publish=self.publish)

    def publish_fees(self, rows: Sequence[Mapping[str, str]] = FEES) -> list[RunOutcome]:
        """Store a fee table as the ETL would and deliver its announcement."""
        data = snapshot_bytes("fee-table", rows)
        event, key = fee_table_published(data, DATA, rows=len(rows))
        self.s3.put_object(Bucket=DATA, Key=key, Body=data)
        cause = metadata(type(event), self.clock.tick())
        return handlers.fee_table_published(event, cause=cause, deps=self.deps, publish=self.publish)

    def publish_reference(self, mode: str = "automated") -> None:
        if self.deps.catalogue.current("fee-table", "all") is None:
            self.publish_fees()
        for dataset, rows in REFERENCE.items():
            self.publish_dataset(dataset, rows, mode=mode)

    def publish_day(
        self, rows: Sequence[Mapping[str, str]] = TRANSACTIONS, mode: str = "automated"
    ) -> RunOutcome:
        (outcome,) = self.publish_dataset("transactions", rows, mode=mode)
        return outcome

    def events(self, detail_type: str) -> list[Event]:
        return [o.event for o in self.sent if detail_type == o.event.DETAIL_TYPE]

    def keys(self, bucket: str, prefix: str) -> list[str]:
        listed = self.s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def read(self, uri: str) -> bytes:
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        body: bytes = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return body


def provision(s3: Any, dynamodb: Any) -> None:
    """The customs service's table and the buckets, keyed and locked as the program declares them."""
    dynamodb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    s3.create_bucket(Bucket=DATA)
    s3.create_bucket(Bucket=AUDIT, ObjectLockEnabledForBucket=True)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        provision(s3, dynamodb)
        clock = Clock(datetime(2026, 3, 17, 6, 0, tzinfo=UTC))
        config = CustomsConfig()
        deps = Deps(
            config=config,
            catalogue=DatasetCatalogue(dynamodb, TABLE),
            snapshots=S3Snapshots(
                s3, ttl_s=config.snapshot_cache_ttl_s, max_entries=config.snapshot_cache_entries
            ),
            ledger=RunLedger(dynamodb, TABLE),
            outputs=S3Outputs(s3, DATA, AUDIT),
            code_version="code-1",
            clock=clock,
        )
        yield World(s3, dynamodb, deps, clock)


__all__ = ["AUDIT", "DATA", "DAY", "World"]
