"""Downstream accounts get exactly what they subscribed to: a rule forwarding their families' events
to their bus, read of their families' objects in the bucket policies, decryption of those buckets
through S3 in the key policy, and nothing else; a wrong `consumers` entry is named before anything
is declared."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_contracts.registry import contracts
from ior_contracts.registry_schemas import registry_name
from ior_infra.config_schema import problems

from tests.infra.mocks import ACCOUNT, DATA_CONSUMER, DISCREPANCY_CONSUMER, Recorder

RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
DATA = "arn:aws:s3:::ior-dev-data-111122223333"
AUDIT = "arn:aws:s3:::ior-dev-audit-111122223333"


def _root(account: str) -> dict[str, str]:
    return {"AWS": f"arn:aws:iam::{account}:root"}


def _statements_for(stack: Recorder, account: str) -> dict[str, list[dict[str, Any]]]:
    """Every bucket-policy statement naming `account`, by bucket policy."""
    found: dict[str, list[dict[str, Any]]] = {}
    for policy in stack.of("aws:s3/bucketPolicy:BucketPolicy"):
        for statement in json.loads(policy.inputs["policy"])["Statement"]:
            if statement.get("Principal") == _root(account):
                found.setdefault(policy.name, []).append(statement)
    return found


def test_each_consumer_is_forwarded_exactly_its_families_events_to_its_own_bus(dev: Recorder) -> None:
    # GIVEN one consumer of datasets and lines (on its bus `ior-inbox`), one of discrepancies
    rules = {r.inputs["name"]: r for r in dev.of(RULE) if r.inputs["name"].startswith("ior-dev-to-")}
    assert set(rules) == {f"ior-dev-to-{DATA_CONSUMER}", f"ior-dev-to-{DISCREPANCY_CONSUMER}"}
    data = json.loads(rules[f"ior-dev-to-{DATA_CONSUMER}"].inputs["eventPattern"])
    # THEN each rule matches its families' contracts, each from the one source that emits them
    assert data == {
        "$or": [
            {
                "source": ["ior.customs"],
                "detail-type": ["customs.lines.generated.v1", "customs.lines.quarantined.v1"],
            },
            {
                "source": ["ior.etl"],
                "detail-type": [
                    "etl.dataset.confirmed.v1",
                    "etl.dataset.held.v1",
                    "etl.dataset.published.v1",
                ],
            },
        ]
    }
    discrepancies = json.loads(rules[f"ior-dev-to-{DISCREPANCY_CONSUMER}"].inputs["eventPattern"])
    assert discrepancies == {"source": ["ior.compare"], "detail-type": ["compare.discrepancy.detected.v1"]}
    # AND delivers to the consumer's own bus (the default one unless it names another), as one role
    targets = {t.inputs["rule"]: t.inputs for t in dev.of(TARGET) if t.inputs["rule"] in rules}
    assert targets[f"ior-dev-to-{DATA_CONSUMER}"]["arn"] == (
        f"arn:aws:events:us-east-1:{DATA_CONSUMER}:event-bus/ior-inbox"
    )
    assert targets[f"ior-dev-to-{DISCREPANCY_CONSUMER}"]["arn"] == (
        f"arn:aws:events:us-east-1:{DISCREPANCY_CONSUMER}:event-bus/default"
    )
    assert {t["roleArn"] for t in targets.values()} == {f"arn:aws:iam::{ACCOUNT}:role/consumers-forwarding"}


def test_the_forwarding_role_puts_on_the_consumer_buses_only_for_our_rules(dev: Recorder) -> None:
    role = dev.named("aws:iam/role:Role", "consumers-forwarding")
    [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/ior-dev/ior-dev-to-*"},
    }
    [statement] = json.loads(
        dev.named("aws:iam/rolePolicy:RolePolicy", "consumers-forwarding-put").inputs["policy"]
    )["Statement"]
    assert statement["Action"] == ["events:PutEvents"]
    assert statement["Resource"] == [
        f"arn:aws:events:us-east-1:{DATA_CONSUMER}:event-bus/ior-inbox",
        f"arn:aws:events:us-east-1:{DISCREPANCY_CONSUMER}:event-bus/default",
    ]


def test_a_data_consumer_reads_the_datasets_and_lines_objects_and_nothing_else(dev: Recorder) -> None:
    statements = _statements_for(dev, DATA_CONSUMER)
    # Only the data bucket names it: no audit, frontend or log bucket.
    assert set(statements) == {"storage-data-policy"}
    [grant] = statements["storage-data-policy"]
    assert grant["Effect"] == "Allow"
    assert grant["Action"] == ["s3:GetObject"]  # no listing, no write
    assert grant["Resource"] == [f"{DATA}/customs/published/*", f"{DATA}/etl/published/*"]


def test_a_discrepancy_consumer_reads_the_comparison_reports_and_nothing_else(dev: Recorder) -> None:
    statements = _statements_for(dev, DISCREPANCY_CONSUMER)
    assert set(statements) == {"storage-audit-policy"}
    [grant] = statements["storage-audit-policy"]
    assert grant["Action"] == ["s3:GetObject"]
    assert grant["Resource"] == [f"{AUDIT}/compare/comparisons/*"]


def test_each_consumer_decrypts_through_s3_only_for_the_buckets_it_reads(dev: Recorder) -> None:
    key = json.loads(dev.named("aws:kms/key:Key", "storage-key").inputs["policy"])
    for account, buckets in ((DATA_CONSUMER, [DATA]), (DISCREPANCY_CONSUMER, [AUDIT])):
        [decrypt] = [s for s in key["Statement"] if s["Principal"] == _root(account)]
        assert decrypt["Action"] == ["kms:Decrypt"], account
        assert decrypt["Condition"] == {
            "StringEquals": {
                "kms:ViaService": "s3.us-east-1.amazonaws.com",
                "kms:EncryptionContext:aws:s3:arn": buckets,
            }
        }, account


def test_no_other_resource_names_a_consumer_account(dev: Recorder) -> None:
    """The forwarding rules and targets, the role's policy, the bucket and key policies: nowhere else."""
    allowed = {
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:kms/key:Key",
    }
    for resource in dev.resources:
        text = json.dumps(resource.inputs, default=str)
        if DATA_CONSUMER in text or DISCREPANCY_CONSUMER in text:
            assert resource.typ in allowed, f"{resource.typ} {resource.name} names a consumer account"


def test_every_contract_is_published_to_the_stage_schema_registry_as_draft_4(dev: Recorder) -> None:
    registry = dev.named("aws:schemas/registry:Registry", "schemas-registry")
    assert registry.inputs["name"] == "ior-dev"
    schemas = {s.inputs["name"]: s.inputs for s in dev.of("aws:schemas/schema:Schema")}
    assert set(schemas) == {registry_name(t) for t in contracts()}
    for name, schema in schemas.items():
        assert schema["registryName"] == "ior-dev", name
        assert schema["type"] == "JSONSchemaDraft4", name
        content = json.loads(schema["content"])
        assert content["$schema"] == "http://json-schema.org/draft-04/schema#", name
        assert len(schema["content"]) < 100_000, name  # the registry's limit on a schema's content


@pytest.mark.parametrize(
    ("consumers", "problem"),
    [
        ({"account": "4444"}, "must list consumers"),
        ([{"account": "4444", "families": ["etl.dataset"]}], "'4444' is not a 12-digit AWS account id"),
        ([{"account": DATA_CONSUMER, "families": ["etl.rows"]}], "unknown families ['etl.rows']"),
        ([{"account": DATA_CONSUMER, "families": []}], "families must list at least one of"),
        ([{"account": DATA_CONSUMER, "families": ["etl.dataset"], "queue": "x"}], "unknown fields ['queue']"),
        ([{"account": DATA_CONSUMER, "families": ["etl.dataset"], "bus": "a bus"}], "is not an event bus"),
        (
            [{"account": DATA_CONSUMER, "families": ["etl.dataset"]}] * 2,
            f"consumer {DATA_CONSUMER} is listed twice",
        ),
    ],
)
def test_a_wrong_consumer_is_named_with_what_it_must_be(consumers: object, problem: str) -> None:
    found = [p for p in problems("dev", {"consumers": consumers}) if p.startswith("consumers:")]
    assert len(found) == 1, found
    assert problem in found[0], found


def test_a_stack_without_consumers_forwards_nothing_and_grants_no_account(dev: Recorder) -> None:
    from tests.infra.mocks import run_stack

    bare = run_stack("staging", consumers=None)
    assert not [r for r in bare.of(RULE) if r.inputs["name"].startswith("ior-staging-to-")]
    for policy in bare.of("aws:s3/bucketPolicy:BucketPolicy"):
        assert all(
            "AWS" not in s.get("Principal", {}) for s in json.loads(policy.inputs["policy"])["Statement"]
        )


def test_the_consumer_guide_lists_every_offered_family_with_its_events_and_objects() -> None:
    from pathlib import Path

    from ior_contracts.topology import load_topology

    guide = (Path(__file__).resolve().parents[2] / "docs" / "consumers.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in guide.splitlines() if line.startswith("| `")}
    offers = load_topology().offers
    assert set(rows) == set(offers)
    for family, (service, offer) in offers.items():
        for detail_type in offer.detail_types(service.source):
            assert f"`{detail_type}`" in rows[family], family
        for read in offer.objects:
            assert f"{read.bucket} bucket `{read.prefix}`" in rows[family], family


def test_a_stack_still_naming_the_retired_cross_account_reader_is_told_what_replaced_it() -> None:
    from tests.infra.mocks import Recorder, run_stack

    recorder = Recorder()
    with pytest.raises(Exception, match="crossAccountId: replaced by `consumers`"):
        run_stack("staging", recorder, crossAccountId=DATA_CONSUMER)
    assert recorder.resources == []
