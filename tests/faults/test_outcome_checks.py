"""The suite's own yardstick: lost, changed, repeated lines and runs made twice are found (no stack)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tests.faults.outcome import Outcome, RunLines, differences, duplicate_runs, new_alerts

DAY = date(2026, 3, 30)


def _run(
    run_id: str, lines: dict[tuple[str, int], str], repeated: tuple[tuple[str, int], ...] = ()
) -> RunLines:
    return RunLines(run_id, lines, repeated, Counter(), {}, frozenset())


def _generated(run_id: str, inputs: dict[str, str], lines_sha: str) -> dict[str, object]:
    return {
        "run_id": run_id,
        "business_date": DAY.isoformat(),
        "mode": "automated",
        "inputs": inputs,
        "code_version": "c",
        "config_version": "f",
        "lines": {"sha256": lines_sha},
    }


BASE = Outcome({(DAY, "automated"): _run("r1", {("E1", 1): "a", ("E1", 2): "b"})}, {}, {})


def test_a_lost_a_changed_and_an_extra_line_are_each_found() -> None:
    run = _run("r2", {("E1", 1): "a!", ("E2", 1): "c"}, repeated=(("E2", 1),))
    found = differences(BASE, Outcome({(DAY, "automated"): run}, {}, {}))[DAY, "automated"]
    assert (found.lost, found.changed, found.extra, found.repeated) == (
        [("E1", 2)],
        [("E1", 1)],
        [("E2", 1)],
        [("E2", 1)],
    )


def test_a_date_without_its_run_loses_every_line() -> None:
    assert differences(BASE, Outcome({}, {}, {}))[DAY, "automated"].lost == [("E1", 1), ("E1", 2)]


def test_runs_made_twice_are_found() -> None:
    inputs = {"transactions": "v1"}
    twice = {"e1": _generated("r1", inputs, "x"), "e2": _generated("r2", inputs, "y")}
    assert len(duplicate_runs(Outcome({}, twice, {}))) == 1
    changed = {"e1": _generated("r1", inputs, "x"), "e2": _generated("r1", inputs, "y")}
    assert len(duplicate_runs(Outcome({}, changed, {}))) == 1
    again = {"e1": _generated("r1", inputs, "x"), "e2": _generated("r1", inputs, "x")}
    assert duplicate_runs(Outcome({}, again, {})) == []


def test_an_alert_raised_once_more_is_new() -> None:
    before = Outcome({}, {}, {}, Counter({("k", "what"): 1}))
    after = Outcome({}, {}, {}, Counter({("k", "what"): 2}))
    assert new_alerts(before, after) == Counter({("k", "what"): 1})
