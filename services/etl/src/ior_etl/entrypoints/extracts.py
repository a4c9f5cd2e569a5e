"""`ingestion.extract.landed.v1` → the extract recorded and the datasets it feeds rebuilt."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope
from ior_contracts.ingestion import ExtractLanded

from ior_etl import bootstrap
from ior_etl.config import EtlConfig
from ior_etl.entrypoints.announce import log_outcomes, publisher
from ior_etl.ports import Deps
from ior_etl.service_layer import handlers

consumer: Consumer[Deps] = Consumer("etl", bootstrap=bootstrap.wire, config=EtlConfig().versioned())


def extract_landed(message: Envelope[ExtractLanded], ctx: HandlerContext[Deps]) -> None:
    # When it landed, as ingestion said: a replay of an old landing is older than what came since.
    outcomes = handlers.extract_landed(
        message.data,
        landed_at=message.metadata.occurred_at,
        cause=message.metadata.event_id,
        deps=ctx.deps,
        publish=publisher(ctx),
    )
    log_outcomes(ctx, outcomes)


# Registered by call rather than as a decorator, so the function keeps its type.
consumer.on(ExtractLanded)(extract_landed)
handler = consumer
