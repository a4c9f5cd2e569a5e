"""A worker crash mid-batch and concurrent runs, end to end on a fresh stack fed the fault-free run's
inputs: the first batch of each crashing subscription is handled in part (a batch of one: in full,
with the acknowledgement never sent; the projections, which take ten, start on a backlog so that
theirs is several), then the handler's process dies; the messages come back after the visibility
timeout (shortened here to seconds). Customs consumes its dataset and run queues
with two concurrent workers each, as Lambda scales an event source mapping, and two run requests
for one date and mode arrive together.

Expected — the pipeline absorbs both by design: the crashed batches are redelivered and their
effects made once (idempotent handlers, runs claimed by conditional writes), concurrent runs
settle on one current run per date and mode; no line lost, none duplicated, no alert raised."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from ior_contracts.topology import Topology, load_topology
from ior_tools.runtime.stack import LocalStack, queue_depth
from ior_tools.runtime.worker import Worker

from tests.faults.conftest import FaultFree
from tests.faults.drive import FAST_SAP, ask_run, await_extracts, request_extracts, settle, upload_days
from tests.faults.outcome import Outcome, differences, duplicate_runs, new_alerts, read_outcome
from tests.support.stack import running_stack, stack_fixture, wait_for

CRASHING = ("etl-uploads", "customs-datasets", "compare-lines", "api-projections")
CONCURRENT = ("customs-datasets", "customs-runs")
PROJECTIONS = "api-projections"
BACKLOG = 4
REDELIVERY_S = 3

Handler = Callable[[dict[str, Any], Any], Any]


class WorkerDiedError(RuntimeError):
    """The handler's process ended part-way through a batch."""


class DiesMidBatch:
    """A handler whose process dies after handling the first half of a batch, before the worker
    acknowledges anything: once, on the first batch of at least `smallest` messages (a batch of one
    is handled in full, then the process dies); later batches are handled normally."""

    def __init__(self, handler: Handler, smallest: int) -> None:
        self.handler = handler
        self.smallest = smallest
        self.deaths: list[tuple[int, int]] = []  # (messages handled, messages in the batch)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        records = event["Records"]
        if self.deaths or len(records) < self.smallest:
            return self.handler(event, context)
        handled = records[: max(1, len(records) // 2)]
        self.handler({**event, "Records": handled}, context)
        self.deaths.append((len(handled), len(records)))
        raise WorkerDiedError(f"died after {len(handled)} of {len(records)} messages")


def quick_redelivery(topology: Topology, names: tuple[str, ...]) -> Topology:
    """The topology with the named subscriptions' visibility timeouts cut to seconds."""
    return Topology(
        tuple(
            replace(
                service,
                subscriptions=tuple(
                    replace(s, visibility_timeout_s=REDELIVERY_S) if s.name in names else s
                    for s in service.subscriptions
                ),
            )
            for service in topology.services
        )
    )


def replace_worker(stack: LocalStack, name: str, handler: Handler, *, start: bool = True) -> Worker:
    """The subscription's worker, stopped and replaced by one around `handler` (started, or not yet)."""
    old = stack.workers[name]
    old.stop()
    old.join(timeout=5)
    worker = Worker(old.route, old.sqs, environment=old.environment, handler=handler)
    if start:
        worker.start()
    stack.workers[name] = worker
    return worker


def add_worker(stack: LocalStack, name: str) -> Worker:
    """A second, concurrent worker on the subscription's queue (stopped with the stack)."""
    first = stack.workers[name]
    worker = Worker(first.route, first.sqs, environment=first.environment, handler=first.handler)
    worker.start()
    stack.workers[f"{name}/2"] = worker
    return worker


@dataclass(frozen=True)
class Chaos:
    crashes: dict[str, list[tuple[int, int]]]
    run_requests_handled: int
    outcome: Outcome


@stack_fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory, fault_free: FaultFree) -> Iterator[Chaos]:
    sample, days = fault_free.sample, fault_free.days
    topology = quick_redelivery(load_topology(), CRASHING)
    with running_stack(
        tmp_path_factory.mktemp("ior-home"), env=FAST_SAP, sap_data=sample / "sap", topology=topology
    ) as stack:
        dying = {
            name: DiesMidBatch(worker.handler, min(2, worker.route.batch_size))
            for name, worker in stack.workers.items()
            if name in CRASHING
        }
        # The projections wait for a backlog, so that their first batch holds several messages.
        paused = {PROJECTIONS: replace_worker(stack, PROJECTIONS, dying[PROJECTIONS], start=False)}
        for name, handler in dying.items():
            if name not in paused:
                replace_worker(stack, name, handler)
        for name in CONCURRENT:
            add_worker(stack, name)

        await_extracts(stack, request_extracts(stack))
        for mode in ("automated", "manual"):
            for _ in range(2):
                ask_run(stack, days[0], mode, "fault suite: two runs for one date at once")
        upload_days(stack, sample, days)
        projections = paused[PROJECTIONS]
        wait_for(
            lambda: queue_depth(stack.client("sqs"), projections.route.queue.url)[0] >= BACKLOG,
            30,
            f"{BACKLOG} events for the projections",
        )
        projections.start()
        settle(stack)
        runs = stack.workers["customs-runs"].stats.succeeded + stack.workers["customs-runs/2"].stats.succeeded
        yield Chaos({n: h.deaths for n, h in dying.items()}, runs, read_outcome(stack, days))


def test_each_crash_really_happened_mid_batch(chaos: Chaos) -> None:
    assert {name: len(deaths) for name, deaths in chaos.crashes.items()} == dict.fromkeys(CRASHING, 1)
    # The projections take batches of ten: theirs died with part of the batch handled, part not.
    [(handled, batch)] = chaos.crashes[PROJECTIONS]
    assert 1 <= handled < batch
    assert chaos.run_requests_handled == 4


def test_crashes_and_concurrent_runs_lose_nothing_and_duplicate_nothing(
    chaos: Chaos, baseline: Outcome
) -> None:
    assert differences(baseline, chaos.outcome) == {}
    assert duplicate_runs(chaos.outcome) == []
    assert sorted(chaos.outcome.runs) == sorted(baseline.runs)


def test_crashes_and_concurrent_runs_raise_no_alert(chaos: Chaos, baseline: Outcome) -> None:
    assert new_alerts(baseline, chaos.outcome) == {}
