"""The ETL on moto for the fee notices and the official revisions: the fee table published from the
landed notices with its coverage, confirmed when they land again, a refused notice named on the
event; hts-reference naming the revision ingestion landed, and a newer revision's changes to the
company's numbers announced with both revisions named and the whole comparison stored."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ior_contracts.ingestion import ExtractLanded, FeeNoticesLanded
from ior_etl.domain.snapshot import read_snapshot
from ior_etl.entrypoints import extracts
from ior_ingestion.domain.fee_notices import shipped_notices

from tests.etl.integration.conftest import DATA, World, jsonl_gz
from tests.etl.unit.records import hts_line

PUBLISHED, CONFIRMED = "etl.fee_table.published.v1", "etl.fee_table.confirmed.v1"
CHANGED = "etl.hts_revision.changed.v1"
REVISIONS = Path(__file__).resolve().parents[2] / "support" / "hts_revisions"
SHIPPED = [n.record() for n in shipped_notices()]
# A fiscal year no notice could be found for here: test figures with a fictitious citation only.
FY2027 = {
    "fiscal_year": 2027, "effective_from": "2026-10-01", "effective_to": "2027-09-30", "mpf_rate": "0.003464",
    "mpf_minimum": "34.00", "mpf_maximum": "660.00", "hmf_rate": "0.00125",
    "citation": "TEST ONLY - fictitious notice, not a Federal Register citation", "recorded_by": "maria.chen",
    "recorded_at": "2026-12-06T09:00:00.000000Z", "event_id": "notice-fy2027",
}  # fmt: skip
FY2028 = {**FY2027, "fiscal_year": 2028, "effective_from": "2027-10-01", "effective_to": "2028-09-30",
          "event_id": "notice-fy2028"}  # fmt: skip


def land_notices(world: World, records: list[dict[str, Any]], at: datetime | None = None) -> None:
    body = jsonl_gz(records)
    digest = hashlib.sha256(body).hexdigest()
    claim = world.put(f"ingestion/published/raw/CBP_FEES/{digest}.jsonl.gz", body)
    landed = FeeNoticesLanded(
        run_id=f"ing-CBP_FEES-{digest[:12]}",
        extract=claim.model_copy(update={"row_count": len(records), "schema_version": "CBP_FEES/1"}),
        audit_uri="s3://ior-local-audit/ingestion/runs/CBP_FEES/run.json",
        shipped=3,
        recorded=len(records) - 3,
        trigger="schedule",
    )
    world.deliver(extracts.consumer, landed, at)


def test_the_landed_notices_publish_the_fee_table_with_how_far_it_covers(world: World) -> None:
    land_notices(world, SHIPPED, datetime(2026, 3, 16, 5, tzinfo=UTC))
    [published] = world.data_of(PUBLISHED)
    assert published["coverage"] == {
        "as_of": "2026-03-16",
        "covered_until": "2026-09-30",
        "days_ahead": 198,
        "threshold_days": 45,
        "short": False,
    }
    assert published["rejected"] == []
    assert [i["name"] for i in published["inputs"]] == ["CBP_FEES"]
    rows = read_snapshot(world.read(published["snapshot"]["uri"]), "fee-table")
    assert rows["fiscal_year"].tolist() == [2024, 2025, 2026]
    assert world.events("etl.dataset.published.v1") == []  # the datasets' event names only the six


def test_notices_landing_again_confirm_the_table_and_measure_coverage_that_day(world: World) -> None:
    land_notices(world, SHIPPED, datetime(2026, 3, 16, 5, tzinfo=UTC))
    land_notices(world, SHIPPED, datetime(2026, 8, 20, 4, 30, tzinfo=UTC))
    [published] = world.data_of(PUBLISHED)
    [confirmed] = world.data_of(CONFIRMED)
    assert confirmed["version"] == published["version"]
    assert confirmed["coverage"] == {
        "as_of": "2026-08-20",
        "covered_until": "2026-09-30",
        "days_ahead": 41,
        "threshold_days": 45,
        "short": True,
    }


def test_a_notice_that_leaves_a_gap_is_named_and_the_rows_stay_until_the_year_is_recorded(
    world: World,
) -> None:
    land_notices(world, SHIPPED, datetime(2026, 12, 6, 9, tzinfo=UTC))
    first = world.data_of(PUBLISHED)[0]
    assert first["coverage"]["short"] is True  # FY2027 has not been recorded
    # WHEN an admin records FY2028 before FY2027
    land_notices(world, [*SHIPPED, FY2028], datetime(2026, 12, 6, 10, tzinfo=UTC))
    # THEN the version built from these notices names the refusal, and its rows are the same
    refusing = world.data_of(PUBLISHED)[-1]
    [refused] = refusing["rejected"]
    assert (refused["fiscal_year"], refused["effective_from"], refused["rule"]) == (
        2028,
        "2027-10-01",
        "leaves_a_gap",
    )
    assert "no row covers 2026-10-01 to 2027-09-30" in refused["reason"]
    assert refused["notice_event_id"] == "notice-fy2028"  # which admin's notice it was
    assert refusing["quarantine"]["row_count"] == 1
    assert refusing["snapshot"]["sha256"] == first["snapshot"]["sha256"]
    # WHEN FY2027 is recorded too
    land_notices(world, [*SHIPPED, FY2028, FY2027], datetime(2026, 12, 6, 11, tzinfo=UTC))
    latest = world.data_of(PUBLISHED)[-1]
    assert (latest["rejected"], latest["coverage"]["covered_until"]) == ([], "2028-09-30")
    rows = read_snapshot(world.read(latest["snapshot"]["uri"]), "fee-table")
    assert rows["fiscal_year"].tolist() == [2024, 2025, 2026, 2027, 2028]


def revision_landed(world: World, name: str, label: str) -> ExtractLanded:
    body = gzip.compress((REVISIONS / f"{name}.json").read_bytes(), mtime=0)
    landed = world.landed("USITC_HTS", body=body)
    return landed.model_copy(update={"revision": label, "release": label.replace(" Rev. ", "HTSRev")})


def test_hts_reference_names_the_revision_and_a_newer_one_announces_the_companys_changes(
    world: World,
) -> None:
    codes = ["8517620020", "8517620090", "8536698000"]
    world.land("ZFMIOR001", [hts_line(c, ZZRATE="2.7%" if c == "8536698000" else "Free") for c in codes])
    world.deliver(extracts.consumer, revision_landed(world, "2026_rev_10_cut", "2026 Rev. 10"))
    published = world.data_of("etl.dataset.published.v1", "hts-reference")[-1]
    rows = read_snapshot(world.read(published["snapshot"]["uri"]), "hts-reference")
    assert set(rows["official_revision"]) == {"2026 Rev. 10"}
    assert world.events(CHANGED) == []  # the first revision has nothing to be compared with

    # WHEN the edited revision lands as the next one
    world.deliver(extracts.consumer, revision_landed(world, "2026_rev_10_edited", "2026 Rev. 11"))

    # THEN the company's removed and re-rated numbers are announced with both revisions named
    [changed] = world.data_of(CHANGED)
    assert (changed["previous_revision"], changed["revision"], changed["company_codes"]) == (
        "2026 Rev. 10",
        "2026 Rev. 11",
        3,
    )
    assert [(c["hts10"], c["changes"], c["before"], c["after"]) for c in changed["changed"]] == [
        ("8517620090", ["removed"], {"unit": "No.", "general": "Free"}, None),
        (
            "8536698000",
            ["rate_changed"],
            {"unit": "No.", "general": "2.7%"},
            {"unit": "No.", "general": "3.1%"},
        ),
    ]
    assert changed["counts"] == {"removed": 1, "added": 1, "unit_changed": 1, "rate_changed": 1}
    # AND the whole comparison is stored under the ETL's published prefix
    report = json.loads(world.read(changed["report"]["uri"]))
    assert changed["report"]["uri"].startswith(f"s3://{DATA}/etl/published/hts-revisions/")
    assert [line["hts10"] for line in report["lines"]] == [
        "8517620030",
        "8517620090",
        "8536698000",
        "8544429090",
    ]
