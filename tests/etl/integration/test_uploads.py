"""The manual path: an upload of legacy CSVs → the same datasets in mode `manual`, through the same
validation; a file not in its pinned format is refused whole, with its row and column. A presigned
upload, which the API did not read, is checked here in full: a file with any problem is held."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import date
from pathlib import Path

from ior_etl.domain.snapshot import read_snapshot
from ior_etl.entrypoints import uploads

from tests.etl.integration.conftest import World
from tests.support.stack import official_hts

PUBLISHED = "etl.dataset.published.v1"
QUARANTINED = "etl.rows.quarantined.v1"
HELD = "etl.dataset.held.v1"
DAY = date(2026, 3, 31)
REFERENCE = (
    "Product_List.csv",
    "HTS_Code.csv",
    "HTS Tariff.csv",
    "Packaging_Material.csv",
    "Exchange_Rates.csv",
)


def legacy(sample: Path, *names: str) -> dict[str, bytes]:
    """The analysts' reference files, and the day's invoice lines."""
    folder = {name: "reference" for name in REFERENCE} | {"Invoice_Lines.csv": DAY.isoformat()}
    return {name: (sample / "legacy" / folder[name] / name).read_bytes() for name in names}


def test_an_upload_builds_every_dataset_in_mode_manual(world: World, sample: Path) -> None:
    world.upload(legacy(sample, *REFERENCE, "Invoice_Lines.csv"), business_date=DAY)
    events = {e["detail"]["data"]["dataset"]: e for e in world.events(PUBLISHED)}
    published = {name: e["detail"]["data"] for name, e in events.items()}
    assert {d["mode"] for d in published.values()} == {"manual"}
    rows = {name: d["snapshot"]["row_count"] for name, d in published.items()}
    assert rows == {
        "product-master": 73,
        "packaging-materials": 67,
        "hts-reference": 21,
        "tariff-provisions": 18,
        "exchange-rates": 498,  # quoted from 45 days before the sample's first day, 2025-09-29
        "transactions": 305,
    }
    # THEN each version names the uploaded file it was built from; transactions name their day
    assert [i["name"] for i in published["product-master"]["inputs"]] == ["product_list"]
    assert published["product-master"]["inputs"][0]["uri"].endswith("/Product_List.csv")
    assert published["transactions"]["business_dates"] == [DAY.isoformat()]
    assert events["transactions"]["detail"]["metadata"]["business_date"] == DAY.isoformat()
    assert all(d["rejected_rows"] == 0 for d in published.values())
    assert world.data_of(QUARANTINED) == []
    assert world.data_of(HELD) == []
    current = world.catalog.current("transactions", "manual")
    assert current is not None
    assert current.version == published["transactions"]["version"]


def test_the_same_upload_again_publishes_nothing(world: World, sample: Path) -> None:
    files = legacy(sample, "Exchange_Rates.csv")
    world.upload(files)
    world.upload(files)
    assert len(world.data_of(PUBLISHED)) == 1


def test_hts_code_is_cross_checked_against_the_latest_official_revision(world: World, sample: Path) -> None:
    hts = official_hts().read_bytes()
    official = world.landed("USITC_HTS", body=hts)
    world.land("USITC_HTS", body=hts)
    world.upload(legacy(sample, "HTS_Code.csv"))
    (published,) = world.data_of(PUBLISHED, "hts-reference")
    assert sorted(i["name"] for i in published["inputs"]) == ["USITC_HTS", "hts_code"]
    assert official.extract.sha256 in {i["sha256"] for i in published["inputs"]}
    # THEN the analysts' stale `Free` is the rate applied, flagged as differing from the official 2.7 %
    assert published["flags"] == [{"flag": "rate_differs_from_official", "count": 1}]
    rows = read_snapshot(world.read(published["snapshot"]["uri"]), "hts-reference").set_index("hts10")
    assert (str(rows.loc["8536698000", "general_rate"]), str(rows.loc["8536698000", "official_rate"])) == (
        "0",
        "0.027",
    )
    # AND its row is cited by the file and the row a spreadsheet shows it on (the header is row 1),
    # which the manifest's second input (the upload) holds
    manifest = json.loads(world.read(published["manifest_uri"]))
    origins = world.read(published["manifest_uri"].replace("manifest.json", manifest["origins"]["file"]))
    assert hashlib.sha256(origins).hexdigest() == manifest["origins"]["sha256"]
    cited = gzip.decompress(origins).decode().splitlines()[1:]
    at = list(rows.index).index("8536698000")
    file_lines = legacy(sample, "HTS_Code.csv")["HTS_Code.csv"].decode("utf-8-sig").splitlines()
    spreadsheet_row = next(n for n, line in enumerate(file_lines, start=1) if line.startswith("8536.69.80"))
    assert cited[at] == f"HTS_Code.csv,{spreadsheet_row},2"


def test_a_file_not_in_its_pinned_format_is_refused_whole_with_its_row_and_column(
    world: World, sample: Path
) -> None:
    files = legacy(sample, "Product_List.csv", "Exchange_Rates.csv")
    lines = files["Product_List.csv"].split(b"\r\n")
    lines[4] = lines[4].replace(b",", b",\xff", 1)  # row 5: a byte that is not UTF-8 in the description
    files["Product_List.csv"] = b"\r\n".join(lines)
    world.upload(files)
    # THEN the file is quarantined whole, naming the row and the column
    (held,) = world.data_of(HELD, "product-master")
    assert (held["mode"], held["rule"], held["reject_rate"], held["current_version"]) == (
        "manual",
        "malformed_file",
        "1",
        None,
    )
    assert held["rejected_rows"] == held["total_rows"] == 73
    (record,) = world.quarantine(held["quarantine_uri"])
    assert (record["source"], record["row"], record["field"], record["rule"]) == (
        "Product_List.csv",
        5,
        "Description",
        "malformed_file",
    )
    assert record["reason"] == "Product_List.csv, row 5, column Description: byte 0xff is not UTF-8"
    assert record["input"]["uri"].endswith("/Product_List.csv")
    (quarantined,) = world.data_of(QUARANTINED, "product-master")
    assert quarantined["rules"] == [
        {"rule": "malformed_file", "count": 73, "example_reason": record["reason"]}
    ]
    assert quarantined["quarantine"]["uri"] == held["quarantine_uri"]
    # AND nothing of it is published, while the other file of the upload is
    assert [d["dataset"] for d in world.data_of(PUBLISHED)] == ["exchange-rates"]
    assert world.catalog.current("product-master", "manual") is None


def test_a_header_only_file_is_held_with_the_upload_checks_rule_and_message(
    world: World, sample: Path
) -> None:
    # GIVEN the day's invoice lines with their header and no row
    files = legacy(sample, "Invoice_Lines.csv")
    files["Invoice_Lines.csv"] = files["Invoice_Lines.csv"].split(b"\r\n", 1)[0] + b"\r\n"
    world.upload(files, business_date=DAY)
    # THEN the dataset is held under the rule and with the words the upload check uses
    (held,) = world.data_of(HELD, "transactions")
    assert (held["mode"], held["rule"], held["current_version"]) == ("manual", "no_rows", None)
    (record,) = world.quarantine(held["quarantine_uri"])
    assert (record["row"], record["rule"], record["reason"]) == (
        2,
        "no_rows",
        "Invoice_Lines.csv, row 2, column Billing Doc: the file has its header but no data rows",
    )
    assert world.data_of(PUBLISHED) == []


def test_a_bad_row_is_quarantined_with_its_file_row_and_column(world: World, sample: Path) -> None:
    files = legacy(sample, "Exchange_Rates.csv")
    lines = files["Exchange_Rates.csv"].split(b"\r\n")
    currency, _, rate = lines[6].split(b",")
    lines[6] = b",".join((currency, b"2026-03-31", rate))  # row 7: an ISO date where MM/DD/YYYY is pinned
    world.upload({"Exchange_Rates.csv": b"\r\n".join(lines)})
    (published,) = world.data_of(PUBLISHED, "exchange-rates")
    (quarantined,) = world.data_of(QUARANTINED, "exchange-rates")
    print([(r["row"], r["rule"], r["reason"]) for r in world.quarantine(quarantined["quarantine"]["uri"])])
    assert (published["snapshot"]["row_count"], published["rejected_rows"]) == (497, 1)
    (quarantined,) = world.data_of(QUARANTINED, "exchange-rates")
    (record,) = world.quarantine(quarantined["quarantine"]["uri"])
    assert (record["row"], record["field"], record["rule"]) == (7, "Date", "invalid_date")
    assert record["reason"].startswith("Exchange_Rates.csv row 7, column Date: '2026-03-31' is not a date")
    assert record["record"]["Currency"] == currency.decode()


def test_a_cell_holding_a_nul_is_quarantined_with_its_file_row_and_column(world: World, sample: Path) -> None:
    files = legacy(sample, "Exchange_Rates.csv")
    lines = files["Exchange_Rates.csv"].split(b"\r\n")
    currency, day, rate = lines[6].split(b",")
    lines[6] = b",".join((currency, day, rate + b"\x00"))  # row 7's rate ends in a NUL
    world.upload({"Exchange_Rates.csv": b"\r\n".join(lines)})
    # THEN only its row is rejected: the other rows of the same rate are not taken for it
    (published,) = world.data_of(PUBLISHED, "exchange-rates")
    assert (published["snapshot"]["row_count"], published["rejected_rows"]) == (497, 1)
    (quarantined,) = world.data_of(QUARANTINED, "exchange-rates")
    (record,) = world.quarantine(quarantined["quarantine"]["uri"])
    assert (record["row"], record["field"], record["rule"]) == (7, "USD per Unit", "text_holds_nul")
    assert record["reason"] == (
        "Exchange_Rates.csv row 7, column USD per Unit: "
        "holds a NUL character (U+0000), which no published text may carry"
    )
    assert record["record"]["USD per Unit"] == rate.decode() + "\x00"


def test_an_uploaded_file_with_another_checksum_fails_the_message(world: World, sample: Path) -> None:
    upload = world.uploaded(legacy(sample, "Exchange_Rates.csv", "HTS_Code.csv"))
    tampered = upload.files[1].model_copy(
        update={"object": upload.files[1].object.model_copy(update={"sha256": "f" * 64})}
    )
    upload = upload.model_copy(update={"files": [upload.files[0], tampered]})
    record = world.record(upload)
    assert world.invoke(uploads.consumer, record) == [record["messageId"]]
    # THEN nothing of the upload is built: every file is verified first
    assert world.events() == []


def bad_date_rates(sample: Path) -> dict[str, bytes]:
    """The exchange rates with row 7's date in ISO form where MM/DD/YYYY is pinned."""
    lines = legacy(sample, "Exchange_Rates.csv")["Exchange_Rates.csv"].split(b"\r\n")
    currency, _, rate = lines[6].split(b",")
    lines[6] = b",".join((currency, b"2026-03-31", rate))
    return {"Exchange_Rates.csv": b"\r\n".join(lines)}


def test_an_unchecked_upload_with_one_bad_cell_is_held_whole_naming_the_cell_and_the_upload(
    world: World, sample: Path
) -> None:
    # GIVEN a presigned upload (announced unchecked) whose rates file has one bad date among 498 rows
    upload = world.uploaded(bad_date_rates(sample), checked=False)

    # WHEN the ETL receives it
    world.deliver(uploads.consumer, upload)

    # THEN nothing of the file is published: it is held, as the direct upload's check would refuse it
    assert world.data_of(PUBLISHED) == []
    (held,) = world.data_of(HELD, "exchange-rates")
    assert (held["rule"], held["rejected_rows"], held["total_rows"]) == ("invalid_date", 1, 498)
    # AND the quarantine names the row, column and rule, as the upload check words it
    (record,) = world.quarantine(held["quarantine_uri"])
    assert (record["row"], record["field"], record["rule"]) == (7, "Date", "invalid_date")
    assert record["reason"].startswith("'2026-03-31' is not a date")
    # AND both events name the upload, so its outcome can be shown beside it
    (quarantined,) = world.data_of(QUARANTINED, "exchange-rates")
    assert held["upload_id"] == quarantined["upload_id"] == upload.upload_id


def test_the_same_bad_cell_in_a_checked_upload_only_quarantines_its_row(world: World, sample: Path) -> None:
    # GIVEN the same file announced as checked (the API's synchronous path has its own check)
    upload = world.uploaded(bad_date_rates(sample))

    world.deliver(uploads.consumer, upload)

    # THEN it goes through validation as before: the row is quarantined, the rest published
    (published,) = world.data_of(PUBLISHED, "exchange-rates")
    assert (published["rejected_rows"], published["upload_id"]) == (1, upload.upload_id)
    assert world.data_of(HELD) == []


def test_a_clean_unchecked_upload_is_built_like_a_checked_one(world: World, sample: Path) -> None:
    files = legacy(sample, "Exchange_Rates.csv", "Invoice_Lines.csv")
    world.upload(files, business_date=DAY, checked=False)
    published = {e["dataset"]: e for e in world.data_of(PUBLISHED)}
    assert {name: e["snapshot"]["row_count"] for name, e in published.items()} == {
        "exchange-rates": 498,
        "transactions": 305,
    }
    assert world.data_of(HELD) == world.data_of(QUARANTINED) == []
