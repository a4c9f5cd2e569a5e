"""The automated path: landed extracts → datasets published (objects, manifest, current pointer,
events), quarantined, held, re-evaluated; and the extracts the ETL refuses to read."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace
from datetime import date
from typing import Any
from unittest.mock import ANY

import pytest
from aws_lambda_powertools.utilities.data_classes import SQSRecord
from ior_contracts.dataset_members import MEMBER_ROWS
from ior_contracts.envelope import new_metadata
from ior_contracts.ingestion import ExtractLanded
from ior_contracts.vocabulary import DateWindow
from ior_etl.bootstrap import wire
from ior_etl.domain.extracts import ExtractError
from ior_etl.domain.snapshot import read_snapshot
from ior_etl.entrypoints import extracts
from ior_etl.ports import ChecksumMismatchError, instant
from ior_etl.service_layer import handlers

from tests.etl.integration.conftest import DATA, World
from tests.etl.unit.conftest import SAMPLE_REVISION
from tests.etl.unit.fakes import FakeBus
from tests.etl.unit.records import (
    billing,
    hts_line,
    material,
    packaging,
    provision,
    rate,
    supplier_item,
    weights,
)

PUBLISHED = "etl.dataset.published.v1"
QUARANTINED = "etl.rows.quarantined.v1"
HELD = "etl.dataset.held.v1"
CONFIRMED = "etl.dataset.confirmed.v1"


def products(count: int) -> list[str]:
    return [f"100001{i:02d}" for i in range(count)]


def materials(count: int = 24) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """`count` products and two packaging materials (ZEMM005), each with its weights (ZFMIOR002)."""
    goods = [material(n) for n in products(count)]
    crates = [packaging("90000001"), packaging("90000003", MAKTX="Wooden pallet 120x80")]
    crate_weights = [
        weights(n, NTGEW="0.9", BRGEW="0.9", ZZSTEEL="0", ZZALU="0", ZZMETALVAL="0", WAERS="")
        for n in ("90000001", "90000003")
    ]
    return goods + crates, [weights(n) for n in products(count)] + crate_weights


def test_landed_extracts_publish_the_datasets_they_feed(world: World) -> None:
    zemm005, zfmior002 = materials()
    # GIVEN the material master alone: its datasets wait for their weights
    world.land("ZEMM005", zemm005)
    assert world.data_of(PUBLISHED) == []
    # WHEN the weights land
    weights_landed = world.landed("ZFMIOR002", zfmior002)
    world.deliver(extracts.consumer, weights_landed)
    # THEN both datasets fed by the pair are published, each under its content-addressed version
    published = {d["dataset"]: d for d in world.data_of(PUBLISHED)}
    assert sorted(published) == ["packaging-materials", "product-master"]
    product = published["product-master"]
    version = product["version"]
    base = f"etl/published/product-master/automated/{version}/"
    assert world.keys(base) == [base + "data.csv.gz", base + "manifest.json", base + "origins.csv.gz"]
    data = world.read(product["snapshot"]["uri"])
    assert hashlib.sha256(data).hexdigest() == product["snapshot"]["sha256"]
    assert product["snapshot"]["row_count"] == len(read_snapshot(data, "product-master")) == 24
    assert product["mode"] == "automated"
    assert product["rejected_rows"] == 0
    assert {i["name"] for i in product["inputs"]} == {"ZEMM005", "ZFMIOR002"}
    assert weights_landed.extract.sha256 in {i["sha256"] for i in product["inputs"]}
    # AND the manifest says what made it
    manifest = json.loads(world.read(product["manifest_uri"]))
    assert manifest["version"] == version
    assert (manifest["rows"], manifest["sha256"], manifest["schema_version"]) == (
        24,
        product["snapshot"]["sha256"],
        "1",
    )
    assert sorted(i["sha256"] for i in manifest["inputs"]) == sorted(i["sha256"] for i in product["inputs"])
    assert manifest["code_version"] == product["code_version"]
    assert manifest["config_version"]
    # AND beside it, where each of its rows was read: the material master's line, as the manifest says
    origins = world.read(f"s3://{DATA}/{base}origins.csv.gz")
    assert manifest["origins"] == {
        "file": "origins.csv.gz",
        "sha256": hashlib.sha256(origins).hexdigest(),
        "columns": ["source", "row", "input"],
        "rows": 24,
        "members": {"rows": MEMBER_ROWS, "offsets": [0, ANY, len(origins)]},
    }
    # AND each says which gzip members hold which rows: the header's, then the rows' (24 of them)
    assert manifest["members"] == {"rows": MEMBER_ROWS, "offsets": [0, ANY, len(data)], "firsts": [ANY]}
    header_end = manifest["members"]["offsets"][1]
    assert gzip.decompress(data[:header_end]).decode().startswith("material,")
    assert len(gzip.decompress(data[header_end:]).splitlines()) == 24
    lines = gzip.decompress(origins).decode().splitlines()
    zemm005_input = [i["name"] for i in manifest["inputs"]].index("ZEMM005") + 1
    assert lines[:3] == ["source,row,input", f"ZEMM005,1,{zemm005_input}", f"ZEMM005,2,{zemm005_input}"]
    # AND the table points at it as current
    current = world.catalog.current("product-master", "automated")
    assert current is not None
    assert current.version == version
    assert current.manifest_uri == product["manifest_uri"]


def test_the_same_inputs_again_give_the_same_version_and_nothing_new(world: World) -> None:
    zemm005, zfmior002 = materials()
    world.land("ZEMM005", zemm005)
    first = world.deliver(extracts.consumer, world.landed("ZFMIOR002", zfmior002))
    before = world.data_of(PUBLISHED)
    objects = world.keys("etl/published/")
    # WHEN the message is delivered again, and the same extract lands again later
    world.redeliver(extracts.consumer, first)
    world.land("ZFMIOR002", zfmior002)
    world.land("ZEMM005", zemm005)
    # THEN nothing new is published or written: the same inputs are the same version
    assert world.data_of(PUBLISHED) == before
    assert world.keys("etl/published/") == objects
    # AND each later landing confirms the current versions, once per landing (the redelivery none)
    confirmed = world.data_of(CONFIRMED)
    versions = {d["dataset"]: d["version"] for d in before}
    assert sorted(d["dataset"] for d in confirmed) == sorted(["packaging-materials", "product-master"] * 2)
    assert all(d["version"] == versions[d["dataset"]] for d in confirmed)
    ids = [e["detail"]["metadata"]["event_id"] for e in world.events(CONFIRMED)]
    assert len(set(ids)) == 4


def test_a_rejected_row_is_quarantined_and_the_valid_rest_published(world: World) -> None:
    zemm005, zfmior002 = materials()
    zemm005[3] = zemm005[3] | {"STAWN": ""}  # one product of 24 has no HTS number: 4 %, under 5 %
    world.land("ZEMM005", zemm005)
    world.land("ZFMIOR002", zfmior002)
    # THEN the valid rest is published, saying how many rows were rejected
    product = world.data_of(PUBLISHED, "product-master")[0]
    assert (product["snapshot"]["row_count"], product["rejected_rows"]) == (23, 1)
    # AND the rejection is announced with its rule, and kept with its reason and where it came from
    (quarantined,) = world.data_of(QUARANTINED, "product-master")
    assert (quarantined["rejected_rows"], quarantined["total_rows"]) == (1, 24)
    assert quarantined["rules"] == [
        {"rule": "missing_hts", "count": 1, "example_reason": "product 10000103: has no HTS number"}
    ]
    run_id = quarantined["run_id"]
    uri = quarantined["quarantine"]["uri"]
    assert uri == f"s3://{DATA}/etl/quarantine/product-master/automated/{run_id}/rejected.jsonl.gz"
    assert hashlib.sha256(world.read(uri)).hexdigest() == quarantined["quarantine"]["sha256"]
    (failure,) = world.quarantine(uri)
    assert failure["source"] == "ZEMM005"
    assert failure["row"] == 4
    assert (failure["rule"], failure["field"], failure["re_evaluable"]) == ("missing_hts", "STAWN", False)
    assert failure["record"]["MATNR"] == "000000000010000103"
    assert failure["input"]["sha256"] in {i["sha256"] for i in product["inputs"]}
    # AND the manifest points at the quarantine file
    assert json.loads(world.read(product["manifest_uri"]))["quarantine_uri"] == uri


def test_an_extract_with_a_value_holding_a_nul_is_refused_naming_its_line_and_field(
    world: World,
) -> None:
    # GIVEN the material master, one product's description carrying a NUL after another's text
    zemm005, zfmior002 = materials()
    world.land("ZFMIOR002", zfmior002)
    zemm005[5] = zemm005[5] | {"MAKTX": "PSU 150W steel enclosure\u0000rev B"}
    landed = world.record(world.landed("ZEMM005", zemm005))
    # WHEN it is delivered, THEN the message fails, naming where, as for a line that is not JSON
    assert world.invoke(extracts.consumer, landed) == [landed["messageId"]]
    with pytest.raises(ExtractError, match="ZEMM005 line 6: MAKTX holds a NUL character"):
        extracts.consumer._record(SQSRecord(landed))
    # AND nothing is recorded or published from it: the extract stays landed, for SAP to send again
    assert world.catalog.extracts("ZEMM005") == []
    assert world.data_of(PUBLISHED) == []


def test_past_the_threshold_the_dataset_is_held_and_the_last_good_version_stays(world: World) -> None:
    world.land("ZFMIOR003", [provision("9903.88.15"), provision("9903.88.03", ZZPREFIXES="85044095")])
    good = world.data_of(PUBLISHED, "tariff-provisions")[0]["version"]
    # WHEN a provision is broken (tariff provisions hold on any reject)
    world.land(
        "ZFMIOR003", [provision("9903.88.15"), provision("9903.88.03", ZZPREFIXES="85044095", ZZRATE="x")]
    )
    # THEN nothing is published, the dataset is held naming the rule, and the good version stays current
    assert [d["version"] for d in world.data_of(PUBLISHED, "tariff-provisions")] == [good]
    (held,) = world.data_of(HELD, "tariff-provisions")
    assert (held["rule"], held["rejected_rows"], held["total_rows"]) == ("invalid_rate", 1, 2)
    assert (held["reject_rate"], held["threshold"], held["current_version"]) == ("0.5", "0", good)
    assert world.quarantine(held["quarantine_uri"])[0]["rule"] == "invalid_rate"
    (quarantined,) = world.data_of(QUARANTINED, "tariff-provisions")
    assert quarantined["run_id"] == held["run_id"]
    current = world.catalog.current("tariff-provisions", "automated")
    assert current is not None
    assert current.version == good


def test_an_empty_extract_is_held(world: World) -> None:
    world.land("ZFMIOR003", [])
    (held,) = world.data_of(HELD, "tariff-provisions")
    assert (held["rule"], held["total_rows"], held["current_version"]) == ("no_rows", 0, None)
    assert world.quarantine(held["quarantine_uri"]) == []
    assert world.data_of(QUARANTINED) == []


def test_rows_waiting_for_master_data_are_published_when_it_arrives(world: World) -> None:
    zemm005, zfmior002 = materials()
    late = zfmior002.pop(5)  # one product's weights are not in SAP yet
    world.land("ZEMM005", zemm005)
    world.land("ZFMIOR002", zfmior002)
    first = world.data_of(PUBLISHED, "product-master")[0]
    (quarantined,) = world.data_of(QUARANTINED, "product-master")
    (failure,) = world.quarantine(quarantined["quarantine"]["uri"])
    assert (failure["rule"], failure["re_evaluable"]) == ("missing_weight_record", True)
    waiting = world.catalog.pending("product-master", "automated")
    assert waiting is not None
    assert (waiting.rows, waiting.sources) == (1, ("ZFMIOR002",))
    # WHEN its weights arrive
    world.land("ZFMIOR002", [*zfmior002, late])
    # THEN the next version has the product, and nothing waits any more
    versions = world.data_of(PUBLISHED, "product-master")
    assert [v["snapshot"]["row_count"] for v in versions] == [first["snapshot"]["row_count"], 24]
    assert versions[-1]["rejected_rows"] == 0
    assert "10000105" in set(read_snapshot(world.read(versions[-1]["snapshot"]["uri"]))["material"])
    assert len(world.data_of(QUARANTINED, "product-master")) == 1
    waiting = world.catalog.pending("product-master", "automated")
    assert waiting is not None
    assert waiting.rows == 0


def test_hts_lines_missing_from_the_official_revision_wait_for_a_newer_one(world: World) -> None:
    lines = [hts_line("8517620020"), *(hts_line(f"85044095{i:02d}", ZZUNIT="No.") for i in range(20, 40))]
    revision = [row for row in SAMPLE_REVISION if not row["htsno"].startswith("7326")]
    older = revision + [
        {**revision[3], "htsno": f"8504.40.95.{i:02d}", "description": "Other"} for i in range(21, 39)
    ]
    world.land("ZFMIOR001", lines)
    world.land("USITC_HTS", body=gzip.compress(json.dumps(older).encode(), mtime=0))
    first = world.data_of(PUBLISHED, "hts-reference")[0]
    assert (first["snapshot"]["row_count"], first["rejected_rows"]) == (20, 1)
    # WHEN a revision with the missing line lands
    newer = [*older, {**revision[3], "htsno": "8504.40.95.39", "description": "Other"}]
    world.land("USITC_HTS", body=gzip.compress(json.dumps(newer).encode(), mtime=0))
    # THEN the line is published
    latest = world.data_of(PUBLISHED, "hts-reference")[-1]
    assert (latest["snapshot"]["row_count"], latest["rejected_rows"]) == (21, 0)


def test_a_checksum_mismatch_fails_the_message_and_records_nothing(world: World) -> None:
    zemm005, _ = materials()
    landed = world.landed("ZEMM005", zemm005, sha256="0" * 64)
    # THEN the Lambda reports the message failed (SQS retries it, then the DLQ keeps it)
    record = world.record(landed)
    assert world.invoke(extracts.consumer, record) == [record["messageId"]]
    # AND the handler says which object and which checksums
    with pytest.raises(
        ChecksumMismatchError, match=f"{landed.extract.uri} has SHA-256 [0-9a-f]{{64}}, its claim"
    ):
        handlers.extract_landed(
            landed,
            cause=new_metadata(ExtractLanded, occurred_at=world.tick()),
            deps=wire_deps(),
            publish=FakeBus(),
        )
    assert world.catalog.extracts("ZEMM005") == []
    assert world.events() == []


def wire_deps() -> Any:
    from ior_contracts.settings import ServiceSettings

    return wire(ServiceSettings(service="etl"))


def test_incremental_extracts_are_one_union_with_the_newest_extract_winning(world: World) -> None:
    # Billing extracts are windows of arrival dates; lines are billed weeks before they arrive.
    world.land("ZEMM004", [supplier_item()])
    world.land("ZEMM07", [rate("EUR", "2026-03-10")])
    march = DateWindow(from_date=date(2026, 3, 1), to_date=date(2026, 3, 14))
    world.land(
        "ZSDR002",
        [
            billing("90020001", "10", FKDAT="2026-02-05", ZZARRIVAL="2026-03-05"),
            billing("90020002", "10", FKDAT="2026-02-13", ZZARRIVAL="2026-03-13"),
            billing("90020003", "10", FKDAT="2026-02-14", ZZARRIVAL="2026-03-14"),
        ],
        window=march,
    )
    first = world.data_of(PUBLISHED, "transactions")[-1]
    assert first["snapshot"]["row_count"] == 3
    # WHEN the next window looks back over the 13th and 14th: a value changed, a line is gone, one is new
    later = DateWindow(from_date=date(2026, 3, 13), to_date=date(2026, 3, 20))
    world.land(
        "ZSDR002",
        [
            billing("90020002", "10", FKDAT="2026-02-13", ZZARRIVAL="2026-03-13", NETWR="100.00"),
            billing("90020004", "10", FKDAT="2026-02-18", ZZARRIVAL="2026-03-18"),
        ],
        window=later,
    )
    # THEN the dataset is the union, the newer extract deciding its dates and keys
    latest = world.data_of(PUBLISHED, "transactions")[-1]
    rows = read_snapshot(world.read(latest["snapshot"]["uri"]), "transactions")
    assert rows["document"].tolist() == ["90020001", "90020002", "90020004"]
    assert str(rows.set_index("document").loc["90020002", "value"]) == "100"
    assert latest["business_dates"] == ["2026-03-05", "2026-03-13", "2026-03-18"]
    assert sorted(i["name"] for i in latest["inputs"]) == ["ZEMM004", "ZSDR002", "ZSDR002", "exchange-rates"]
    # AND an extract whose window a newer one covers is no longer read
    world.land(
        "ZSDR002",
        [billing("90020001", "10", FKDAT="2026-02-05", ZZARRIVAL="2026-03-05")],
        window=DateWindow(from_date=date(2026, 3, 1), to_date=date(2026, 3, 31)),
    )
    newest = world.data_of(PUBLISHED, "transactions")[-1]
    assert [i["name"] for i in newest["inputs"]].count("ZSDR002") == 1
    assert newest["snapshot"]["row_count"] == 1


def test_transactions_flag_lines_priced_below_the_supplier_cost(world: World) -> None:
    # The supplier charged 190 USD a unit; the line sells at 170 EUR, 184.45 USD at the current rate.
    world.land("ZEMM004", [supplier_item(WRBTR="19000.00", WAERS="USD")])
    world.land("ZSDR002", [billing("90020001", "10")])
    world.land("ZEMM07", [rate("EUR", "2026-03-10")])
    published = world.data_of(PUBLISHED, "transactions")[-1]
    assert published["flags"] == [{"flag": "related_party_review", "count": 1}]
    assert "exchange-rates" in {i["name"] for i in published["inputs"]}


def test_a_stale_build_cannot_replace_a_newer_current_version(world: World) -> None:
    world.land("ZFMIOR003", [provision("9903.88.15")])
    current = world.catalog.current("tariff-provisions", "automated")
    assert current is not None
    # WHEN a build of older inputs, finishing late, tries to make its version current
    older = replace(current, version="0" * 24, as_of=instant(world.clock.replace(year=2025)))
    # THEN the conditional write refuses it, and says so
    assert world.catalog.make_current(older) == "stale"
    assert world.catalog.make_current(current) == "already"
    assert world.catalog.current("tariff-provisions", "automated") == current


def test_a_late_delivery_of_an_older_landing_changes_nothing(world: World) -> None:
    older = world.landed("ZFMIOR003", [provision("9903.88.15", ZZRATE="25.000")])
    landed_before = world.tick()
    world.land("ZFMIOR003", [provision("9903.88.15")])
    (published,) = world.data_of(PUBLISHED, "tariff-provisions")
    # WHEN the older landing's event arrives only now (a retry, a replay)
    world.deliver(extracts.consumer, older, at=landed_before)
    # THEN the newer extract stays the latest: nothing is built or announced
    assert world.data_of(PUBLISHED, "tariff-provisions") == [published]
    current = world.catalog.current("tariff-provisions", "automated")
    assert current is not None
    assert current.version == published["version"]
