"""What people ask of the pipeline, put on the bus: a customs run, a comparison, a cutover change.
The answers arrive later as events and show up in the read models."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from ior_contracts.cutover import CutoverAction, CutoverChangeRequested
from ior_contracts.fees import FeeNoticeSubmitted
from ior_contracts.vocabulary import Mode

from ior_api.domain.readmodels import comparison_key
from ior_api.ports import Services


@dataclass(frozen=True)
class Requested:
    """A request on the bus: the id to follow it by, its contract and its event id."""

    id: str
    detail_type: str
    event_id: str


def fee_notice(services: Services, figures: dict[str, Any], *, by: str) -> Requested:
    """An admin's fee notice: the ingestion service keeps it and lands the notices again; the ETL
    answers with the fee table (`etl.fee_table.published/confirmed.v1`, naming this notice), which the
    pipeline view and, when refused, the alerts show."""
    event = FeeNoticeSubmitted.model_validate({**figures, "submitted_by": by})
    metadata = services.publisher.publish(event)
    return Requested(metadata.event_id, event.DETAIL_TYPE, metadata.event_id)


def customs_run(services: Services, business_date: date, mode: Mode, reason: str, *, by: str) -> Requested:
    # Imported when a run is asked for: the customs contracts, the largest module of them, are no part
    # of what every request needs, and the function's cold start need not load them.
    from ior_contracts.customs import CustomsRunRequested

    event = CustomsRunRequested(business_date=business_date, mode=mode, reason=reason, requested_by=by)
    metadata = services.publisher.publish(event, business_date=business_date)
    return Requested(metadata.event_id, event.DETAIL_TYPE, metadata.event_id)


def comparison(services: Services, business_date: date, reason: str, *, by: str) -> Requested:
    """Recorded here as well, so a client can follow its id before the answer arrives."""
    from ior_contracts.compare import ComparisonRequested  # as for the customs run's contract

    comparison_id = f"cmp-{business_date.isoformat()}-{uuid.uuid4().hex[:12]}"
    event = ComparisonRequested(
        business_date=business_date, comparison_id=comparison_id, requested_by=by, reason=reason
    )
    pk, sk = comparison_key(comparison_id, "requested")
    services.readmodels.put(pk, sk, event.model_dump(mode="json"), only_if_new=True)
    metadata = services.publisher.publish(event, business_date=business_date)
    return Requested(comparison_id, event.DETAIL_TYPE, metadata.event_id)


def cutover_change(
    services: Services,
    action: CutoverAction,
    effective_date: date,
    reason: str,
    *,
    force: bool,
    by: str,
) -> Requested:
    """The compare service decides, and answers with `cutover.state.changed.v1`."""
    request_id = f"chg-{uuid.uuid4().hex[:16]}"
    event = CutoverChangeRequested(
        action=action,
        effective_date=effective_date,
        reason=reason,
        force=force,
        requested_by=by,
        request_id=request_id,
    )
    metadata = services.publisher.publish(event)
    return Requested(request_id, event.DETAIL_TYPE, metadata.event_id)
