"""The example consumer (examples/consumer) in a second account of the local stack, subscribed to
the datasets and the discrepancies: the stack's forwarding rule delivers exactly those families to
the consumer's bus, its rule to its queue, and its handler reads their objects as its own role;
the lines it was not granted never arrive and their objects are refused by our bucket policy,
though the consumer's own role would read the whole bucket; a consumer that never opened its bus
to our account receives nothing. (The rehearsal asks the bucket's and the receiving bus's policies,
as AWS does: `ior_tools.rehearsal.iam`.)

What the local cloud does not show, and the mocks tests (tests/infra/test_consumers.py) cover
instead: our forwarding role's policy is not evaluated when the rule delivers, and the key policy
is not evaluated on a read (moto's S3 decrypts nothing)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from ior_consumer_example.handler import DynamoSeenEvents, Handled, Handler, Schemas
from ior_consumer_example.poll import poll_once
from ior_consumer_example.subscriber import Subscription, subscribe
from ior_contracts import examples
from ior_contracts.compare import DiscrepancyDetected
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Event, Metadata
from ior_contracts.etl import DatasetPublished
from ior_tools.rehearsal.iam import assume, moto_view
from ior_tools.runtime.aws import LOCAL_ACCOUNT, Endpoint
from ior_tools.runtime.stack import LocalStack

from tests.consumers.stack.conftest import CLOSED, CONSUMER, INBOX
from tests.support.accounts import account_administrator
from tests.support.stack import wait_for

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCHEMAS = Path(__file__).resolve().parents[3] / "contracts" / "src" / "ior_contracts" / "schemas"
SUBSCRIBED = ("etl.dataset.published.v1", "customs.lines.generated.v1", "compare.discrepancy.detected.v1")


@dataclass
class ConsumerAccount:
    """The consumer's side, deployed by its administrator, and its handler running as its role."""

    subscription: Subscription
    handler: Handler
    role: Endpoint
    admin: Endpoint

    def receive(self, count: int) -> list[Handled]:
        handled: list[Handled] = []

        def arrived() -> bool:
            handled.extend(
                poll_once(self.role.client("sqs"), self.subscription.queue_url, self.handler, wait_s=0)
            )
            return len(handled) >= count

        wait_for(arrived, timeout=10, what=f"{count} events in the consumer's queue")
        return handled


def _deploy(stack: LocalStack, account: str, bus: str) -> ConsumerAccount:
    url = stack.endpoint.url
    admin = account_administrator(account)
    as_admin = Endpoint(url, access_key_id=admin.access_key_id, secret_access_key=admin.secret_access_key)
    # GIVEN the consumer's side: its bus, a rule for all three detail-types (it asks for more than it
    # was granted), its queue and table, and a role that may read our buckets whole
    subscription = subscribe(
        as_admin.client,
        name="ior-events",
        producer_account=LOCAL_ACCOUNT,
        detail_types=SUBSCRIBED,
        reads=[f"arn:aws:s3:::{stack.naming.data_bucket}/*", f"arn:aws:s3:::{stack.naming.audit_bucket}/*"],
        bus=bus,
        assumed_by=[admin.principal],
    )
    _as_moto_evaluates(as_admin.client("iam"), "ior-events")
    role = assume(as_admin.client("sts"), subscription.role_arn, "ior-events")
    as_role = Endpoint(
        url,
        access_key_id=role.access_key_id,
        secret_access_key=role.secret_access_key,
        session_token=role.session_token,
    )
    seen = DynamoSeenEvents(as_role.client("dynamodb"), subscription.table)
    handler = Handler(as_role.client("s3"), seen, Schemas(SCHEMAS))
    return ConsumerAccount(subscription, handler, as_role, as_admin)


@pytest.fixture(scope="module")
def consumer(stack: LocalStack) -> ConsumerAccount:
    return _deploy(stack, CONSUMER, INBOX)


@pytest.fixture(scope="module")
def closed(stack: LocalStack) -> ConsumerAccount:
    """A consumer whose bus never let our account put events on it."""
    deployed = _deploy(stack, CLOSED, "default")
    deployed.admin.client("events").remove_permission(EventBusName="default", RemoveAllPermissions=True)
    return deployed


def _as_moto_evaluates(iam: Any, role: str) -> None:
    """The handler role's policy in the view moto can evaluate, as the rehearsal gives the program's
    roles (`moto_view`): moto asks about `*` for a DynamoDB table, so its ARN would never match."""
    document = iam.get_role_policy(RoleName=role, PolicyName="handler")["PolicyDocument"]
    text = document if isinstance(document, str) else json.dumps(document)
    iam.put_role_policy(RoleName=role, PolicyName="handler", PolicyDocument=moto_view(text))


def _put(stack: LocalStack, bucket: str, key: str, body: bytes) -> tuple[str, str]:
    stack.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
    return f"s3://{bucket}/{key}", hashlib.sha256(body).hexdigest()


def _data(detail_type: str) -> dict[str, Any]:
    data: dict[str, Any] = examples.load(detail_type)["detail"]["data"]
    return data


def _claim(uri: str, sha256: str, claim: dict[str, Any]) -> dict[str, Any]:
    return {**claim, "uri": uri, "sha256": sha256}


def _events(stack: LocalStack) -> dict[str, Event]:
    """One event of each subscribed contract, naming objects the stack's services would publish."""
    data, audit = stack.naming.data_bucket, stack.naming.audit_bucket
    rows = _put(
        stack, data, "etl/published/transactions/automated/0123456789ab/rows.csv.gz", b"material\n1\n"
    )
    lines = _put(stack, data, "customs/published/runs/run-1/lines.json", b'{"lines": []}')
    entries = _put(stack, data, "customs/published/runs/run-1/entries.json", b'{"entries": []}')
    report, _ = _put(stack, audit, "compare/comparisons/2026-03-10/cmp-1/report.json", b'{"passed": false}')
    dataset = _data("etl.dataset.published.v1")
    generated = _data("customs.lines.generated.v1")
    return {
        "etl.dataset.published.v1": DatasetPublished.model_validate(
            {**dataset, "snapshot": _claim(*rows, dataset["snapshot"])}
        ),
        "customs.lines.generated.v1": LinesGenerated.model_validate(
            {
                **generated,
                "lines": _claim(*lines, generated["lines"]),
                "entries": _claim(*entries, generated["entries"]),
            }
        ),
        "compare.discrepancy.detected.v1": DiscrepancyDetected.model_validate(
            {**_data("compare.discrepancy.detected.v1"), "report_uri": report}
        ),
    }


@pytest.fixture(scope="module")
def published(
    stack: LocalStack, consumer: ConsumerAccount, closed: ConsumerAccount
) -> dict[str, tuple[Event, Metadata]]:
    # WHEN the stack's services publish one event of each
    publisher = stack.publisher()
    return {t: (event, publisher.publish(event)) for t, event in _events(stack).items()}


def test_the_consumer_receives_its_families_events_and_reads_their_objects(
    consumer: ConsumerAccount, published: dict[str, tuple[Event, Metadata]]
) -> None:
    handled = {h.detail_type: h for h in consumer.receive(2)}
    # THEN the datasets and the discrepancies arrive, each once, by our event ids
    assert set(handled) == {"etl.dataset.published.v1", "compare.discrepancy.detected.v1"}
    for detail_type, h in handled.items():
        assert h.event_id == published[detail_type][1].event_id
        assert not h.duplicate
    # AND their objects were read as the consumer's role: the snapshot checked by its SHA-256, the
    # report (named without a checksum) read whole
    [snapshot] = handled["etl.dataset.published.v1"].objects
    dataset = published["etl.dataset.published.v1"][0]
    assert isinstance(dataset, DatasetPublished)
    assert (snapshot.uri, snapshot.sha256) == (dataset.snapshot.uri, dataset.snapshot.sha256)
    [report] = handled["compare.discrepancy.detected.v1"].objects
    assert report.sha256 is None
    assert report.size == len(b'{"passed": false}')


def test_the_lines_it_was_not_granted_never_arrive_and_their_objects_are_refused(
    stack: LocalStack, consumer: ConsumerAccount, published: dict[str, tuple[Event, Metadata]]
) -> None:
    consumer.receive(0)
    sqs = consumer.role.client("sqs")
    left = sqs.receive_message(QueueUrl=consumer.subscription.queue_url, WaitTimeSeconds=0).get(
        "Messages", []
    )
    assert left == []  # our rule forwards no customs event: its rule on its bus had nothing to match
    lines = published["customs.lines.generated.v1"][0]
    assert isinstance(lines, LinesGenerated)
    bucket, _, key = lines.lines.uri.removeprefix("s3://").partition("/")
    s3 = consumer.role.client("s3")
    with pytest.raises(ClientError) as refused:
        s3.get_object(Bucket=bucket, Key=key)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    # Nor anything else of ours outside its grant, though its own role allows the whole bucket.
    _put(stack, stack.naming.data_bucket, "ingestion/published/ZSDR002/extract.json.gz", b"{}")
    with pytest.raises(ClientError):
        s3.get_object(Bucket=stack.naming.data_bucket, Key="ingestion/published/ZSDR002/extract.json.gz")


def test_a_redelivered_event_has_its_effect_once(
    stack: LocalStack, consumer: ConsumerAccount, published: dict[str, tuple[Event, Metadata]]
) -> None:
    consumer.receive(0)
    # GIVEN the dataset event published again with its own event id (a re-run or a replay)
    event, metadata = published["etl.dataset.published.v1"]
    stack.publisher().publish_with(event, metadata)
    # THEN the consumer sees it, knows it, and its table still holds one record of it
    [again] = consumer.receive(1)
    assert (again.event_id, again.duplicate) == (metadata.event_id, True)
    items = consumer.admin.client("dynamodb").scan(TableName=consumer.subscription.table)["Items"]
    assert sorted(i["pk"]["S"] for i in items) == sorted(
        m.event_id for t, (_, m) in published.items() if t != "customs.lines.generated.v1"
    )


def test_the_local_stack_holds_the_forwarding_rule_and_records_the_schema_registry(stack: LocalStack) -> None:
    events = stack.client("events")
    rule = events.describe_rule(Name=f"ior-local-to-{CONSUMER}", EventBusName=stack.naming.bus)
    assert set(stack.outputs["consumerRules"]) == {CONSUMER, CLOSED}
    assert json.loads(rule["EventPattern"])["$or"][0]["source"] == ["ior.compare"]
    [target] = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=stack.naming.bus)["Targets"]
    assert target["Arn"] == f"arn:aws:events:us-east-1:{CONSUMER}:event-bus/{INBOX}"
    assert stack.outputs["consumerRules"][CONSUMER] == rule["Arn"]
    # moto has no Schemas service: the registry and a schema per contract are recorded, with why.
    report = json.loads(stack.report_path.read_text())
    recorded = [r for r in report["recorded"] if r["type"].startswith("aws:schemas/")]
    assert {r["type"] for r in recorded} == {"aws:schemas/registry:Registry", "aws:schemas/schema:Schema"}
    assert len(recorded) == 1 + len(examples.all_examples())
    assert all(r["why"] for r in recorded)


def test_a_consumer_that_did_not_open_its_bus_to_us_receives_nothing(
    closed: ConsumerAccount, published: dict[str, tuple[Event, Metadata]]
) -> None:
    # GIVEN a forwarding rule for its datasets, and a dataset published: EventBridge refuses to put
    # on a bus whose policy does not name our account, so its rule and queue never see one
    sqs = closed.role.client("sqs")
    left = sqs.receive_message(QueueUrl=closed.subscription.queue_url, WaitTimeSeconds=0).get("Messages", [])
    assert left == []
