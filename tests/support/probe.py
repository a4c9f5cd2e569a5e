"""Test-only services for the runtime tests: handlers that record what reached them.

`probe` and `witness` are declared like real services, run by the real local runtime through the
real Lambda glue (`Consumer`), and write their idempotency records to their own tables."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ior_contracts.compare import ComparisonRequested
from ior_contracts.consumer import Consumer, MessageHandler, Publish
from ior_contracts.customs import CustomsRunRequested
from ior_contracts.cutover import CutoverChangeRequested, CutoverStateChanged
from ior_contracts.envelope import Event, Metadata
from ior_contracts.settings import ServiceSettings
from ior_contracts.topology import ServiceDeclaration, Subscription

POISON = "poison"


@dataclass
class Recorder:
    """What each subscription's handler did, by envelope event id."""

    effects: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    attempts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failing: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, subscription: str, event_id: str) -> None:
        with self._lock:
            self.attempts[subscription][event_id] += 1

    def effect(self, subscription: str, event_id: str) -> None:
        with self._lock:
            self.effects[subscription][event_id] += 1


RECORDER = Recorder()
# The probe's configuration; a test changes it to stand for a deployment with a new configuration.
PROBE_CONFIG: dict[str, Any] = {"revision": 1}


def _bootstrap(settings: ServiceSettings) -> Recorder:
    return RECORDER


def _consumer(service: str = "probe") -> Consumer[Recorder]:
    return Consumer(service, bootstrap=_bootstrap, config=PROBE_CONFIG, package="tests.support")


def _record(subscription: str) -> MessageHandler[Event, Recorder, None]:
    def handle(message: Event, /, *, cause: Metadata, deps: Recorder, publish: Publish) -> None:
        deps.attempt(subscription, cause.event_id)
        poisoned = subscription == "probe-runs" and getattr(message, "reason", "") == POISON
        if poisoned or cause.event_id in deps.failing:
            raise RuntimeError(f"{subscription} refuses {cause.event_id}")
        deps.effect(subscription, cause.event_id)

    handle.__name__ = subscription.replace("-", "_")
    return handle


runs = _consumer()
runs.route(CustomsRunRequested, _record("probe-runs"))

manual_runs = _consumer()
manual_runs.route(CustomsRunRequested, _record("probe-manual-runs"))

cutover = _consumer()
cutover.route(CutoverChangeRequested, _record("probe-cutover"))
cutover.route(CutoverStateChanged, _record("probe-cutover"))

comparisons = _consumer()
comparisons.route(ComparisonRequested, _record("probe-comparisons"))

witness_runs = _consumer("witness")
witness_runs.route(CustomsRunRequested, _record("witness-runs"))

PROBE = ServiceDeclaration(
    name="probe",
    subscriptions=(
        Subscription(
            "probe-runs", ("customs.run.requested.v1",), "tests.support.probe:runs", visibility_timeout_s=1
        ),
        Subscription(
            "probe-manual-runs",
            ("customs.run.requested.v1",),
            "tests.support.probe:manual_runs",
            filters={"detail": {"data": {"mode": ["manual"]}}},
        ),
        Subscription(
            "probe-cutover",
            ("cutover.change.requested.v1", "cutover.state.changed.v1"),
            "tests.support.probe:cutover",
        ),
        Subscription(
            "probe-comparisons",
            ("compare.comparison.requested.v1",),
            "tests.support.probe:comparisons",
            batch_size=1,
            visibility_timeout_s=1,
        ),
    ),
)
WITNESS = ServiceDeclaration(
    name="witness",
    subscriptions=(
        Subscription("witness-runs", ("customs.run.requested.v1",), "tests.support.probe:witness_runs"),
    ),
)
