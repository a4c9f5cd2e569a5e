"""`manual.upload.received.v1` → the uploaded legacy CSVs built into datasets in mode `manual`."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope
from ior_contracts.manual import UploadReceived

from ior_etl import bootstrap
from ior_etl.config import EtlConfig
from ior_etl.entrypoints.announce import log_outcomes, publisher
from ior_etl.ports import Deps
from ior_etl.service_layer import handlers

consumer: Consumer[Deps] = Consumer("etl", bootstrap=bootstrap.wire, config=EtlConfig().versioned())


def upload_received(message: Envelope[UploadReceived], ctx: HandlerContext[Deps]) -> None:
    outcomes = handlers.upload_received(
        message.data,
        uploaded_at=message.metadata.occurred_at,
        cause=message.metadata.event_id,
        deps=ctx.deps,
        publish=publisher(ctx),
    )
    log_outcomes(ctx, outcomes)


# Registered by call rather than as a decorator, so the function keeps its type.
consumer.on(UploadReceived)(upload_received)
handler = consumer
