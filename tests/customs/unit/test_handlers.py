"""The customs handlers over in-memory ports: a date is run once and announced under ids derived
from its run; a run the processor refuses is recorded as failed without holding back the other
dates; a closed date with official lines is left alone when reference data changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import deterministic_event_id
from ior_customs.service_layer.handlers import RunsFailedError

from tests.customs.builders import DAY, PRODUCTS, TRANSACTIONS, invoice_line
from tests.customs.unit.fakes import Service

GENERATED = "customs.lines.generated.v1"


def test_a_date_is_run_once_and_announced_under_an_id_derived_from_its_run() -> None:
    # GIVEN the reference datasets in force
    service = Service()
    service.announce_reference()
    # WHEN the day's transactions are announced, and the same content again
    (first,) = service.announce("transactions", TRANSACTIONS, [DAY])
    (again,) = service.announce("transactions", TRANSACTIONS, [DAY])
    # THEN one run is made, made current and announced once
    assert (first.status, again.status) == ("official", "existing")
    (sent,) = service.sent
    assert isinstance(sent.event, LinesGenerated)
    assert sent.event_id == deterministic_event_id(GENERATED, first.run_id or "")
    assert sent.business_date == DAY
    assert service.ledger.current("automated", DAY).run_id == first.run_id  # type: ignore[union-attr]


def test_a_run_the_processor_refuses_is_recorded_as_failed_and_the_other_dates_still_run() -> None:
    service = Service()
    service.announce_reference()
    next_day = date(2026, 3, 17)
    refused = invoice_line("90030005", 10, "10000001", "1", "100.00", type="F8")
    accepted = invoice_line("90030006", 10, "10000001", "1", "100.00", arrival=next_day.isoformat())
    # WHEN one version brings a line the processor refuses on DAY and a good one on the next day
    with pytest.raises(RunsFailedError, match="unknown billing types"):
        service.announce("transactions", [refused, accepted], [DAY, next_day])
    # THEN the next day is run and announced; DAY's run is recorded as failed and announces nothing
    (sent,) = service.sent
    assert sent.business_date == next_day
    (failed,) = [run for (_, day, _), run in service.ledger.runs.items() if day == DAY]
    assert failed["status"] == "failed"
    assert "unknown billing types" in failed["error"]


def test_a_closed_date_with_official_lines_is_not_rerun_for_new_reference_data() -> None:
    # GIVEN the date's official run, made while it was open
    service = Service()
    service.announce_reference()
    service.announce("transactions", TRANSACTIONS, [DAY])
    # WHEN, after it closed on 30 March, the product master changes
    service.now = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
    outcomes = service.announce("product-master", [{**PRODUCTS[0], "net_kg": "2.5"}, PRODUCTS[1]])
    # THEN the date is left alone
    assert outcomes == []
    assert len(service.sent) == 1
