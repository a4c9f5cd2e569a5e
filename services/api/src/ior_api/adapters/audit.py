"""Immutable reports in the audit bucket, read only under the report prefixes the API may serve."""

from __future__ import annotations

from typing import Any

from ior_api.adapters import objects
from ior_api.ports import Report, ReportNotFoundError

# The customs run reports and the comparison reports: nothing else of the audit bucket is served.
REPORT_PREFIXES = ("customs/", "compare/")
# A link is followed at once by the client that asked with its session; it is useless after this.
LINK_TTL_S = 300


class AuditReports:
    def __init__(self, s3: Any, audit_bucket: str) -> None:
        self._s3 = s3
        self._bucket = audit_bucket

    def read(self, uri: str, *, max_bytes: int) -> Report:
        """The report named by its URI from an event, as stored (a customs run's and a comparison's
        report.json are gzip, and served so); a link to it when it is larger than `max_bytes`."""
        head = f"s3://{self._bucket}/"
        key = uri.removeprefix(head)
        if not uri.startswith(head) or not key.startswith(REPORT_PREFIXES) or ".." in key:
            raise ReportNotFoundError(f"{uri} is not a report")
        try:
            found = objects.read_within(self._s3, self._bucket, key, max_bytes)
        except objects.ObjectMissingError:
            raise ReportNotFoundError(f"{uri} does not exist") from None
        if found is None:
            params = {"Bucket": self._bucket, "Key": key}
            if key.endswith(".html"):
                # Downloaded, not shown: from the bucket's origin it would lack the API's no-script policy.
                params["ResponseContentDisposition"] = f'attachment; filename="{key.rsplit("/", 1)[-1]}"'
            link = self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=LINK_TTL_S)
            return Report(b"", "", link=link)
        return Report(found.data, found.content_type or "application/octet-stream", found.content_encoding)
