"""Immutable reports in the audit bucket, read only under the report prefixes the API may serve."""

from __future__ import annotations

from typing import Any

from ior_api.adapters import objects
from ior_api.ports import ReportNotFoundError

# The customs run reports and the comparison reports: nothing else of the audit bucket is served.
REPORT_PREFIXES = ("customs/", "compare/")


class AuditReports:
    def __init__(self, s3: Any, audit_bucket: str) -> None:
        self._s3 = s3
        self._bucket = audit_bucket

    def read(self, uri: str) -> tuple[bytes, str, str | None]:
        """(body, content type, content encoding) of a report named by its URI from an event: a
        customs run's report.json is stored gzip, and served so."""
        head = f"s3://{self._bucket}/"
        key = uri.removeprefix(head)
        if not uri.startswith(head) or not key.startswith(REPORT_PREFIXES) or ".." in key:
            raise ReportNotFoundError(f"{uri} is not a report")
        try:
            found = objects.read(self._s3, self._bucket, key)
        except objects.ObjectMissingError:
            raise ReportNotFoundError(f"{uri} does not exist") from None
        return found.data, found.content_type or "application/octet-stream", found.content_encoding
