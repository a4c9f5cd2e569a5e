"""The local stack refuses what S3 refuses and moto does not: a write into the Object Lock audit
bucket without an integrity check, from any client the stack's process makes, with the SDK's own
default checksums off (as an older Lambda runtime SDK sends none)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from ior_tools.runtime.stack import LocalStack


def _client() -> object:
    # Made the way the services make theirs: the default session, the environment's endpoint.
    return boto3.client("s3")


def test_a_write_into_the_audit_bucket_without_a_checksum_is_refused(stack: LocalStack) -> None:
    s3 = _client()
    with pytest.raises(ClientError, match="x-amz-checksum- HTTP header is required"):
        s3.put_object(Bucket=stack.naming.audit_bucket, Key="probe/run.json", Body=b"{}")  # type: ignore[attr-defined]


def test_a_write_with_a_checksum_is_kept_and_other_buckets_are_not_judged(stack: LocalStack) -> None:
    s3 = _client()
    s3.put_object(  # type: ignore[attr-defined]
        Bucket=stack.naming.audit_bucket, Key="probe/run.json", Body=b"{}", ChecksumAlgorithm="SHA256"
    )
    s3.put_object(Bucket=stack.naming.data_bucket, Key="probe/plain.json", Body=b"{}")  # type: ignore[attr-defined]
    assert s3.head_object(Bucket=stack.naming.audit_bucket, Key="probe/run.json")["ContentLength"] == 2  # type: ignore[attr-defined]
