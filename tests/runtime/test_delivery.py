"""Delivery semantics of the local runtime on the real moto server: routing, batches, retries,
DLQ and redrive, duplicates, size limit."""

from __future__ import annotations

from datetime import date

import pytest
from ior_contracts.bus import MAX_ENTRY_BYTES, EventTooLargeError
from ior_contracts.compare import ComparisonRequested
from ior_contracts.customs import CustomsRunRequested
from ior_contracts.envelope import new_metadata
from ior_tools.cli.main import app
from ior_tools.runtime.stack import LocalStack, queue_depth
from ior_tools.runtime.worker import Worker
from typer.testing import CliRunner

from tests.runtime.conftest import run_request, wait_for
from tests.support.probe import POISON, RECORDER

WIDE = {"COLUMNS": "300"}


def test_an_event_reaches_exactly_the_subscriptions_whose_patterns_match(stack: LocalStack) -> None:
    # GIVEN an automated and a manual run request
    automated = stack.publisher().publish(run_request("automated"))
    manual = stack.publisher().publish(run_request("manual"))
    stack.wait_idle()
    # THEN both reach the unfiltered subscriptions; only the manual one the manual-only rule
    for sub in ("probe-runs", "witness-runs"):
        assert RECORDER.effects[sub][automated.event_id] == 1
        assert RECORDER.effects[sub][manual.event_id] == 1
    assert RECORDER.effects["probe-manual-runs"][manual.event_id] == 1
    assert automated.event_id not in RECORDER.attempts["probe-manual-runs"]
    # AND subscriptions for other contracts see neither
    for sub in ("probe-cutover", "probe-comparisons"):
        assert automated.event_id not in RECORDER.attempts[sub]
        assert manual.event_id not in RECORDER.attempts[sub]


def test_a_failing_handler_lands_in_the_dlq_after_its_receive_count_and_redrive_redelivers(
    stack: LocalStack,
) -> None:
    queue = stack.routes["probe-comparisons"].queue
    sqs = stack.client("sqs")
    event = ComparisonRequested(business_date="2026-03-10", requested_by="tests", reason="dlq test")
    metadata = new_metadata(ComparisonRequested)
    RECORDER.failing.add(metadata.event_id)
    # WHEN its handler keeps failing
    stack.publisher().publish_with(event, metadata)
    wait_for(lambda: queue_depth(sqs, queue.dlq_url)[0] == 1, timeout=30, what="the message in the DLQ")
    # THEN it was received as often as the subscription allows (five), then moved to the DLQ
    assert RECORDER.attempts["probe-comparisons"][metadata.event_id] == 5
    assert RECORDER.effects["probe-comparisons"][metadata.event_id] == 0
    # AND `ior status` shows it
    shown = CliRunner().invoke(app, ["status"], env=WIDE)
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if "probe-comparisons" in line)
    assert row.rstrip(" │|").split("│")[-1].strip() == "1"
    listed = CliRunner().invoke(app, ["dlq", "show", "probe-comparisons"], env=WIDE)
    assert metadata.event_id in listed.output
    # WHEN the fault is fixed and the DLQ redriven
    RECORDER.failing.discard(metadata.event_id)
    redriven = CliRunner().invoke(app, ["dlq", "redrive", "probe-comparisons"], env=WIDE)
    assert redriven.exit_code == 0, redriven.output
    assert "redrove 1 message" in redriven.output
    # THEN it is delivered again and has its effect, and the DLQ is empty
    wait_for(
        lambda: RECORDER.effects["probe-comparisons"][metadata.event_id] == 1, what="the redriven effect"
    )
    assert queue_depth(sqs, queue.dlq_url) == (0, 0)


def test_one_bad_message_in_a_batch_does_not_fail_or_redeliver_the_others(stack: LocalStack) -> None:
    # GIVEN the subscription's worker paused, and five requests queued, one of them poison
    live = stack.workers["probe-runs"]
    live.stop()
    live.join()
    good = [stack.publisher().publish(run_request(reason=f"batch {i}")) for i in range(4)]
    bad = stack.publisher().publish(run_request(reason=POISON))
    sqs = stack.client("sqs")
    route = stack.routes["probe-runs"]
    wait_for(lambda: queue_depth(sqs, route.queue.url)[0] == 5, what="five queued messages")
    # WHEN one batch is handled (by a worker of the same function, calling AWS as its role)
    worker = Worker(route, live.sqs, environment=live.environment, wait_s=0)
    assert worker.poll_once() == 5
    # THEN the four good ones had their effect and are gone; only the poison one is left in flight
    assert all(RECORDER.effects["probe-runs"][m.event_id] == 1 for m in good)
    assert RECORDER.attempts["probe-runs"][bad.event_id] == 1
    assert queue_depth(sqs, route.queue.url) == (0, 1)
    # WHEN the visibility timeout passes and the next batch is handled
    wait_for(lambda: queue_depth(sqs, route.queue.url)[0] == 1, what="the poison message visible again")
    assert worker.poll_once() == 1
    # THEN only the poison message was tried again
    assert RECORDER.attempts["probe-runs"][bad.event_id] == 2
    assert all(RECORDER.attempts["probe-runs"][m.event_id] == 1 for m in good)
    restarted = Worker(route, live.sqs, environment=live.environment)
    restarted.start()
    stack.workers["probe-runs"] = restarted


def test_a_duplicate_delivery_has_its_effect_once(stack: LocalStack) -> None:
    # GIVEN one event delivered twice (the same envelope, as at-least-once delivery does)
    event = run_request(reason="delivered twice")
    metadata = new_metadata(CustomsRunRequested)
    stack.publisher().publish_with(event, metadata)
    stack.publisher().publish_with(event, metadata)
    stack.wait_idle()
    # THEN each subscription's handler had its effect once
    assert RECORDER.effects["probe-runs"][metadata.event_id] == 1
    assert RECORDER.effects["witness-runs"][metadata.event_id] == 1
    assert RECORDER.attempts["probe-runs"][metadata.event_id] == 1


def test_an_event_over_256_kb_is_refused_and_nothing_is_put_on_the_bus(stack: LocalStack) -> None:
    stack.wait_idle()
    before = stack.event_log.count()
    huge = CustomsRunRequested.model_construct(
        business_date=date(2026, 3, 10), mode="automated", reason="x" * MAX_ENTRY_BYTES, requested_by="tests"
    )
    with pytest.raises(EventTooLargeError, match="over EventBridge's 262144-byte limit"):
        stack.publisher().publish(huge)
    stack.wait_idle()
    assert stack.event_log.count() == before
