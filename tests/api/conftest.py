"""The API against moto in-process: its table and the signing-key secret created per test, the bus
replaced by a recording publisher, the clock under the test's control."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ior_api import bootstrap
from ior_api.adapters.attempts import LoginAttempts
from ior_api.adapters.lines import LinesReader
from ior_api.adapters.readmodels import ReadModels
from ior_api.adapters.run_lines import RunLinesReader
from ior_api.adapters.uploads import UploadStore
from ior_api.adapters.users import RevokedSessions, UserStore
from ior_api.config import Settings
from ior_api.domain.auth import tokens
from ior_api.domain.auth.passwords import hash_password
from ior_api.domain.auth.users import UserRecord
from ior_api.entrypoints.web import dependencies
from ior_api.entrypoints.web.app import app
from ior_api.ports import Deps, Services
from ior_api.service_layer import handlers
from ior_contracts import examples
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Envelope, Event, Metadata, new_metadata
from moto import mock_aws

SIGNING_KEY = "test-signing-key-" + "k" * 40
PASSWORD = "correct horse battery staple"
# Hashed once: argon2id is deliberately slow.
PASSWORD_HASH = hash_password(PASSWORD)
NOW = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)


@dataclass
class RecordingPublisher:
    published: list[tuple[Event, Metadata]] = field(default_factory=list)

    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> Metadata:
        metadata = new_metadata(type(event), business_date=business_date, event_id=event_id)
        self.published.append((event, metadata))
        return metadata


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    client: TestClient
    services: Services
    publisher: RecordingPublisher
    clock: Clock
    dynamodb: Any
    s3: Any

    def session(self, username: str, role: str, *, now: datetime | None = None) -> tuple[str, str, str]:
        """(session cookie, csrf token, session id) minted as login would, in the user's current
        generation."""
        user = self.services.users.get(username)
        generation = user.generation if user is not None else "no such user"
        token, session = tokens.issue(
            SIGNING_KEY,
            username,
            role,
            generation,
            now=now or datetime.now(UTC),
            lifetime=timedelta(minutes=15),
        )
        return token, tokens.csrf_token(SIGNING_KEY, session.sid), session.sid

    def use(self, token: str, csrf: str | None) -> None:
        self.client.cookies.clear()
        self.client.cookies.set(dependencies.SESSION_COOKIE, token)
        if csrf is not None:
            self.client.cookies.set(dependencies.CSRF_COOKIE, csrf)
            self.client.headers[tokens.CSRF_HEADER] = csrf
        else:
            self.client.headers.pop(tokens.CSRF_HEADER, None)


class SerialDynamoDB:
    """A DynamoDB client whose requests are applied one at a time, as DynamoDB applies each one
    atomically: moto in-process checks a write's condition and writes in separate steps, which
    concurrent requests (the lockout's tests) would interleave."""

    _lock = threading.Lock()

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._client, name)
        if not callable(found):
            return found

        def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return found(*args, **kwargs)

        return one_at_a_time


def create_table(dynamodb: Any, name: str) -> None:
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )


# A small pipeline for the API's operations views: each stage with one subscription.
STAGES = {
    "ingestion": ["ingestion-extract"],
    "etl": ["etl-datasets"],
    "customs": ["customs-runs"],
    "compare": ["compare-runs"],
    "api": ["api-projections"],
}


def create_stage(settings: Settings) -> None:
    """The bus, its archive, and per subscription its rule, queue and DLQ, named as the program names
    them (the API's operations views read their depths)."""
    events, sqs, naming = settings.client("events"), settings.client("sqs"), settings.naming
    bus = events.create_event_bus(Name=naming.bus)["EventBusArn"]
    events.create_archive(ArchiveName=naming.archive, EventSourceArn=bus)
    for subscriptions in STAGES.values():
        for name in subscriptions:
            sqs.create_queue(QueueName=naming.queue(name))
            sqs.create_queue(QueueName=naming.dlq(name))
            events.put_rule(
                Name=naming.rule(name),
                EventBusName=naming.bus,
                EventPattern=json.dumps({"source": ["ior.etl"]}),
            )


@pytest.fixture(scope="package")
def aws() -> Iterator[Settings]:
    """One moto account for the API tests (starting moto and boto3 is the slow part); each test gets
    its own table."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        patch.delenv("IOR_STAGE", raising=False)
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            patch.setenv(key, value)
        with mock_aws():
            settings = Settings(stages=STAGES)
            settings.client("s3").create_bucket(Bucket=settings.data)
            settings.client("s3").create_bucket(Bucket=settings.audit)
            create_stage(settings)
            settings.client("secretsmanager").create_secret(
                Name=settings.naming.secret("jwt"), SecretString=json.dumps({"signing_key": SIGNING_KEY})
            )
            yield settings


@pytest.fixture(scope="package")
def shared(aws: Settings) -> Services:
    """Clients and the key provider, made once."""
    return bootstrap.wire_web(aws)


@pytest.fixture(scope="package")
def dynamodb(aws: Settings) -> Any:
    return aws.client("dynamodb")


@pytest.fixture(scope="package")
def s3(aws: Settings) -> Any:
    return aws.client("s3")


_tables = itertools.count()


@pytest.fixture
def api(aws: Settings, shared: Services, dynamodb: Any, s3: Any) -> Iterator[Api]:
    settings = aws.model_copy(update={"table_name": f"ior-test-api-{next(_tables)}"})
    create_table(dynamodb, settings.table)
    publisher = RecordingPublisher()
    clock = Clock(datetime.now(UTC))
    serial = SerialDynamoDB(dynamodb)
    services = Services(
        settings=settings,
        users=UserStore(serial, settings.table),
        attempts=LoginAttempts(serial, settings.table),
        revoked=RevokedSessions(serial, settings.table),
        readmodels=ReadModels(serial, settings.table),
        lines=RunLinesReader(LinesReader(s3, settings.data)),
        explanations=LinesReader(s3, settings.data, prefix="compare/published/"),
        uploads=UploadStore(s3, settings.data),
        operations=shared.operations,
        audit=shared.audit,
        publisher=publisher,
        signing_key=shared.signing_key,
        clock=clock,
    )
    for name, role, active in (
        ("ada", "admin", True),
        ("otto", "operator", True),
        ("ines", "operator", False),
    ):
        services.users.add(UserRecord(name, PASSWORD_HASH, role, active))
    app.dependency_overrides[dependencies.get_services] = lambda: services
    try:
        with TestClient(app, base_url="https://testserver") as client:
            yield Api(client, services, publisher, clock, dynamodb, s3)
    finally:
        app.dependency_overrides.clear()
        dynamodb.delete_table(TableName=settings.table)


RUN_DATE = "2026-03-16"
LINES_DOCUMENT: dict[str, Any] = {
    "business_date": RUN_DATE,
    "entries": [
        {
            "entry_id": "2704-20260316-SH0001",
            "port": "2704",
            "arrival": RUN_DATE,
            "mode": "10",
            "formal": True,
            "flags": [],
            "totals": {"value": 9200, "duty": "300.00", "mpf": "33.58", "hmf": "11.50"},
            "lines": [
                {
                    "line": 1,
                    "hts10": "8517.62.00.20",
                    "description": "Routers",
                    "origin": "CN",
                    "part": "main",
                    "stack": ["9903.88.03", "8517.62.00.20"],
                    "quantity": {"No.": 10},
                    "net_kg": "12.5",
                    "gross_kg": "14.0",
                    "value": 1200,
                    "duty": "300.00",
                    "sources": [["90010000", "000010"]],
                    "source_materials": ["10000001"],
                },
                {
                    "line": 2,
                    "hts10": "8471.50.01.50",
                    "description": "Servers",
                    "origin": "MY",
                    "part": "main",
                    "stack": ["8471.50.01.50"],
                    "quantity": {"No.": 2},
                    "net_kg": "30.0",
                    "gross_kg": "33.0",
                    "value": 8000,
                    "duty": "0.00",
                    "sources": [["90010001", "000010"]],
                    "source_materials": ["10000006"],
                },
            ],
        },
        {
            "entry_id": "2704-20260316-SH0002",
            "port": "2704",
            "arrival": RUN_DATE,
            "mode": "10",
            "formal": False,
            "flags": ["informal"],
            "totals": {"value": 900, "duty": "0.00", "mpf": None, "hmf": "1.13"},
            "lines": [
                {
                    "line": 1,
                    "hts10": "8517.62.00.90",
                    "description": "Switches, 24 port",
                    "origin": "TW",
                    "part": "main",
                    "stack": ["8517.62.00.90"],
                    "quantity": {"No.": 5},
                    "net_kg": "5.0",
                    "gross_kg": "6.0",
                    "value": 900,
                    "duty": "0.00",
                    "sources": [["90010002", "000020"]],
                    "source_materials": ["SW-24P"],
                },
            ],
        },
    ],
}


def _nothing_published(
    event: Event, *, business_date: date | None = None, event_id: str | None = None
) -> object:
    raise AssertionError(f"a projection published {event.DETAIL_TYPE}")


def project(envelope: Envelope[Any], deps: Deps) -> int:
    """Project one event as the `api-projections` subscription does (a projection publishes nothing)."""
    return handlers.project(envelope.data, cause=envelope.metadata, deps=deps, publish=_nothing_published)


def seed_lines(
    api: Api, document: dict[str, Any] = LINES_DOCUMENT, *, key: str | None = None
) -> dict[str, Any]:
    """Store a run's lines object under the customs prefix and project its `customs.lines.generated.v1`,
    announced without compared columns: read from its whole document (`test_lines_from_columns`
    seeds runs with them)."""
    body = gzip.compress(json.dumps(document).encode(), mtime=0)
    key = (
        key or f"customs/published/lines/{RUN_DATE}/automated/{hashlib.sha256(body).hexdigest()[:16]}.json.gz"
    )
    api.s3.put_object(Bucket=api.services.settings.data, Key=key, Body=body)
    event = examples.load("customs.lines.generated.v1")["detail"]
    event["data"]["lines"] |= {
        "uri": f"s3://{api.services.settings.data}/{key}",
        "sha256": hashlib.sha256(body).hexdigest(),
        "row_count": sum(len(e["lines"]) for e in document["entries"]),
    }
    event["data"] |= {"line_columns": None, "entry_columns": None}
    project(Envelope[LinesGenerated].model_validate(event), Deps(readmodels=api.services.readmodels))
    return event


def seed_reports(api: Api) -> None:
    """The example events' reports, in the audit bucket where their URIs point."""
    audit = api.services.settings.audit
    for name in ("customs.lines.generated.v1", "compare.comparison.completed.v1"):
        data = examples.load(name)["detail"]["data"]
        for uri, body, kind in (
            (data["report_uri"], b'{"report": true}', "application/json"),
            (data["report_html_uri"], b"<!doctype html><title>report</title>", "text/html; charset=utf-8"),
        ):
            key = uri.removeprefix(f"s3://{audit}/")
            api.s3.put_object(Bucket=audit, Key=key, Body=body, ContentType=kind)
