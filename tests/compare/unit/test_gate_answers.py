"""The gate's answer to cutover requests, through the service layer's handler with in-memory fakes
of its ports (required streak: 3 business days here)."""

from __future__ import annotations

import json
from datetime import date
from typing import cast

import pytest
from ior_compare.domain.cutover import StateChange
from ior_compare.domain.records import Refusal
from ior_compare.service_layer import handlers
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.envelope import Event, new_metadata

from .fakes import FakeGate, FakeObjects, Published, fake_deps, passed_day

CHANGED = "cutover.state.changed.v1"
DESIGNATED = "cutover.official_run.designated.v1"
MON, TUE, WED, THU = (date(2026, 3, day) for day in range(16, 20))


def cutover_request(
    *, on: date = WED, force: bool = False, request_id: str = "req-1"
) -> CutoverChangeRequested:
    return CutoverChangeRequested(
        action="cutover", effective_date=on, reason="parity sign-off", force=force,
        requested_by="admin", request_id=request_id,
    )  # fmt: skip


def test_a_cutover_below_the_streak_is_refused_audited_and_announces_nothing() -> None:
    # GIVEN one passing day
    deps, publish = fake_deps(passed_day(MON)), Published()
    request = cutover_request()
    # WHEN a cutover is asked for without force
    answer = handlers.cutover_requested(
        request, cause=new_metadata(CutoverChangeRequested), deps=deps, publish=publish
    )
    # THEN it is refused, with the streak found, and the refusal is the request's answer and audited
    assert isinstance(answer, Refusal)
    assert (answer.streak, answer.required_streak, answer.error) == (1, 3, "CutoverRefusedError")
    gate = cast(FakeGate, deps.gate)
    assert gate.applied == []
    assert gate.answers["req-1"].refusal == answer
    audit = json.loads(cast(FakeObjects, deps.objects).audit["cutover/refused/req-1.json"])
    assert audit["refused_because"] == answer.refused_because
    assert publish.events == []


def test_a_request_answered_before_is_not_answered_again() -> None:
    deps, publish = fake_deps(passed_day(MON)), Published()
    request = cutover_request()
    handlers.cutover_requested(
        request, cause=new_metadata(CutoverChangeRequested), deps=deps, publish=publish
    )
    again = handlers.cutover_requested(
        request, cause=new_metadata(CutoverChangeRequested), deps=deps, publish=publish
    )
    assert again is None
    assert publish.events == []


def test_a_cutover_at_the_streak_is_applied_audited_announced_and_its_dates_designated_again() -> None:
    # GIVEN three passing days and Thursday's lines
    deps, publish = fake_deps(*(passed_day(day) for day in (MON, TUE, WED, THU))), Published()
    # WHEN a cutover from Wednesday is asked for
    answer = handlers.cutover_requested(
        cutover_request(on=WED), cause=new_metadata(CutoverChangeRequested), deps=deps, publish=publish
    )
    # THEN it is applied, audited with its sequence number and announced once
    assert isinstance(answer, StateChange)
    assert (answer.after.state, answer.streak, answer.forced) == ("cutover", 4, False)
    audit = json.loads(cast(FakeObjects, deps.objects).audit[f"cutover/{answer.change_id}.json"])
    assert (audit["seq"], audit["after_state"], audit["after_effective_date"]) == (1, "cutover", "2026-03-18")
    [changed] = publish.of(CHANGED)
    assert (changed["state"], changed["previous_state"]) == ("cutover", "shadow")
    # AND Wednesday and Thursday are designated again, on the automated lines, and the answer is done
    designated = [(d["business_date"], d["official_mode"], d["run_id"]) for d in publish.of(DESIGNATED)]
    assert designated == [("2026-03-18", "automated", "a1"), ("2026-03-19", "automated", "a1")]
    assert cast(FakeGate, deps.gate).answers["req-1"].done


def test_a_change_a_crash_left_unannounced_is_finished_when_the_request_comes_again() -> None:
    # GIVEN a forced cutover applied, and the bus down before it was announced
    deps = fake_deps(passed_day(WED))
    request = cutover_request(force=True)

    def bus_down(event: Event, *, business_date: date | None = None, event_id: str | None = None) -> object:
        raise ConnectionError("the bus is down")

    with pytest.raises(ConnectionError):
        handlers.cutover_requested(
            request, cause=new_metadata(CutoverChangeRequested), deps=deps, publish=bus_down
        )
    [change] = deps.gate.changes()
    # WHEN the request is delivered again
    publish = Published()
    again = handlers.cutover_requested(
        request, cause=new_metadata(CutoverChangeRequested), deps=deps, publish=publish
    )
    # THEN nothing new is decided, the change is announced and the answer is done
    assert again is None
    assert [data["change_id"] for data in publish.of(CHANGED)] == [change.change_id]
    assert cast(FakeGate, deps.gate).answers["req-1"].done
