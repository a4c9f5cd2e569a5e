"""What an upload costs is bounded whatever is sent: a refusal lists the first problems of each file
and counts the rest, a hopeless file is given up early, a huge cell is quoted in part, and a presigned
upload is never read by the API (hashed and copied by S3 itself, announced unchecked for the ETL)."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from ior_api.adapters.uploads import UploadStore
from ior_api.domain.uploads import HOPELESS, LISTED_PER_FILE, MESSAGE_CHARS
from ior_api.ports import Hashed, Incoming
from ior_api.service_layer import uploads
from ior_contracts.manual import UploadReceived, bundle_id, upload_key

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


def test_a_hopeless_presigned_file_is_accepted_unread_and_announced_unchecked(api: Api) -> None:
    # GIVEN a presigned session holding a file in which every row breaks eight rules
    body = csv_bytes(INVOICE_HEADER, *(HOPELESS_LINE for _ in range(20_000)))
    session = presigned_session(api, {"Invoice_Lines.csv": body})

    # WHEN the upload is completed
    done = api.client.post(f"/api/uploads/presigned/{session}", json={})

    # THEN the API accepts it without counting its rows, and announces it for the ETL to check
    assert done.status_code == 202, done.text
    assert [(f["filename"], f["rows"]) for f in done.json()["files"]] == [("Invoice_Lines.csv", None)]
    ((event, _),) = api.publisher.published
    assert isinstance(event, UploadReceived)
    assert (event.upload_id, event.checked) == (bundle_id({"Invoice_Lines.csv": body}), False)
    # AND the history lists it as the ETL's to count, not as a file of no rows
    (listed,) = api.client.get("/api/uploads").json()
    assert [(f["filename"], f["rows"]) for f in listed["files"]] == [("Invoice_Lines.csv", None)]


def test_a_presigned_file_of_no_pinned_name_is_refused_unread(api: Api) -> None:
    # GIVEN a session in which a file arrived under a name no form was signed for
    session = presigned_session(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")})
    api.s3.put_object(Bucket=api.services.settings.data, Key=f"api/incoming/{session}/rates.csv", Body=b"x")

    refused = api.client.post(f"/api/uploads/presigned/{session}", json={})

    assert refused.status_code == 422
    assert [(e["file"], e["rule"]) for e in refused.json()["errors"]] == [("rates.csv", "unknown_file")]
    assert api.publisher.published == []


class ReplacedWhileHashed(UploadStore):
    """The uploader posts another file through the still-valid form right after S3 hashed the first."""

    def hashed(self, file: Incoming) -> Hashed:
        digest = super().hashed(file)
        self._s3.put_object(Bucket=self._bucket, Key=file.key, Body=csv_bytes(RATES, "EUR,03/16/2026,9.99"))
        return digest


def test_a_file_replaced_after_it_was_hashed_is_not_stored(api: Api) -> None:
    files = {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}
    session = presigned_session(api, files)
    api.services.uploads = ReplacedWhileHashed(api.s3, api.services.settings.data)

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


class Unreadable:
    """The bucket as the API's role would see it if reading an incoming file were refused: every
    other call goes through, so completing an upload works only if it reads no file."""

    def __init__(self, s3: Any) -> None:
        self._s3 = s3

    def __getattr__(self, name: str) -> Any:
        if name in {"get_object", "download_file", "download_fileobj", "select_object_content"}:
            raise AssertionError(f"completing a presigned upload called {name}")
        return getattr(self._s3, name)


def test_completing_a_large_presigned_upload_reads_none_of_it(api: Api) -> None:
    # GIVEN a 300,000-row (over 6 MB) file in a presigned session
    body = csv_bytes(RATES, *["EUR,03/16/2026,1.0874"] * 300_000)
    session = presigned_session(api, {"Exchange_Rates.csv": body})
    api.services.uploads = UploadStore(Unreadable(api.s3), api.services.settings.data)

    # WHEN the upload is completed by a store that may not read any object
    done = uploads.complete(api.services, session, None, by="otto")

    # THEN S3's own checksum names the file, which is stored byte for byte at its content address
    (stored,) = done.files
    assert stored.object.sha256 == hashlib.sha256(body).hexdigest()
    key = upload_key(bundle_id({"Exchange_Rates.csv": body}), "Exchange_Rates.csv")
    assert api.s3.get_object(Bucket=api.services.settings.data, Key=key)["Body"].read() == body
