"""The fee table as reference data on moto: runs wait until one is published; a formal entry on a
day no row covers is flagged `fee_rate_missing` and charged nothing; when the row arrives the open
dates it covers are run again and the closed ones get a correction candidate; dates whose fees did
not change are left alone; every entry names the fee-table row it was charged at.

FY2027's figures are test data with a fictitious citation: no notice for FY2027 could be found."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime

from ior_contracts.customs import CorrectionProposed, LinesGenerated

from tests.customs.builders import FEES, REFERENCE, TRANSACTIONS, invoice_line
from tests.customs.integration.conftest import World

GENERATED = "customs.lines.generated.v1"
CORRECTION = "customs.correction.proposed.v1"
FY2027_DAY = date(2026, 10, 5)  # a Monday of FY2027; it closes on 2026-10-20 (Columbus Day between)
FY2027 = {
    "effective_from": "2026-10-01", "effective_to": "2027-09-30", "fiscal_year": "2027",
    "mpf_rate": "0.003464", "mpf_minimum": "34.00", "mpf_maximum": "660.00", "hmf_rate": "0.00125",
    "citation": "TEST ONLY - fictitious notice, not a Federal Register citation", "recorded_by": "maria.chen",
}  # fmt: skip
# A formal vessel entry of FY2027: $25,000 of routers from China.
FY2027_LINES = [
    invoice_line(
        "90040001",
        10,
        "10000001",
        "10",
        "25000.00",
        arrival=FY2027_DAY.isoformat(),
        billing_date="2026-10-02",
    )
]


def entry(document: bytes) -> dict[str, object]:
    (found,) = json.loads(gzip.decompress(document))["entries"]
    assert isinstance(found, dict)
    return found


def test_runs_wait_for_a_fee_table(world: World) -> None:
    for dataset, rows in REFERENCE.items():
        world.publish_dataset(dataset, rows)
    outcome = world.publish_day()
    assert (outcome.status, outcome.waiting) == ("skipped", True)
    assert "fee-table" in outcome.detail
    # WHEN the fee table is published, the waiting date is run
    (run,) = world.publish_fees()
    assert run.status == "official"


def test_every_entry_names_the_fee_row_it_was_charged_at(world: World) -> None:
    world.publish_reference()
    world.publish_day(TRANSACTIONS)
    (event,) = world.events(GENERATED)
    assert isinstance(event, LinesGenerated)
    lineage = entry(world.read(event.lines.uri))["lineage"]
    assert lineage == {
        "fee_table": event.config_version,
        "mpf": f"FY2026 (2025-10-01 to 2026-09-30): {FEES[-1]['citation']}",
        "hmf": f"FY2026 (2025-10-01 to 2026-09-30): {FEES[-1]['citation']}",
    }


def test_a_missing_row_is_flagged_then_charged_when_the_row_arrives_on_an_open_date(world: World) -> None:
    # GIVEN a formal vessel entry on a FY2027 day, run while the table stops at FY2026
    world.clock.now = datetime(2026, 10, 6, 6, tzinfo=UTC)
    world.publish_reference()
    first = world.publish_day(FY2027_LINES)
    flagged = entry(world.read(world.events(GENERATED)[0].lines.uri))  # type: ignore[attr-defined]
    assert flagged["flags"] == ["fee_rate_missing"]
    assert flagged["totals"]["mpf"] is None  # type: ignore[index]
    assert flagged["totals"]["hmf"] is None  # type: ignore[index]
    # WHEN an admin's FY2027 row arrives while the date is open
    (rerun,) = world.publish_fees([*FEES, FY2027])
    # THEN the date is run again and its lines replace the first
    assert rerun.status == "official"
    generated = world.events(GENERATED)[-1]
    assert isinstance(generated, LinesGenerated)
    assert generated.supersedes == first.run_id
    charged = entry(world.read(generated.lines.uri))
    assert charged["flags"] == []
    assert charged["totals"]["mpf"] == "86.60"  # type: ignore[index]  # 0.3464 % of $25,000
    assert charged["totals"]["hmf"] == "31.25"  # type: ignore[index]
    assert charged["lineage"]["mpf"].startswith("FY2027 (2026-10-01 to 2027-09-30): TEST ONLY")  # type: ignore[index]


def test_a_missing_row_arriving_after_the_date_closed_proposes_a_correction(world: World) -> None:
    world.clock.now = datetime(2026, 10, 6, 6, tzinfo=UTC)
    world.publish_reference()
    official = world.publish_day(FY2027_LINES)
    # WHEN the FY2027 row arrives on 6 December, after the date closed
    world.clock.now = datetime(2026, 12, 6, 9, tzinfo=UTC)
    (outcome,) = world.publish_fees([*FEES, FY2027])
    # THEN the official lines stay and a correction is proposed with the fees it adds
    assert outcome.status == "candidate"
    assert len(world.events(GENERATED)) == 1
    (correction,) = world.events(CORRECTION)
    assert isinstance(correction, CorrectionProposed)
    assert correction.official_run_id == official.run_id
    assert (correction.changes.mpf_delta_cents, correction.changes.hmf_delta_cents) == (8660, 3125)
    assert (correction.changes.duty_delta_cents, correction.changes.value_delta_cents) == (0, 0)
    assert "fee table" in correction.reason


def test_a_date_whose_fees_did_not_change_is_not_run_again(world: World) -> None:
    world.publish_reference()
    world.publish_day(TRANSACTIONS)  # 2026-03-16, FY2026
    runs = len(world.events(GENERATED))
    # WHEN FY2027 is added to the table
    outcomes = world.publish_fees([*FEES, FY2027])
    # THEN the FY2026 date keeps its run: its MPF and HMF rows are the same
    assert outcomes == []
    assert len(world.events(GENERATED)) == runs


def test_the_same_fee_table_announced_again_runs_nothing(world: World) -> None:
    world.publish_reference()
    world.publish_day(TRANSACTIONS)
    sent = list(world.sent)
    assert world.publish_fees() == []
    assert world.sent == sent
