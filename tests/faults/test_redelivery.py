"""Faults the pipeline absorbs by design, on the fault-free run's own stack: every event delivered
twice, and the run's window replayed from the event log to every stage. Handlers are idempotent on
the envelope's event id and outputs are keyed by their inputs, so the expected outcome is no line
lost, no line or run duplicated, and no alert raised."""

from __future__ import annotations

from tests.faults.conftest import FaultFree
from tests.faults.outcome import MODES, differences, duplicate_runs, new_alerts


def test_the_fault_free_run_has_lines_for_every_date_and_mode(fault_free: FaultFree) -> None:
    runs = fault_free.outcome.runs
    assert sorted(runs) == sorted((d, m) for d in fault_free.days for m in MODES)
    assert all(run.lines and not run.repeated_keys for run in runs.values())
    assert duplicate_runs(fault_free.outcome) == []


def test_every_event_delivered_twice_changes_nothing(fault_free: FaultFree) -> None:
    # GIVEN every event of the fault-free run put on the bus a second time
    assert fault_free.redelivered >= 40
    after = fault_free.after_redelivery
    # THEN no line is lost, changed or repeated, no run is made twice and no alert is raised
    assert differences(fault_free.outcome, after) == {}
    assert duplicate_runs(after) == []
    assert after.generated == fault_free.outcome.generated
    assert new_alerts(fault_free.outcome, after) == {}
    assert after.designations == fault_free.outcome.designations


def test_a_day_replayed_from_the_event_log_changes_nothing(fault_free: FaultFree) -> None:
    # GIVEN the run's window of the event log replayed to each stage's rules
    delivered = {r.name: r.delivered for r in fault_free.replayed}
    assert all(delivered.values()), delivered
    after = fault_free.after_replay
    # THEN, with no code or configuration change, nothing is made again
    assert differences(fault_free.outcome, after) == {}
    assert duplicate_runs(after) == []
    assert after.generated == fault_free.outcome.generated
    assert new_alerts(fault_free.outcome, after) == {}
    assert after.designations == fault_free.outcome.designations
