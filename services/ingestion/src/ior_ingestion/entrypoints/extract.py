"""`ingestion.extract.requested.v1` → an extract landed (or failed) and announced."""

from __future__ import annotations

from ior_contracts.consumer import Consumer, HandlerContext
from ior_contracts.envelope import Envelope, deterministic_event_id
from ior_contracts.ingestion import ExtractRequested

from ior_ingestion import bootstrap, handlers
from ior_ingestion.config import IngestionConfig

consumer: Consumer[handlers.Deps] = Consumer(
    "ingestion", bootstrap=bootstrap.wire, config=IngestionConfig().versioned()
)


@consumer.on(ExtractRequested)
def extract_requested(message: Envelope[ExtractRequested], ctx: HandlerContext[handlers.Deps]) -> None:
    # The run date is the request's own: a re-delivery or replay asks for the same window.
    run_date = message.metadata.occurred_at.date()
    outcome = handlers.extract(
        message.data, run_date=run_date, cause=message.metadata.event_id, deps=ctx.deps
    )
    if outcome is not None:
        ctx.publish(outcome, event_id=deterministic_event_id(outcome.DETAIL_TYPE, outcome.run_id))


handler = consumer
