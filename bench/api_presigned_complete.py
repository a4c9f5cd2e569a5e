"""What completing a large presigned upload costs the API function, beside what reading and checking
the same file there would cost (what completion did before the ETL took the check over).

A moto server in its own process holds the bucket, so S3's work (hashing and copying the file) is
not counted in this process; each figure is this process's wall time and its Python heap's peak
(tracemalloc) during the call alone.

    uv run python -m bench.api_presigned_complete [--lines 1000000]

The figure to watch: completion's time and memory stay flat as the file grows, far inside the API
function's 29 s and its memory, where reading and checking grow with the file."""

from __future__ import annotations

import argparse
import hashlib
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import boto3
from ior_api.adapters.uploads import UploadStore, incoming_key
from ior_api.domain.uploads import check_file
from ior_api.ports import Services
from ior_api.service_layer import uploads
from ior_contracts.envelope import Event, Metadata, new_metadata
from ior_contracts.legacy.csv_file import legacy_lines
from ior_contracts.legacy.formats import INVOICE_LINES

from bench.figures import Figure, emit
from bench.moto_process import moto_server

BUCKET = "bench-uploads"
NAME = INVOICE_LINES.file
LINE = '90000001,10,F2,03/13/2026,,10000004,"PSU 150W, steel",4,EA,"1,234.50",USD,SH-1,2704,40,03/16/2026'


@dataclass
class Announced:
    """The bus, as far as completion is concerned: what it was asked to publish."""

    events: list[Event] = field(default_factory=list)

    def publish(self, event: Event, **kwargs: Any) -> Metadata:
        self.events.append(event)
        return new_metadata(type(event), occurred_at=datetime.now(UTC), event_id=kwargs.get("event_id"))


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class History:
    """The read models, as far as completion is concerned: the upload's history entry it keeps."""

    items: list[tuple[Any, ...]] = field(default_factory=list)

    def put(self, *item: Any) -> None:
        self.items.append(item)


@dataclass(frozen=True)
class Cost:
    ms: float
    peak_mib: float


def measured(call: Callable[[], object]) -> Cost:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        call()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Cost(elapsed * 1000, peak / 2**20)


def hashed(chunks: Iterator[bytes], digest: Any) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def bundle(lines: int) -> bytes:
    header = ",".join(INVOICE_LINES.header)
    return b"\xef\xbb\xbf" + (header + "\r\n" + (LINE + "\r\n") * lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    body = bundle(args.lines)
    with moto_server() as url:
        s3 = boto3.client(
            "s3",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="x",
        )
        s3.create_bucket(Bucket=BUCKET)
        store = UploadStore(s3, BUCKET)
        s3.put_object(Bucket=BUCKET, Key=incoming_key("checked", NAME), Body=body)
        (waiting,) = store.incoming("checked")

        def read_and_check() -> None:
            stream = s3.get_object(Bucket=BUCKET, Key=waiting.key)["Body"].iter_chunks(1024 * 1024)
            check_file(NAME, legacy_lines(hashed(stream, hashlib.sha256())))

        checked = measured(read_and_check)
        s3.put_object(Bucket=BUCKET, Key=incoming_key("completed", NAME), Body=body)
        announced = Announced()
        history = History()
        parts = {"uploads": store, "publisher": announced, "readmodels": history, "clock": staticmethod(_now)}
        services = cast(Services, type("Completing", (), parts)())
        completed = measured(lambda: uploads.complete(services, "completed", None, by="bench"))
    (event,) = announced.events
    assert len(history.items) == 1
    assert getattr(event, "checked", True) is False
    size = len(body) / 2**20
    print(f"a {args.lines:,}-line {NAME} ({size:,.0f} MiB) in a presigned session:")
    for what, cost in (
        ("completion (S3 hashes and copies it)", completed),
        ("read and checked in the API", checked),
    ):
        print(f"  {what:38} {cost.ms:8,.0f} ms  peak {cost.peak_mib:6,.1f} MiB")
    peer = "read and checked in the API"
    emit(
        "api_presigned_complete",
        [
            Figure(f"presigned completion, {args.lines:,} lines: time", completed.ms, "ms", peer=peer,
                   peer_value=checked.ms),
            Figure(f"presigned completion, {args.lines:,} lines: peak heap", completed.peak_mib, "MiB",
                   peer=peer, peer_value=checked.peak_mib),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
