"""SAP down, end to end: a 503 storm, a 429 storm and a timeout on the mock SAP while the analysts
upload their CSVs, with the gate cut over from the second business date; then SAP back and the
extracts asked again.

Expected: every failed extract raises its alert (reason in the text); the manual lines made while
SAP is down are the fault-free run's manual lines; the first date (shadow) is officially manual and
the second (cut over, no automated run) officially manual *marked incomplete*; once SAP is back the
automated lines are the fault-free run's, the second date's official run is the automated one, and
nothing is lost, duplicated or alerted beyond the failed extracts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from tests.faults.conftest import FaultFree
from tests.faults.drive import (
    FAST_SAP,
    await_extracts,
    cut_over,
    request_extracts,
    settle,
    small_company,
    upload_days,
)
from tests.faults.outcome import Outcome, differences, duplicate_runs, new_alerts, read_outcome
from tests.support.stack import running_stack, stack_fixture

FAILED = "ingestion.extract.failed.v1"
LANDED = "ingestion.extract.landed.v1"
# Each SAP entity set's fault while SAP is down, and the reason its failed extract must give.
STORMS = {
    "ZSDR002": ({"mode": "503"}, "server_error"),
    "ZEMM005": ({"mode": "503"}, "server_error"),
    "ZFMIOR001": ({"mode": "503"}, "server_error"),
    "ZFMIOR003": ({"mode": "503"}, "server_error"),
    "ZEMM004": ({"mode": "503"}, "server_error"),
    "ZEMM07": ({"mode": "429", "retry_after": 1}, "rate_limited"),
    "ZFMIOR002": ({"mode": "slow", "seconds": 3.0}, "timeout"),
}


@dataclass(frozen=True)
class Outage:
    days: list[date]
    while_down: dict[str, dict[str, object]]  # each source's extract outcome while SAP is down
    during: Outcome
    after_recovery: dict[str, dict[str, object]]
    after: Outcome


@stack_fixture(scope="module")
def outage(tmp_path_factory: pytest.TempPathFactory, fault_free: FaultFree) -> Iterator[Outage]:
    sample = tmp_path_factory.mktemp("outage")
    days = small_company(sample)
    with running_stack(tmp_path_factory.mktemp("ior-home"), env=FAST_SAP, sap_data=sample / "sap") as stack:
        assert stack.sap is not None
        cut_over(stack, days[1])
        for entity_set, (fault, _) in STORMS.items():
            stack.sap.set_fault(entity_set=entity_set, **fault)  # type: ignore[arg-type]
        while_down = await_extracts(stack, request_extracts(stack))
        upload_days(stack, sample, days)
        settle(stack)
        during = read_outcome(stack, days)

        stack.sap.clear_faults()
        after_recovery = await_extracts(stack, request_extracts(stack))
        settle(stack)
        yield Outage(days, while_down, during, after_recovery, read_outcome(stack, days))


@pytest.mark.parametrize("source", sorted(STORMS))
def test_each_storm_fails_its_extract_and_raises_its_alert(outage: Outage, source: str) -> None:
    _, reason = STORMS[source]
    event = outage.while_down[source]
    assert (event["detail-type"], event["detail"]["data"]["reason"]) == (FAILED, reason)  # type: ignore[index]
    alerts = [what for kind, what in outage.during.alerts if kind == FAILED]
    assert any(what.startswith(f"Extract {source} failed ({reason})") for what in alerts), alerts


def test_the_official_hts_lands_while_sap_is_down(outage: Outage) -> None:
    assert outage.while_down["USITC_HTS"]["detail-type"] == LANDED


def test_manual_upload_while_sap_is_down_makes_the_fault_free_manual_lines(
    outage: Outage, baseline: Outcome
) -> None:
    assert differences(baseline, outage.during, modes=("manual",)) == {}
    assert not [slot for slot in outage.during.runs if slot[1] == "automated"]
    assert duplicate_runs(outage.during) == []


def test_manual_fallback_after_cutover_is_the_official_run_marked_incomplete(outage: Outage) -> None:
    shadow_day, cutover_day = outage.days
    shadow = outage.during.designations[shadow_day]
    fallback = outage.during.designations[cutover_day]
    assert (shadow["state"], shadow["official_mode"], shadow["incomplete"]) == ("shadow", "manual", False)
    assert shadow["run_id"] == outage.during.runs[shadow_day, "manual"].run_id
    assert (fallback["state"], fallback["official_mode"], fallback["incomplete"]) == (
        "cutover",
        "manual",
        True,
    )
    assert fallback["run_id"] == outage.during.runs[cutover_day, "manual"].run_id
    assert "no automated run" in str(fallback["reason"])


def test_once_sap_is_back_nothing_is_lost_or_duplicated(outage: Outage, baseline: Outcome) -> None:
    assert {s: e["detail-type"] for s, e in outage.after_recovery.items()} == dict.fromkeys(
        outage.after_recovery, LANDED
    )
    assert differences(baseline, outage.after) == {}
    assert duplicate_runs(outage.after) == []
    cutover_day = outage.days[1]
    official = outage.after.designations[cutover_day]
    assert (official["official_mode"], official["incomplete"]) == ("automated", False)
    assert official["run_id"] == outage.after.runs[cutover_day, "automated"].run_id


def test_no_alert_beyond_the_failed_extracts(outage: Outage, baseline: Outcome) -> None:
    extra = new_alerts(baseline, outage.after)
    assert {kind for kind, _ in extra} == {FAILED}
    assert sum(extra.values()) == len(STORMS)
