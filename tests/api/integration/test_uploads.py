"""`POST /api/uploads`: the manual fallback's synchronous format check, storage and announcement."""

from __future__ import annotations

import hashlib
from typing import Any

from ior_contracts.manual import UploadReceived, bundle_id

from tests.api.conftest import Api

INVOICE_HEADER = (
    "Billing Doc,Item,Billing Type,Billing Date,Cancelled,Material,Description,Quantity,Unit,"
    "Net Value,Currency,Shipment,Port,Mode,Arrival Date"
)
GOOD_LINE = (
    '90000001,10,F2,03/13/2026,,10000004,"PSU 150W, steel",4,EA,"1,234.50",USD,SH-1,2704,40,03/16/2026'
)
RATES = "Currency,Date,USD per Unit"


def csv_bytes(*lines: str, bom: bool = True, line_end: str = "\r\n") -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + (line_end.join(lines) + line_end).encode()


def post(api: Api, files: dict[str, bytes], **form: str) -> Any:
    api.use(*api.session("otto", "operator")[:2])
    return api.client.post(
        "/api/uploads", files=[("files", (name, body, "text/csv")) for name, body in files.items()], data=form
    )


def test_a_clean_bundle_is_stored_unchanged_and_announced(api: Api) -> None:
    files = {
        "Invoice_Lines.csv": csv_bytes(INVOICE_HEADER, GOOD_LINE),
        "Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874"),
    }
    response = post(api, files, business_date="2026-03-16")
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["upload_id"] == bundle_id(files)
    assert {f["filename"]: f["rows"] for f in body["files"]} == {
        "Exchange_Rates.csv": 1,
        "Invoice_Lines.csv": 1,
    }
    ((event, metadata),) = api.publisher.published
    assert isinstance(event, UploadReceived)
    assert event.uploaded_by == "otto"
    assert str(event.business_date) == "2026-03-16"
    assert metadata.event_id == body["event_id"]
    for stored in event.files:
        key = stored.object.uri.removeprefix(f"s3://{api.services.settings.data}/")
        assert key.startswith(f"api/published/uploads/{body['upload_id']}/")
        data = api.s3.get_object(Bucket=api.services.settings.data, Key=key)["Body"].read()
        assert data == files[stored.filename]
        assert hashlib.sha256(data).hexdigest() == stored.object.sha256


def test_the_same_bundle_twice_is_one_upload(api: Api) -> None:
    files = {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}
    first, second = post(api, files).json(), post(api, files).json()
    assert first["upload_id"] == second["upload_id"]
    assert first["event_id"] == second["event_id"]


def test_a_wrong_header_names_the_column_and_stores_nothing(api: Api) -> None:
    header = INVOICE_HEADER.replace("Net Value", "Net value")
    files = {"Invoice_Lines.csv": csv_bytes(header, GOOD_LINE)}
    response = post(api, files)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["file"] == "Invoice_Lines.csv"
    assert error["row"] == 1
    assert error["column"] == "Net Value"
    assert "'Net value' where 'Net Value' is expected" in error["message"]
    assert api.publisher.published == []
    prefix = f"api/published/uploads/{bundle_id(files)}/"
    listing = api.s3.list_objects_v2(Bucket=api.services.settings.data, Prefix=prefix)
    assert listing.get("KeyCount", 0) == 0


def test_bad_rows_name_each_row_column_and_rule(api: Api) -> None:
    bad_date = GOOD_LINE.replace("03/16/2026", "2026-03-16")
    bad_quantity_and_unit = GOOD_LINE.replace(",4,EA,", ",four,PC,")
    short = "90000003,10,F2"
    response = post(
        api,
        {"Invoice_Lines.csv": csv_bytes(INVOICE_HEADER, GOOD_LINE, bad_date, bad_quantity_and_unit, short)},
    )
    assert response.status_code == 422
    found = [(e["row"], e["column"], e["rule"]) for e in response.json()["errors"]]
    assert found == [
        (3, "Arrival Date", "invalid_arrival_date"),
        (4, "Quantity", "invalid_quantity"),
        (4, "Unit", "unknown_unit"),
        (5, "Billing Date", "wrong_field_count"),
    ]
    assert all(
        e["message"].startswith(f"Invoice_Lines.csv row {e['row']}, column ")
        for e in response.json()["errors"]
    )
    assert api.publisher.published == []


def test_a_cell_holding_a_nul_is_named_and_nothing_is_stored(api: Api) -> None:
    held = GOOD_LINE.replace('steel"', 'steel\x00"')
    response = post(api, {"Invoice_Lines.csv": csv_bytes(INVOICE_HEADER, GOOD_LINE, held)})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["row"], error["column"], error["rule"]) == (3, "Description", "text_holds_nul")
    assert error["message"].endswith("holds a NUL character (U+0000), which no published text may carry")
    assert api.publisher.published == []


def test_file_level_breaks_are_named(api: Api) -> None:
    no_bom = csv_bytes(RATES, "EUR,03/16/2026,1.0874", bom=False)
    lf_only = csv_bytes(RATES, "EUR,03/16/2026,1.0874", line_end="\n")
    for body, words in ((no_bom, "byte-order mark"), (lf_only, "CRLF")):
        response = post(api, {"Exchange_Rates.csv": body})
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["rule"] == "unreadable_file"
        assert words in error["message"]


def test_unknown_file_names_are_refused(api: Api) -> None:
    response = post(api, {"invoices.xlsx": b"PK\x03\x04"})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["rule"] == "unknown_file"
    assert "Invoice_Lines.csv" in error["message"]


def test_over_six_megabytes_goes_the_presigned_way(api: Api) -> None:
    big = csv_bytes(RATES, *["EUR,03/16/2026,1.0874"] * 300_000)
    assert len(big) > 6 * 1024 * 1024
    response = post(api, {"Exchange_Rates.csv": big})
    assert response.status_code == 413
    assert "presigned" in response.json()["detail"]


def test_a_presigned_upload_is_checked_and_announced_like_a_direct_one(api: Api) -> None:
    api.use(*api.session("otto", "operator")[:2])
    refused = api.client.post("/api/uploads/presigned", json={"files": ["rates.csv"]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "files", 0]
    response = api.client.post("/api/uploads/presigned", json={"files": ["Exchange_Rates.csv"]})
    assert response.status_code == 201, response.text
    grant = response.json()
    (target,) = grant["targets"]
    assert target["fields"]["key"] == f"api/incoming/{grant['session']}/Exchange_Rates.csv"
    # Its policy is signed with SigV4: S3 refuses SigV2 for buckets made since 2020
    assert target["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    # The browser posts the file to S3 itself; here the test puts it where the form would.
    body = csv_bytes(RATES, "EUR,03/16/2026,1.0874")
    api.s3.put_object(Bucket=api.services.settings.data, Key=target["fields"]["key"], Body=body)
    done = api.client.post(f"/api/uploads/presigned/{grant['session']}", json={})
    assert done.status_code == 202, done.text
    assert done.json()["upload_id"] == bundle_id({"Exchange_Rates.csv": body})
    missing = api.client.post(f"/api/uploads/presigned/{'0' * 32}", json={})
    assert missing.status_code == 404
