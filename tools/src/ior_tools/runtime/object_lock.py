"""What S3 refuses and moto does not: a write into a bucket with Object Lock default retention that
carries neither Content-MD5 nor a checksum header. The local stack refuses it too, for every boto3
client made in its process (the workers and the API), so a write that would fail in AWS fails here.

The check runs in botocore's `before-send` hook, as the request leaves the client: the local stack
also turns off the SDK's own default checksums (`AWS_REQUEST_CHECKSUM_CALCULATION=when_required`),
as an older Lambda runtime SDK sends none, so only the checksums the code asks for are seen."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

WRITES = ("PutObject", "UploadPart")
# Headers by which S3 accepts the integrity check Object Lock needs (a trailing checksum announces
# itself with `x-amz-sdk-checksum-algorithm` and `x-amz-trailer`).
CHECKSUM_HEADERS = ("content-md5", "x-amz-sdk-checksum-algorithm", "x-amz-trailer")


class ObjectLockChecksums:
    """Refuses unchecked writes into `buckets` from every client the default session makes."""

    def __init__(self, buckets: tuple[str, ...]) -> None:
        self._buckets = buckets
        self.refused = 0

    def install(self) -> None:
        for operation in WRITES:
            boto3._get_default_session().events.register(f"before-send.s3.{operation}", self._check)

    def uninstall(self) -> None:
        for operation in WRITES:
            boto3._get_default_session().events.unregister(f"before-send.s3.{operation}", self._check)

    def _check(self, request: Any, **_: Any) -> None:
        url = request.url
        if not any(f"/{bucket}/" in url or f"//{bucket}." in url for bucket in self._buckets):
            return
        headers = {k.lower() for k in request.headers}
        if any(h.startswith("x-amz-checksum-") for h in headers) or headers & set(CHECKSUM_HEADERS):
            return
        self.refused += 1
        message = (
            "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests "
            "with Object Lock parameters"
        )
        raise ClientError({"Error": {"Code": "InvalidRequest", "Message": message}}, "PutObject")
