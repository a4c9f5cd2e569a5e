"""What both entry points share: publishing through the handler context, and logging each run."""

from __future__ import annotations

from typing import Any

from ior_contracts.consumer import HandlerContext

from ior_etl.ports import Outgoing, Publish
from ior_etl.service_layer.publishing import RunOutcome


def publisher(ctx: HandlerContext[Any]) -> Publish:
    def publish(outgoing: Outgoing) -> None:
        ctx.publish(outgoing.event, business_date=outgoing.business_date, event_id=outgoing.event_id)

    return publish


def log_outcomes(ctx: HandlerContext[Any], outcomes: list[RunOutcome]) -> None:
    for outcome in outcomes:
        fields = {
            "dataset": outcome.dataset,
            "mode": outcome.mode,
            "status": outcome.status,
            "run_id": outcome.run_id,
            "version": outcome.version,
        }
        if outcome.status == "held":
            ctx.logger.warning(outcome.detail, extra=fields)
        else:
            ctx.logger.info(outcome.detail, extra=fields)
