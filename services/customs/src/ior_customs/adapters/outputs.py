"""The customs service's objects. Outputs are immutable and keyed by the run key under the data
bucket's `customs/published/<kind>/<business date>/<mode>/<run key>.json.gz` (`.csv.gz` for the
compared columns, `.arrays.gz` for their arrays; gzip with mtime 0, so the same run gives the same
bytes); each run's report is under the audit bucket's `customs/runs/<business date>/<mode>/<run
id>/`. An object already there is never written again.

A published object is a series of gzip members, one per 256 KiB of its text, each cut between two
of its chunks (RFC 1952 allows several; any gzip reader reads them as one text). A reader that knows
where a chunk's member is (the lines' entry columns say) inflates just that member, where a single
stream could be entered only at its start. Every kind is written so, not only the lines: one writer,
and an object given as one chunk (the entries, the quarantine, the columns) is one member, the same
bytes as the single stream written before."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.inflated import steps
from isal import igzip

from ior_customs.adapters.objects import Objects
from ior_customs.domain.line_columns import GzipMember
from ior_customs.ports import RunKey

# Deflated by ISA-L (`isal.igzip`, Intel's storage-acceleration library), level 1: a million-line
# day's lines are 435 MB of JSON, which zlib's level 6 deflated in 3.9 s CPU (32 MB), its level 1 in
# 1.4 s (46 MB), and ISA-L's level 1 in 0.34 s (44 MB). Any gzip reader reads what it writes.
GZIP_LEVEL = 1
# The chunks (an entry's lines each) are compressed 256 KiB at a time, each batch its own member: no
# compressor call per entry, and an explanation inflates about that much text per entry it cites. At
# 505k lines, 200 entries cited across the day inflated 0.65 s of members a megabyte each, 0.14 s of
# 256 KiB ones, for objects 1 % larger (7 % at 100k lines: the dictionary restarts with each member).
WRITE_BYTES = 1 << 18
_CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "arrays": "application/octet-stream",
}
_EXTENSIONS = {
    "line-columns": "csv",
    "entry-columns": "csv",
    "line-arrays": "arrays",
    "entry-arrays": "arrays",
}


class S3Outputs:
    def __init__(
        self,
        s3: Any,
        data_bucket: str,
        audit_bucket: str,
        prefix: str = "customs/",
        write_bytes: int = WRITE_BYTES,
    ) -> None:
        self._objects = Objects(s3)
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix
        self._write_bytes = write_bytes

    def publish(
        self,
        kind: str,
        key: RunKey,
        chunks: Iterable[bytes],
        rows: int,
        schema_version: str,
        members: list[GzipMember] | None = None,
    ) -> ClaimCheck:
        """Store the JSON (the CSV or arrays, for the compared columns) in `chunks` gzip-compressed under the
        run's key, compressed as the chunks come, a member per batch (`gzip_members`); its claim
        check. The members written are added to `members`, when given."""
        extension = _EXTENSIONS.get(kind, "json")
        data, written = gzip_members(chunks, self._write_bytes)
        if members is not None:
            members.extend(written)
        day = key.business_date.isoformat()
        object_key = f"{self._prefix}published/{kind}/{day}/{key.mode}/{key.digest}.{extension}.gz"
        self._objects.put_once(self._data, object_key, data, _CONTENT_TYPES[extension])
        return ClaimCheck(
            uri=f"s3://{self._data}/{object_key}",
            sha256=hashlib.sha256(data).hexdigest(),
            row_count=rows,
            schema_version=schema_version,
        )

    def text(self, claim: ClaimCheck) -> Iterator[bytes]:
        """An object this service published, after checking its SHA-256: its text inflated a step at
        a time (not `gzip.decompress`, which copies what follows each member: quadratic over
        hundreds, and holds all of the text)."""
        return steps(self._objects.read(claim))

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


def gzip_members(chunks: Iterable[bytes], size: int = WRITE_BYTES) -> tuple[bytes, list[GzipMember]]:
    """The chunks compressed as independent gzip members (level `GZIP_LEVEL`, mtime 0: the same
    chunks give the same bytes), one per batch of at least `size` bytes cut between chunks; and where
    each member is. No chunks are one member of no text, a gzip object as before."""
    buffer = io.BytesIO()
    members: list[GzipMember] = []
    text = 0
    for batch in _batched(chunks, size):
        start = buffer.tell()
        buffer.write(igzip.compress(batch, compresslevel=GZIP_LEVEL, mtime=0))
        members.append(GzipMember(text, text + len(batch), start, buffer.tell()))
        text += len(batch)
    if not members:
        buffer.write(igzip.compress(b"", compresslevel=GZIP_LEVEL, mtime=0))
        members.append(GzipMember(0, 0, 0, buffer.tell()))
    return buffer.getvalue(), members


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
