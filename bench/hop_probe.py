"""The handler the event-hop benchmark times: imported by the worker by its dotted path, so its
state lives here and not in the benchmark's `__main__`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from ior_contracts.consumer import Consumer, Publish
from ior_contracts.customs import CustomsRunRequested
from ior_contracts.envelope import Metadata
from ior_contracts.settings import ServiceSettings
from ior_contracts.topology import ServiceDeclaration, Subscription

HOPS: list[float] = []
HANDLED = threading.Semaphore(0)


def _bootstrap(settings: ServiceSettings) -> None:
    return None


consumer: Consumer[None] = Consumer("bench", bootstrap=_bootstrap, package="bench")


def timed(message: CustomsRunRequested, /, *, cause: Metadata, deps: None, publish: Publish) -> None:
    HOPS.append((datetime.now(UTC) - cause.occurred_at).total_seconds())
    HANDLED.release()


consumer.route(CustomsRunRequested, timed)


BENCH_SUBSCRIPTION = "bench-hop"
BENCH = ServiceDeclaration(
    name="bench",
    subscriptions=(
        Subscription(BENCH_SUBSCRIPTION, ("customs.run.requested.v1",), "bench.hop_probe:consumer"),
    ),
)
