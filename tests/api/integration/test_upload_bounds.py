"""What an upload costs is bounded whatever is sent: a refusal lists the first problems of each file
and counts the rest, a hopeless file is given up early, a huge cell is quoted in part, and a presigned
upload is streamed (checked and hashed as it comes from S3, copied by S3 itself), never held whole."""

from __future__ import annotations

import dataclasses
import hashlib
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from ior_api.adapters.uploads import UploadStore
from ior_api.domain.uploads import HOPELESS, LISTED_PER_FILE, MESSAGE_CHARS
from ior_api.ports import Incoming, IncomingChangedError
from ior_api.service_layer import uploads
from ior_contracts.claims import ClaimCheck
from ior_contracts.manual import bundle_id, upload_key

from tests.api.conftest import Api
from tests.api.integration.test_uploads import GOOD_LINE, INVOICE_HEADER, RATES, csv_bytes, post

# Every cell rule of the invoice lines broken on every row: eight problems a row.
HOPELESS_LINE = "x,y,F2,1,,a,=HYPERLINK(1),m,ZZ,l,USD,S,2704,40,9"


def test_a_hundred_thousand_bad_rows_get_a_small_answer_at_once(api: Api) -> None:
    # GIVEN a 100,000-row file in which every row breaks eight rules (800,000 problems)
    body = csv_bytes(INVOICE_HEADER, *(HOPELESS_LINE for _ in range(100_000)))
    assert len(body) < 6 * 1024 * 1024

    # WHEN it is uploaded
    started = time.monotonic()
    response = post(api, {"Invoice_Lines.csv": body})
    took = time.monotonic() - started

    # THEN the answer lists the first problems, counts those found, and says the check gave up
    assert response.status_code == 422
    answer = response.json()
    assert len(response.content) < 200_000
    assert len(answer["errors"]) == LISTED_PER_FILE
    (summary,) = answer["summary"]
    assert summary["problems"] == HOPELESS
    assert summary["stopped_at_row"] == 1 + HOPELESS // 8
    assert summary["by_rule"]["invalid_arrival_date"] == HOPELESS // 8
    assert summary["by_column"]["Quantity"] == HOPELESS // 8
    assert answer["detail"] == f"at least {HOPELESS} problem(s); nothing was stored"
    assert took < 10, f"{took:.1f} s"
    assert api.publisher.published == []


def test_problems_beyond_the_listed_ones_are_counted_by_rule_and_column(api: Api) -> None:
    rows = [f"EUR,03/{n % 28 + 1:02d}/2026,not-a-rate" for n in range(LISTED_PER_FILE + 50)]
    response = post(api, {"Exchange_Rates.csv": csv_bytes(RATES, *rows)})

    answer = response.json()
    assert len(answer["errors"]) == LISTED_PER_FILE
    assert [e["row"] for e in answer["errors"][:2]] == [2, 3]
    assert answer["summary"] == [
        {
            "file": "Exchange_Rates.csv",
            "problems": LISTED_PER_FILE + 50,
            "by_rule": {"malformed_rate": LISTED_PER_FILE + 50},
            "by_column": {"USD per Unit": LISTED_PER_FILE + 50},
            "stopped_at_row": None,
            "listed": LISTED_PER_FILE,
        }
    ]
    assert answer["detail"] == f"{LISTED_PER_FILE + 50} problem(s); nothing was stored"


def test_a_megabyte_cell_is_quoted_in_part(api: Api) -> None:
    huge = "9" * 1_000_000 + "x"
    response = post(api, {"Exchange_Rates.csv": csv_bytes(RATES, f"EUR,03/16/2026,{huge}")})

    (error,) = response.json()["errors"]
    assert len(error["message"]) <= MESSAGE_CHARS
    assert len(response.content) < 5_000


def test_a_long_unknown_file_name_is_quoted_in_part(api: Api) -> None:
    response = post(api, {"x" * 2_000 + ".csv": b"a"})
    assert response.status_code == 422
    assert len(response.content) < 5_000


def presigned_session(api: Api, files: dict[str, bytes]) -> str:
    """A presigned session with `files` where the browser's forms would have put them."""
    api.use(*api.session("otto", "operator")[:2])
    grant = api.client.post("/api/uploads/presigned", json={"files": sorted(files)}).json()
    for target in grant["targets"]:
        key = target["fields"]["key"]
        assert key == f"api/incoming/{grant['session']}/{target['filename']}"
        api.s3.put_object(Bucket=api.services.settings.data, Key=key, Body=files[target["filename"]])
    return str(grant["session"])


def test_a_completed_presigned_upload_is_copied_by_s3_and_leaves_nothing_incoming(api: Api) -> None:
    files = {
        "Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874"),
        "Invoice_Lines.csv": csv_bytes(INVOICE_HEADER, GOOD_LINE),
    }
    session = presigned_session(api, files)

    done = api.client.post(f"/api/uploads/presigned/{session}", json={})

    assert done.status_code == 202, done.text
    assert done.json()["upload_id"] == bundle_id(files)
    bucket = api.services.settings.data
    for stored in done.json()["files"]:
        key = f"api/published/uploads/{bundle_id(files)}/{stored['filename']}"
        data = api.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert data == files[stored["filename"]]
        assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    left = api.s3.list_objects_v2(Bucket=bucket, Prefix=f"api/incoming/{session}/")
    assert left.get("KeyCount", 0) == 0


def test_a_hopeless_presigned_file_is_refused_with_the_same_bounded_answer(api: Api) -> None:
    body = csv_bytes(INVOICE_HEADER, *(HOPELESS_LINE for _ in range(20_000)))
    session = presigned_session(api, {"Invoice_Lines.csv": body})

    refused = api.client.post(f"/api/uploads/presigned/{session}", json={})

    assert refused.status_code == 422
    assert refused.json()["summary"][0]["stopped_at_row"] == 1 + HOPELESS // 8
    assert len(refused.json()["errors"]) == LISTED_PER_FILE


class ReplacedWhileChecked(UploadStore):
    """The uploader posts another file through the still-valid form while the first is checked."""

    def chunks(self, file: Incoming) -> Iterator[bytes]:
        yield from super().chunks(file)
        self._s3.put_object(Bucket=self._bucket, Key=file.key, Body=csv_bytes(RATES, "EUR,03/16/2026,9.99"))


def test_a_file_replaced_while_it_was_checked_is_not_stored(api: Api) -> None:
    files = {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}
    session = presigned_session(api, files)
    api.services.uploads = ReplacedWhileChecked(api.s3, api.services.settings.data)

    refused = api.client.post(f"/api/uploads/presigned/{session}", json={})

    assert refused.status_code == 409
    for upload_id in (
        bundle_id(files),
        bundle_id({"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,9.99")}),
    ):
        listing = api.s3.list_objects_v2(
            Bucket=api.services.settings.data, Prefix=f"api/published/uploads/{upload_id}/"
        )
        assert listing.get("KeyCount", 0) == 0
    assert api.publisher.published == []


@dataclasses.dataclass
class GeneratedUploads:
    """A presigned session holding one large clean file that exists only as it streams."""

    rows: int
    ttl_s: int = 900
    adopted: list[str] = dataclasses.field(default_factory=list)

    def incoming(self, session: str) -> list[Incoming]:
        return [Incoming("Exchange_Rates.csv", f"api/incoming/{session}/Exchange_Rates.csv", '"etag"')]

    def chunks(self, file: Incoming) -> Iterator[bytes]:
        yield b"\xef\xbb\xbf" + f"{RATES}\r\n".encode()
        line = b"EUR,03/16/2026,1.0874\r\n"
        for _ in range(self.rows // 2_000):
            yield line * 2_000

    def adopt(self, file: Incoming, upload_id: str, sha256: str, rows: int) -> ClaimCheck:
        self.adopted.append(sha256)
        uri = f"s3://data/{upload_key(upload_id, file.name)}"
        return ClaimCheck(uri=uri, sha256=sha256, row_count=rows, schema_version="1")

    def discard(self, files: list[Incoming]) -> None:
        pass

    def store(self, *_: Any) -> ClaimCheck:
        raise AssertionError("a presigned file is never stored from memory")

    def presign(self, *_: Any) -> dict[str, Any]:
        raise AssertionError


def test_completing_a_large_presigned_upload_holds_no_file_in_memory(api: Api) -> None:
    # GIVEN a 100,000-row (2.3 MB) file in a presigned session
    generated = GeneratedUploads(rows=100_000)
    api.services.uploads = generated
    size = len(b"".join(generated.chunks(generated.incoming("s")[0])))

    # WHEN the upload is completed
    tracemalloc.start()
    try:
        done = uploads.complete(api.services, "s", None, by="otto")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # THEN it was checked and hashed whole, with a fraction of its size in memory at any time
    assert done.files[0].object.row_count == 100_000
    expected = hashlib.sha256(b"".join(generated.chunks(generated.incoming("s")[0]))).hexdigest()
    assert generated.adopted == [expected]
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_an_incoming_file_changed_since_it_was_listed_is_not_read(api: Api) -> None:
    session = presigned_session(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")})
    store = UploadStore(api.s3, api.services.settings.data)
    (listed,) = store.incoming(session)
    api.s3.put_object(Bucket=api.services.settings.data, Key=listed.key, Body=b"other")

    with pytest.raises(IncomingChangedError):
        list(store.chunks(listed))
