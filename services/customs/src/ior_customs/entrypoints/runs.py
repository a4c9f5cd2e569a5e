"""`customs.run.requested.v1` → the date run for the mode asked (or found already run)."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.customs import CustomsRunRequested
from ior_contracts.envelope import Envelope

from ior_customs import bootstrap, handlers
from ior_customs.config import CustomsConfig
from ior_customs.entrypoints.announce import log_outcomes, publisher
from ior_customs.ports import Deps

consumer: Consumer[Deps] = Consumer("customs", bootstrap=bootstrap.wire, config=CustomsConfig().versioned())


def run_requested(message: Envelope[CustomsRunRequested], ctx: HandlerContext[Deps]) -> None:
    outcomes = handlers.run_requested(
        message.data, cause=message.metadata, deps=ctx.deps, publish=publisher(ctx)
    )
    log_outcomes(ctx, outcomes)


# Registered by call rather than as a decorator, so the function keeps its type.
consumer.on(CustomsRunRequested)(run_requested)
handler = consumer
