"""The example consumer's handler on its own (moto in-process): an event that breaks its published
schema, an object whose bytes are not the announced ones and an unknown detail-type are refused
and go back to the queue; an event handled twice has its effect once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from ior_consumer_example.handler import (
    ChecksumMismatchError,
    DynamoSeenEvents,
    Handler,
    InvalidEventError,
    Schemas,
    UnknownDetailTypeError,
    objects_named,
)
from ior_consumer_example.lambda_function import handle_batch
from ior_contracts import examples
from ior_tools.rehearsal.iam import resource_policy_allows
from moto import mock_aws

SCHEMAS = Path(__file__).resolve().parents[3] / "contracts" / "src" / "ior_contracts" / "schemas"
BUCKET = "ior-test-data-111122223333"
ROWS = b"material\n1\n"


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[Handler]:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="etl/published/rows.csv.gz", Body=ROWS)
        dynamodb.create_table(
            TableName="seen",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield Handler(s3, DynamoSeenEvents(dynamodb, "seen"), Schemas(SCHEMAS))


def _dataset(sha256: str = hashlib.sha256(ROWS).hexdigest()) -> dict[str, Any]:
    event = examples.load("etl.dataset.published.v1")
    snapshot = {**event["detail"]["data"]["snapshot"], "uri": f"s3://{BUCKET}/etl/published/rows.csv.gz"}
    snapshot["sha256"] = sha256
    event["detail"]["data"]["snapshot"] = snapshot
    return event


def test_an_event_is_handled_once_however_often_it_arrives(handler: Handler) -> None:
    first, again = handler.handle(_dataset()), handler.handle(_dataset())
    assert (first.duplicate, again.duplicate) == (False, True)
    assert [o.size for o in first.objects] == [len(ROWS)]
    assert again.objects == ()  # nothing read the second time


def test_an_object_whose_bytes_are_not_the_announced_ones_is_refused(handler: Handler) -> None:
    with pytest.raises(ChecksumMismatchError):
        handler.handle(_dataset(sha256="0" * 64))


def test_an_event_that_breaks_its_published_schema_is_refused_with_where(handler: Handler) -> None:
    event = _dataset()
    event["detail"]["data"]["mode"] = "guessed"
    with pytest.raises(InvalidEventError, match="data/mode"):
        handler.handle(event)


def test_a_detail_type_without_a_published_schema_is_refused(handler: Handler) -> None:
    with pytest.raises(UnknownDetailTypeError):
        handler.handle({**_dataset(), "detail-type": "etl.dataset.published.v9"})


def test_only_the_failed_messages_of_a_batch_return_to_the_queue(handler: Handler) -> None:
    broken = _dataset(sha256="0" * 64)
    broken["detail"]["metadata"]["event_id"] = "another"
    records = [
        {"messageId": "good", "body": json.dumps(_dataset())},
        {"messageId": "bad", "body": json.dumps(broken)},
    ]
    assert handle_batch(records, handler) == {"batchItemFailures": [{"itemIdentifier": "bad"}]}


def test_an_event_names_its_claim_checks_or_else_its_report() -> None:
    lines = examples.load("customs.lines.generated.v1")["detail"]["data"]
    named = list(objects_named(lines))
    claims = ("lines", "entries", "line_columns", "line_arrays", "entry_columns", "entry_arrays")
    assert [uri for uri, _ in named] == [lines[claim]["uri"] for claim in claims]
    discrepancy = examples.load("compare.discrepancy.detected.v1")["detail"]["data"]
    assert list(objects_named(discrepancy)) == [(discrepancy["report_uri"], None)]


def test_the_local_cloud_asks_a_bucket_policy_for_another_accounts_read() -> None:
    """What the rehearsal adds to moto: a request from another account needs the resource's Allow."""
    grant = {
        "Sid": "Consumer444455556666Reads",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{BUCKET}/etl/published/*"],
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [grant]})
    key = f"arn:aws:s3:::{BUCKET}/etl/published/rows.csv.gz"
    assert resource_policy_allows(policy, "444455556666", "s3:GetObject", key)
    assert not resource_policy_allows(policy, "444455556666", "s3:PutObject", key)
    assert not resource_policy_allows(
        policy, "444455556666", "s3:GetObject", f"arn:aws:s3:::{BUCKET}/customs/x"
    )
    assert not resource_policy_allows(policy, "777788889999", "s3:GetObject", key)
    assert not resource_policy_allows(None, "444455556666", "s3:GetObject", key)


def test_the_local_cloud_asks_a_bus_policy_whether_another_account_may_put_on_it() -> None:
    bus = "arn:aws:events:us-east-1:210987654321:event-bus/ior-inbox"
    statement = {
        "Sid": "ProducerForwards",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "events:PutEvents",
        "Resource": bus,
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    assert resource_policy_allows(policy, "123456789012", "events:PutEvents", bus)
    assert not resource_policy_allows(policy, "999999999999", "events:PutEvents", bus)
