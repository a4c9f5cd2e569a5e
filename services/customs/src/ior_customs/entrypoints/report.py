"""What both subscriptions log of a handler's outcome (the routes' `report`): each date's run, its
fallbacks, and why a date was skipped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ior_customs.service_layer.runs import SKIPPED, RunOutcome

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger


def log_outcomes(outcomes: list[RunOutcome], logger: Logger) -> None:
    for outcome in outcomes:
        fields = {
            "business_date": outcome.business_date.isoformat(),
            "mode": outcome.mode,
            "status": outcome.status,
            "run_id": outcome.run_id,
        }
        for fallback in outcome.fallbacks:
            logger.warning(
                f"{fallback.dataset} fell back to {fallback.version} ({fallback.reason}): {fallback.detail}",
                extra=fields,
            )
        if outcome.status == SKIPPED and outcome.waiting:
            logger.info(outcome.detail, extra=fields)
        elif outcome.status == SKIPPED:
            # No contract announces a run that cannot start for unreadable data; the log does.
            logger.warning(outcome.detail, extra=fields)
        else:
            message = f"run {outcome.status}" + (f": {outcome.detail}" if outcome.detail else "")
            logger.info(message, extra=fields)
