"""What both entry points report of a message: each run's outcome, one log line a dataset."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from ior_etl.service_layer.publishing import RunOutcome


def log_outcomes(outcomes: list[RunOutcome], logger: Logger) -> None:
    for outcome in outcomes:
        fields = {
            "dataset": outcome.dataset,
            "mode": outcome.mode,
            "status": outcome.status,
            "run_id": outcome.run_id,
            "version": outcome.version,
        }
        if outcome.status == "held":
            logger.warning(outcome.detail, extra=fields)
        else:
            logger.info(outcome.detail, extra=fields)
