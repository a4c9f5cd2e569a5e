"""`etl.dataset.published.v1` → the version kept and the affected dates run;
`etl.dataset.held.v1` → the hold kept, for the runs' fallbacks."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope
from ior_contracts.etl import DatasetHeld, DatasetPublished

from ior_customs import bootstrap, handlers
from ior_customs.config import CustomsConfig
from ior_customs.entrypoints.announce import log_outcomes, publisher
from ior_customs.ports import Deps

consumer: Consumer[Deps] = Consumer("customs", bootstrap=bootstrap.wire, config=CustomsConfig().versioned())


def dataset_published(message: Envelope[DatasetPublished], ctx: HandlerContext[Deps]) -> None:
    outcomes = handlers.dataset_published(
        message.data, cause=message.metadata, deps=ctx.deps, publish=publisher(ctx)
    )
    log_outcomes(ctx, outcomes)


def dataset_held(message: Envelope[DatasetHeld], ctx: HandlerContext[Deps]) -> None:
    handlers.dataset_held(message.data, cause=message.metadata, deps=ctx.deps)


# Registered by call rather than as decorators, so the functions keep their types.
consumer.on(DatasetPublished)(dataset_published)
consumer.on(DatasetHeld)(dataset_held)
handler = consumer
