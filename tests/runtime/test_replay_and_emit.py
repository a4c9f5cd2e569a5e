"""Windowed replay from the event log, `ior emit` validation, and the local scheduler."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from ior_tools.cli.main import app
from ior_tools.runtime.scheduler import LocalScheduler
from ior_tools.runtime.stack import LocalStack, queue_depth
from ior_tools.runtime.worker import Worker
from typer.testing import CliRunner

from tests.runtime.conftest import run_request, wait_for
from tests.support.bus import drain
from tests.support.probe import PROBE_CONFIG, RECORDER

WIDE = {"COLUMNS": "300"}


def _pause() -> datetime:
    time.sleep(0.05)
    moment = datetime.now(UTC)
    time.sleep(0.05)
    return moment


def test_replay_redelivers_exactly_its_window_to_exactly_its_stage(stack: LocalStack) -> None:
    # GIVEN four events, the middle two inside a window
    before = stack.publisher().publish(run_request(reason="before the window"))
    since = _pause()
    inside = [stack.publisher().publish(run_request(reason=f"inside {i}")) for i in range(2)]
    until = _pause()
    after = stack.publisher().publish(run_request(reason="after the window"))
    stack.wait_idle()
    everything = [before, *inside, after]
    assert all(RECORDER.effects["probe-runs"][m.event_id] == 1 for m in everything)

    # WHEN the probe stage is replayed without any change
    args = ["replay", "--stage", "probe", "--since", since.isoformat(), "--until", until.isoformat()]
    unchanged = CliRunner().invoke(app, args, env=WIDE)
    assert unchanged.exit_code == 0, unchanged.output
    assert "probe-runs: 2" in unchanged.output
    stack.wait_idle()
    # THEN the deliveries change nothing: the effects are already done for this version
    assert all(RECORDER.effects["probe-runs"][m.event_id] == 1 for m in everything)

    # WHEN the probe's configuration changes and the stage is replayed again
    PROBE_CONFIG["revision"] += 1
    try:
        changed = CliRunner().invoke(app, args, env=WIDE)
        assert changed.exit_code == 0, changed.output
        stack.wait_idle()
    finally:
        PROBE_CONFIG["revision"] -= 1
    # THEN exactly the window's events ran again, on exactly the probe's subscriptions
    assert [RECORDER.effects["probe-runs"][m.event_id] for m in everything] == [1, 2, 2, 1]
    assert all(RECORDER.effects["witness-runs"][m.event_id] == 1 for m in everything)
    assert all(m.event_id not in RECORDER.attempts["probe-manual-runs"] for m in everything)


def test_replay_of_an_unknown_stage_is_refused(stack: LocalStack) -> None:
    refused = CliRunner().invoke(app, ["replay", "--stage", "nosuch", "--since", "2026-03-01"], env=WIDE)
    assert refused.exit_code == 2
    assert "no subscription of service 'nosuch'" in refused.output


def test_emit_rejects_an_invalid_payload_naming_each_field_and_sends_nothing(stack: LocalStack) -> None:
    stack.wait_idle()
    logged = stack.event_log.count()
    payload = {
        "business_date": "10/03/2026",
        "mode": "both",
        "reason": "x",
        "requested_by": "t",
        "colour": "red",
    }
    result = CliRunner().invoke(
        app, ["emit", "customs.run.requested.v1", "--data", json.dumps(payload)], env=WIDE
    )
    assert result.exit_code == 2
    assert "was not sent" in result.output
    assert "data.business_date" in result.output
    assert "data.mode: Input should be 'automated' or 'manual'" in result.output
    assert "data.colour: not a field of this contract" in result.output
    stack.wait_idle()
    assert stack.event_log.count() == logged


def test_emit_puts_a_valid_payload_on_the_bus(stack: LocalStack) -> None:
    payload = {
        "business_date": "2026-03-10",
        "mode": "manual",
        "reason": "emit test",
        "requested_by": "tests",
    }
    result = CliRunner().invoke(
        app, ["emit", "customs.run.requested.v1", "--data", json.dumps(payload)], env=WIDE
    )
    assert result.exit_code == 0, result.output
    event_id = result.output.split("event_id=")[1].split()[0]
    wait_for(lambda: RECORDER.effects["probe-manual-runs"][event_id] == 1, what="the emitted event handled")


def test_emit_of_an_unknown_contract_is_refused(stack: LocalStack) -> None:
    result = CliRunner().invoke(app, ["emit", "customs.run.exploded.v1", "--data", "{}"], env=WIDE)
    assert result.exit_code == 2
    assert "no contract named 'customs.run.exploded.v1'" in result.output


def test_the_scheduler_fires_a_deployed_schedule_at_its_time_onto_its_rules_queue(stack: LocalStack) -> None:
    # GIVEN the weekly HTS extract as the program deployed it (Mondays 03:00 UTC), with ingestion's
    # worker paused so the fired event waits in its queue, and a clock just before the time
    deployed = stack.deployment.schedules[stack.outputs["schedules"]["extract-usitc-hts"]]  # type: ignore[union-attr]
    assert deployed.expression == "cron(0 3 ? * MON *)"
    worker = stack.workers["ingestion-extract"]
    worker.stop()
    worker.join()
    now = [datetime(2026, 3, 9, 2, 59, 59, tzinfo=UTC)]
    # As the schedules' role, as Scheduler puts the events in AWS.
    scheduler = LocalScheduler([deployed], stack.scheduler.events, clock=lambda: now[0])  # type: ignore[union-attr]
    try:
        # THEN nothing fires before the time
        assert scheduler.tick() == []
        # WHEN the clock reaches Monday 03:00
        now[0] = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
        fired = scheduler.tick()
        # THEN the declared event is put once, with the tick's id and time (Scheduler's template)
        assert [(f.schedule, f.at) for f in fired] == [("ior-local-extract-usitc-hts", now[0])]
        assert fired[0].event_id == "schedule:extract-usitc-hts:2026-03-09T03:00:00Z"
        # AND the ingestion rule delivered exactly it to ingestion's queue
        queue = stack.routes["ingestion-extract"].queue
        sqs = stack.client("sqs")
        wait_for(lambda: queue_depth(sqs, queue.url)[0] == 1, what="the scheduled event queued")
        [event] = drain(sqs, queue.url)
        assert event["detail-type"] == "ingestion.extract.requested.v1"
        assert event["detail"]["metadata"]["event_id"] == fired[0].event_id
        assert event["detail"]["data"]["source"] == "USITC_HTS"
        now[0] += timedelta(minutes=30)
        assert scheduler.tick() == []
        # AND a clock that jumps two weeks fires each missed tick once
        now[0] = datetime(2026, 3, 23, 3, 0, tzinfo=UTC)
        assert [f.at.day for f in scheduler.tick()] == [16, 23]
        wait_for(lambda: queue_depth(sqs, queue.url)[0] == 2, what="the missed ticks queued")
        drain(sqs, queue.url)
    finally:
        restarted = Worker(worker.route, worker.sqs, environment=worker.environment)
        restarted.start()
        stack.workers["ingestion-extract"] = restarted
