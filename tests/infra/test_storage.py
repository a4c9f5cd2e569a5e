"""Buckets: KMS (the access-log bucket SSE-S3, as S3 requires), versioned, private, TLS only;
the audit bucket locked per stack; every table on demand with PITR and TTL."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from ior_contracts.topology import Naming, ServiceDeclaration, Topology, load_topology
from ior_infra.tables import Tables, TablesArgs

from tests.infra.mocks import ACCOUNT, PROJECT, Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

BUCKET = "aws:s3/bucket:Bucket"
LOG_BUCKET = "storage-logs"


def _for_bucket(stack: Recorder, typ: str, bucket: str) -> dict[str, Any]:
    found = [r.inputs for r in stack.of(typ) if r.inputs["bucket"] == f"{bucket}-id"]
    assert len(found) == 1, f"{bucket}: {len(found)} {typ}"
    return found[0]


def test_every_bucket_is_encrypted_versioned_private_and_tls_only(dev: Recorder) -> None:
    key_arn = dev.named("aws:kms/key:Key", "storage-key").state["arn"]
    buckets = dev.of(BUCKET)
    assert {b.name for b in buckets} == {"storage-data", "storage-audit", "storage-frontend", LOG_BUCKET}
    for b in buckets:
        rule = _for_bucket(
            dev,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            b.name,
        )["rules"][0]
        default = rule["applyServerSideEncryptionByDefault"]
        if b.name == LOG_BUCKET:
            assert default == {"sseAlgorithm": "AES256"}, b.name
        else:
            assert default == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}, b.name
        versioning = _for_bucket(dev, "aws:s3/bucketVersioning:BucketVersioning", b.name)
        assert versioning["versioningConfiguration"]["status"] == "Enabled", b.name
        block = _for_bucket(dev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.name)
        for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
            assert block[flag] is True, f"{b.name}: {flag}"
        policy = json.loads(_for_bucket(dev, "aws:s3/bucketPolicy:BucketPolicy", b.name)["policy"])
        assert {
            "Effect": "Deny",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }.items() <= policy["Statement"][0].items(), b.name
        lifecycle = _for_bucket(
            dev, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", b.name
        )
        assert lifecycle["rules"], b.name


@pytest.mark.parametrize(("stage", "mode", "years"), [("dev", "GOVERNANCE", 1), ("prod", "COMPLIANCE", 7)])
def test_audit_object_lock_per_stack(stacks: dict[str, Recorder], stage: str, mode: str, years: int) -> None:
    stack = stacks[stage]
    assert stack.named(BUCKET, "storage-audit").inputs["objectLockEnabled"] is True
    lock = _for_bucket(
        stack, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "storage-audit"
    )
    assert lock["rule"]["defaultRetention"] == {"mode": mode, "years": years}, stage


def test_every_table_is_on_demand_with_pitr_and_ttl(dev: Recorder) -> None:
    tables = dev.of("aws:dynamodb/table:Table")
    assert {t.inputs["name"] for t in tables} == {f"ior-dev-{s.name}" for s in load_topology().services}
    for t in tables:
        assert t.inputs["billingMode"] == "PAY_PER_REQUEST", t.name
        assert t.inputs["pointInTimeRecovery"] == {"enabled": True}, t.name
        declared = load_topology().service(t.name.removeprefix("tables-"))
        assert t.inputs["ttl"] == {"attributeName": declared.ttl_attribute, "enabled": True}, t.name
        assert (t.inputs["hashKey"], t.inputs["rangeKey"]) == ("pk", "sk"), t.name
        assert t.inputs["serverSideEncryption"]["enabled"] is True, t.name


def test_key_serves_alarms_logs_and_the_distribution(dev: Recorder) -> None:
    key = json.loads(dev.named("aws:kms/key:Key", "storage-key").inputs["policy"])
    services = {s["Principal"].get("Service") for s in key["Statement"]}
    assert {
        "cloudwatch.amazonaws.com",
        "logs.us-east-1.amazonaws.com",
        "cloudfront.amazonaws.com",
    } <= services


def test_declared_indexes_become_global_indexes() -> None:

    from tests.infra.mocks import Recorder

    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project=PROJECT, stack="dev", preview=False)
    declared = ServiceDeclaration(name="indexed", indexes=("bydate",), ttl_attribute="expires_at")

    def program() -> None:
        Tables("tables", TablesArgs(Naming("dev"), Topology((declared,)), "arn:key", is_prod=False))

    pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]
    table = recorder.named("aws:dynamodb/table:Table", "tables-indexed").inputs
    assert {a["name"] for a in table["attributes"]} == {"pk", "sk", "bydatepk", "bydatesk"}
    assert table["globalSecondaryIndexes"] == [
        {
            "name": "bydate",
            "keySchemas": [
                {"attributeName": "bydatepk", "keyType": "HASH"},
                {"attributeName": "bydatesk", "keyType": "RANGE"},
            ],
            "projectionType": "ALL",
        }
    ]
    assert table["ttl"] == {"attributeName": "expires_at", "enabled": True}


@pytest.mark.parametrize(("stage", "destroyable"), [("dev", True), ("prod", False)])
def test_a_non_prod_stack_can_be_destroyed_and_created_again_and_prod_cannot(
    stacks: dict[str, Recorder], stage: str, destroyable: bool
) -> None:
    for bucket in stacks[stage].of("aws:s3/bucket:Bucket"):
        assert bucket.inputs["forceDestroy"] is destroyable, bucket.name
    for secret in stacks[stage].of("aws:secretsmanager/secret:Secret"):
        assert secret.inputs["recoveryWindowInDays"] == (0 if destroyable else 30), secret.name
    for table in stacks[stage].of("aws:dynamodb/table:Table"):
        assert table.inputs["deletionProtectionEnabled"] is not destroyable, table.name


def test_bucket_names_are_global_by_the_account() -> None:
    for bucket in run_stack("dev").of("aws:s3/bucket:Bucket"):
        assert bucket.inputs["bucket"].startswith("ior-dev-"), bucket.name
        assert bucket.inputs["bucket"].endswith(f"-{ACCOUNT}"), bucket.name


def test_bucket_names_take_a_configured_suffix_instead() -> None:
    names = {b.inputs["bucket"] for b in run_stack("dev", bucketSuffix="acme-eu").of("aws:s3/bucket:Bucket")}
    assert names == {f"ior-dev-{kind}-acme-eu" for kind in ("data", "audit", "frontend", "access-logs")}


def test_the_local_runtime_names_its_buckets_by_the_same_rule() -> None:
    from ior_tools.runtime.aws import LOCAL_ACCOUNT
    from ior_tools.runtime.stack import LocalStack

    naming = LocalStack().naming
    assert (naming.data_bucket, naming.audit_bucket) == (
        f"ior-local-data-{LOCAL_ACCOUNT}",
        f"ior-local-audit-{LOCAL_ACCOUNT}",
    )


def test_abandoned_presigned_uploads_expire_after_a_day(dev: Recorder) -> None:
    lifecycle = dev.named(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "storage-data-lifecycle"
    )
    rules = {r["id"]: r for r in lifecycle.inputs["rules"]}
    abandoned = rules["abandoned-uploads"]
    assert abandoned["filter"] == {"prefix": "api/incoming/"}
    assert abandoned["expiration"] == {"days": 1}
    assert abandoned["status"] == "Enabled"
