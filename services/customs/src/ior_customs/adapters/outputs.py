"""The customs service's objects. Outputs are immutable and keyed by the run key under the data
bucket's `customs/published/<kind>/<business date>/<mode>/<run key>.json.gz` (`.csv.gz` for the
compared columns; gzip with mtime 0, so the same run gives the same bytes); each run's report is
under the audit bucket's `customs/runs/<business date>/<mode>/<run id>/`. An object already there is
never written again."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_customs.adapters.objects import Objects
from ior_customs.ports import RunKey

# Level 1, not zlib's default 6: a million-line day's lines are ~300 MB of JSON, and level 6 spent
# 3.9 s CPU on them where level 1 spends 1.4 s, for objects 44 % larger (32 → 46 MB).
GZIP_LEVEL = 1
# The chunks (an entry's lines each) are compressed a megabyte at a time: the same bytes as writing
# them one by one, without a compressor call per entry.
WRITE_BYTES = 1 << 20
_CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}
_CSV_KINDS = {"line-columns": "csv", "entry-columns": "csv"}


class S3Outputs:
    def __init__(self, s3: Any, data_bucket: str, audit_bucket: str, prefix: str = "customs/") -> None:
        self._objects = Objects(s3)
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix

    def publish(
        self, kind: str, key: RunKey, chunks: Iterable[bytes], rows: int, schema_version: str
    ) -> ClaimCheck:
        """Store the JSON (the CSV, for the compared columns) in `chunks` gzip-compressed under the
        run's key, compressed as the chunks come (the same bytes as compressing it whole); its claim
        check."""
        extension = _CSV_KINDS.get(kind, "json")
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
            for batch in _batched(chunks, WRITE_BYTES):
                out.write(batch)
        data = buffer.getvalue()
        day = key.business_date.isoformat()
        object_key = f"{self._prefix}published/{kind}/{day}/{key.mode}/{key.digest}.{extension}.gz"
        self._objects.put_once(self._data, object_key, data, _CONTENT_TYPES[extension])
        return ClaimCheck(
            uri=f"s3://{self._data}/{object_key}",
            sha256=hashlib.sha256(data).hexdigest(),
            row_count=rows,
            schema_version=schema_version,
        )

    def read(self, claim: ClaimCheck) -> bytes:
        """An object this service published, decompressed, after checking its SHA-256."""
        return gzip.decompress(self._objects.read(claim))

    def report_uris(self, key: RunKey) -> tuple[str, str]:
        base = f"s3://{self._audit}/{self._report_base(key)}"
        return f"{base}/report.json", f"{base}/report.html"

    def write_report(self, key: RunKey, report_json_gzip: bytes, report_html: bytes) -> None:
        """The JSON report is gzip under its `.json` name, with `Content-Encoding: gzip`: an HTTP
        reader (a presigned URL, the API) gets JSON, an SDK reader decompresses it."""
        base = self._report_base(key)
        self._objects.put_once(
            self._audit, f"{base}/report.json", report_json_gzip, "application/json", content_encoding="gzip"
        )
        self._objects.put_once(self._audit, f"{base}/report.html", report_html, "text/html; charset=utf-8")

    def _report_base(self, key: RunKey) -> str:
        return f"{self._prefix}runs/{key.business_date.isoformat()}/{key.mode}/{key.run_id}"


def _batched(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The chunks joined into pieces of at least `size` bytes (the last may be shorter)."""
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(pending)
            pending, held = [], 0
    if pending:
        yield b"".join(pending)
