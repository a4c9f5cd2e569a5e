"""A date closes 10 business days after it: later changes to any of its inputs — its transactions or
any reference dataset — propose a correction (with an alert) instead of replacing its official
lines, once per difference; open dates are simply run again."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime

import pytest
from ior_contracts.customs import CorrectionProposed, LinesGenerated
from ior_contracts.customs_report import CustomsRunReport

from tests.customs.builders import (
    DAY,
    HTS,
    PACKAGING,
    PRODUCTS,
    PROVISIONS,
    RATES,
    REFERENCE,
    TRANSACTIONS,
    invoice_line,
)
from tests.customs.integration.conftest import AUDIT, World

GENERATED = "customs.lines.generated.v1"
CORRECTION = "customs.correction.proposed.v1"
AFTER_CLOSING = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)  # 2026-03-16 closed on 2026-03-30


def test_a_change_to_a_closed_date_proposes_a_correction_and_keeps_the_official_lines(world: World) -> None:
    # GIVEN the date's official run, made while it was open
    world.publish_reference()
    official = world.publish_day()
    # WHEN, after it closed, a late invoice line arrives for it
    world.clock.now = AFTER_CLOSING
    late = invoice_line("90030004", 10, "10000001", "2", "5000.00")
    outcome = world.publish_day([*TRANSACTIONS, late])
    # THEN the new run is a candidate: a correction is proposed, no new official lines
    assert outcome.status == "candidate"
    assert len(world.events(GENERATED)) == 1
    (correction,) = world.events(CORRECTION)
    assert isinstance(correction, CorrectionProposed)
    assert (correction.official_run_id, correction.candidate_run_id) == (official.run_id, outcome.run_id)
    assert correction.closed_on == date(2026, 3, 30)
    changes = correction.changes
    assert (changes.lines_added, changes.lines_removed, changes.lines_changed) == (0, 0, 1)
    assert changes.entries_affected == 1
    assert changes.value_delta_cents == 500_000
    assert changes.duty_delta_cents == 87_500  # 7.5 % (301) + 10 % (122) of $5,000
    assert changes.mpf_delta_cents == 1732
    assert changes.hmf_delta_cents == 625
    assert "transactions" in correction.reason
    assert "closed on 2026-03-30" in correction.reason
    # AND the candidate's lines are published; the date's official run is unchanged
    candidate = json.loads(gzip.decompress(world.read(correction.lines.uri)))
    assert candidate["entries"][0]["lines"][0]["quantity"] == {"No.": 12}
    assert world.ledger.current("automated", DAY).run_id == official.run_id  # type: ignore[union-attr]
    record = world.ledger.run("automated", DAY, outcome.run_id.rsplit("-", 1)[1])  # type: ignore[union-attr]
    assert record is not None
    assert record["status"] == "candidate"
    assert record["official_run_id"] == official.run_id
    # AND the candidate's audit report says what it would change, in its contract's terms
    audit = f"s3://{AUDIT}/customs/runs/{DAY}/automated/{outcome.run_id}/report.json"
    report = CustomsRunReport.model_validate_json(gzip.decompress(world.read(audit)))
    assert (report.status, report.official_run_id, report.changes) == ("candidate", official.run_id, changes)


def test_a_closed_date_whose_reported_lines_would_not_change_proposes_nothing(world: World) -> None:
    world.publish_reference()
    world.publish_day()
    world.clock.now = AFTER_CLOSING
    # WHEN the code changes and the day is asked for again
    world.deps.code_version = "code-2"
    (outcome,) = world.deliver(*world.last_published)
    # THEN the candidate is kept and reported, but nothing is proposed
    assert outcome.status == "unchanged"
    assert world.events(CORRECTION) == []
    assert len(world.events(GENERATED)) == 1


def test_a_closed_date_without_official_lines_gets_its_first_run(world: World) -> None:
    world.clock.now = AFTER_CLOSING
    world.publish_reference()
    assert world.publish_day().status == "official"
    assert len(world.events(GENERATED)) == 1


def test_a_new_reference_version_reruns_the_open_dates_and_proposes_for_the_closed_ones(world: World) -> None:
    # GIVEN lines for a closed date and for an open one, each with its official run
    world.publish_reference()
    later = [invoice_line("90040001", 10, "10000001", "3", "7500.00", arrival="2026-03-27", shipment="SH2")]
    world.publish_dataset("transactions", [*TRANSACTIONS, *later])
    world.clock.now = AFTER_CLOSING  # 2026-03-16 is closed, 2026-03-27 closes on 2026-04-10
    before = {e.business_date: e.run_id for e in world.events(GENERATED)}  # type: ignore[attr-defined]
    # WHEN the HTS reference gets a new version: the router's general rate goes from Free to 1 %
    outcomes = world.publish_dataset("hts-reference", [{**HTS[0], "general_rate": "0.01"}, HTS[1]])
    # THEN the open date is run again and its new run replaces the last
    assert [(o.business_date, o.status) for o in outcomes] == [
        (DAY, "candidate"),
        (date(2026, 3, 27), "official"),
    ]
    generated = world.events(GENERATED)[2:]
    assert [e.business_date for e in generated] == [date(2026, 3, 27)]  # type: ignore[attr-defined]
    (rerun,) = generated
    assert isinstance(rerun, LinesGenerated)
    assert rerun.supersedes == before[date(2026, 3, 27)]
    # AND the closed date keeps its lines: a correction is proposed, naming the dataset that changed
    (correction,) = world.events(CORRECTION)
    assert isinstance(correction, CorrectionProposed)
    assert (correction.business_date, correction.official_run_id) == (DAY, before[DAY])
    assert correction.reason.startswith("hts-reference ")
    assert (
        correction.changes.duty_delta_cents == 25_040
    )  # 1 % of the routers' $25,040 (with the carton's $40)
    assert world.ledger.current("automated", DAY).run_id == before[DAY]  # type: ignore[union-attr]


# For each reference dataset, a new version that changes a figure the closed date reports.
CHANGES = {
    "exchange-rates": [*RATES, {"currency": "EUR", "date": "2026-03-12", "usd_per_unit": "1.2"}],
    "hts-reference": [HTS[0], {**HTS[1], "general_rate": "0.05"}],
    "tariff-provisions": [{**PROVISIONS[0], "rate": "0.25"}, PROVISIONS[1]],
    "product-master": [{**PRODUCTS[0], "net_kg": "4.4", "gross_kg": "5.1"}, PRODUCTS[1]],
    "packaging-materials": [{**PACKAGING[0], "unit_kg": "9"}],
}


UNUSED_RATE = {"currency": "TWD", "date": "2026-03-11", "usd_per_unit": "0.03125"}


def test_every_reference_dataset_is_covered() -> None:
    assert set(CHANGES) == set(REFERENCE)


@pytest.mark.parametrize("dataset", sorted(CHANGES))
def test_a_change_to_any_reference_dataset_of_a_closed_date_proposes_a_correction_once(
    world: World, dataset: str
) -> None:
    # GIVEN a closed date's official run
    world.publish_reference()
    official = world.publish_day()
    world.clock.now = AFTER_CLOSING
    # WHEN a new version of the dataset changes what the date would report
    (outcome,) = world.publish_dataset(dataset, CHANGES[dataset])
    # THEN its run is a candidate and a correction is proposed, naming the dataset; the lines stay
    assert outcome.status == "candidate"
    (correction,) = world.events(CORRECTION)
    assert isinstance(correction, CorrectionProposed)
    assert correction.candidate_run_id == outcome.run_id
    assert correction.reason.startswith(f"{dataset} ")
    assert correction.changes.entries_affected == 1
    assert world.ledger.current("automated", DAY).run_id == official.run_id  # type: ignore[union-attr]
    assert len(world.events(GENERATED)) == 1
    # AND a later version that changes nothing more (a rate for a currency the date does not use)
    # runs the date again without proposing the same correction a second time
    rates = CHANGES["exchange-rates"] if dataset == "exchange-rates" else RATES
    (again,) = world.publish_dataset("exchange-rates", [*rates, UNUSED_RATE])
    assert (again.status, again.detail) == (
        "unchanged",
        f"reports what {outcome.run_id}, already proposed, does",
    )
    assert len(world.events(CORRECTION)) == 1


def test_a_further_difference_on_a_closed_date_is_proposed_again(world: World) -> None:
    world.publish_reference()
    world.publish_day()
    world.clock.now = AFTER_CLOSING
    world.publish_dataset("exchange-rates", CHANGES["exchange-rates"])
    # WHEN the rate moves again
    (outcome,) = world.publish_dataset(
        "exchange-rates", [*RATES, {"currency": "EUR", "date": "2026-03-12", "usd_per_unit": "1.3"}]
    )
    # THEN the new difference is proposed, against the official lines
    assert outcome.status == "candidate"
    first, second = world.events(CORRECTION)
    assert first.official_run_id == second.official_run_id  # type: ignore[attr-defined]
    assert second.changes.value_delta_cents > first.changes.value_delta_cents  # type: ignore[attr-defined]


def test_a_closed_date_whose_transactions_came_before_its_reference_data_runs_when_that_arrives(
    world: World,
) -> None:
    # GIVEN a closed date's transactions published before the last reference dataset
    world.clock.now = AFTER_CLOSING
    world.publish_fees()
    for dataset, rows in REFERENCE.items():
        if dataset != "hts-reference":
            world.publish_dataset(dataset, rows)
    assert world.publish_dataset("transactions", TRANSACTIONS)[0].status == "skipped"
    # WHEN the missing reference dataset arrives
    world.publish_dataset("hts-reference", HTS)
    # THEN the date gets its first run, official (there is nothing to correct)
    (generated,) = world.events(GENERATED)
    assert generated.business_date == DAY  # type: ignore[attr-defined]
    assert world.ledger.current("automated", DAY) is not None


def test_a_difference_proposed_again_after_the_inputs_went_back_is_proposed_again(world: World) -> None:
    # GIVEN a closed date whose EUR rate moved (proposed), then moved back to the official figures
    world.publish_reference()
    world.publish_day()
    world.clock.now = AFTER_CLOSING
    world.publish_dataset("exchange-rates", CHANGES["exchange-rates"])
    (back,) = world.publish_dataset("exchange-rates", [*RATES, UNUSED_RATE])
    assert back.status == "unchanged"
    # WHEN it moves again as it first did
    (again,) = world.publish_dataset("exchange-rates", [*CHANGES["exchange-rates"], UNUSED_RATE])
    # THEN that is news again: proposed a second time
    assert again.status == "candidate"
    assert len(world.events(CORRECTION)) == 2
