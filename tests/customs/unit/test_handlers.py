"""The customs handlers over in-memory ports: a date is run once and announced under ids derived
from its run; a run the processor refuses ends, once, recorded as failed and announced, without
holding back the other dates or going back to the queue."""

from __future__ import annotations

from datetime import date

from ior_contracts.customs import LinesGenerated, RunFailed
from ior_contracts.envelope import deterministic_event_id
from ior_customs.ports import Trigger
from ior_customs.service_layer.runs import execute

from tests.customs.builders import DAY, PROVISIONS, TRANSACTIONS, invoice_line
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
    outcomes = service.announce("transactions", [refused, accepted], [DAY, next_day])
    # THEN DAY's run ends failed, announced once, and the next day is run and announced
    assert [(o.business_date, o.status) for o in outcomes] == [(DAY, "failed"), (next_day, "official")]
    failed_event, generated = service.sent
    assert isinstance(failed_event.event, RunFailed)
    assert "unknown billing types" in failed_event.event.reason
    assert (generated.business_date, type(generated.event)) == (next_day, LinesGenerated)
    (failed,) = [run for (_, day, _), run in service.ledger.runs.items() if day == DAY]
    assert failed["status"] == "failed"
    assert "unknown billing types" in failed["error"]


def test_a_provision_set_no_run_can_order_fails_each_date_once_and_never_loops() -> None:
    # GIVEN a provision set in which 9903.03.01's two rows disagree on rank (27 and 28)
    service = Service()
    service.announce_reference()
    service.announce("transactions", TRANSACTIONS, [DAY])
    second_row = {**PROVISIONS[1], "seq": "2", "hts_prefixes": "8544", "rank": "28"}
    # WHEN it is published, and the same versions asked to run again (a redelivery, a retry)
    first = service.announce("tariff-provisions", [*PROVISIONS, second_row])
    retry = Trigger("redelivered", "etl.dataset.published.v1", "again")
    repeat = execute(DAY, "automated", retry, service.deps, service.publish)
    # THEN the run ends failed, naming the code and the ranks, without raising, and is announced once
    assert [(o.business_date, o.status) for o in first] == [(DAY, "failed")]
    assert "the rows of 9903.03.01 disagree on rank (27 at seq 1, 28 at seq 2)" in first[0].detail
    assert (repeat.status, repeat.detail) == ("existing", "already failed")
    failures = [p for p in service.sent if isinstance(p.event, RunFailed)]
    assert len(failures) == 1
    assert failures[0].event_id == deterministic_event_id("customs.run.failed.v1", first[0].run_id or "")
    # AND the date keeps the lines it had
    assert service.ledger.current("automated", DAY).run_id != first[0].run_id  # type: ignore[union-attr]
