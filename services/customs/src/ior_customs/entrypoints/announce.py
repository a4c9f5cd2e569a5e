"""What both entry points share: publishing a run's events through the handler context, and
logging what became of each date."""

from __future__ import annotations

from typing import Any

from ior_contracts.consumer import HandlerContext

from ior_customs.ports import Outgoing, Publish
from ior_customs.runs import SKIPPED, RunOutcome


def publisher(ctx: HandlerContext[Any]) -> Publish:
    def publish(outgoing: Outgoing) -> None:
        ctx.publish(outgoing.event, business_date=outgoing.business_date, event_id=outgoing.event_id)

    return publish


def log_outcomes(ctx: HandlerContext[Any], outcomes: list[RunOutcome]) -> None:
    for outcome in outcomes:
        fields = {
            "business_date": outcome.business_date.isoformat(),
            "mode": outcome.mode,
            "status": outcome.status,
            "run_id": outcome.run_id,
        }
        for fallback in outcome.fallbacks:
            ctx.logger.warning(
                f"{fallback.dataset} fell back to {fallback.version} ({fallback.reason}): {fallback.detail}",
                extra=fields,
            )
        if outcome.status == SKIPPED and outcome.waiting:
            ctx.logger.info(outcome.detail, extra=fields)
        elif outcome.status == SKIPPED:
            # No contract announces a run that cannot start for unreadable data; the log does.
            ctx.logger.warning(outcome.detail, extra=fields)
        else:
            message = f"run {outcome.status}" + (f": {outcome.detail}" if outcome.detail else "")
            ctx.logger.info(message, extra=fields)
