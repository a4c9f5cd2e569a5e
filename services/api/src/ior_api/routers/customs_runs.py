"""`POST /api/customs-runs`: an admin asks the customs service to (re)generate a date."""

from __future__ import annotations

from fastapi import APIRouter, status
from ior_contracts.customs import CustomsRunRequested

from ior_api.deps import AdminUser, ServicesDep
from ior_api.schemas import Accepted, CustomsRunCreate

router = APIRouter(prefix="/customs-runs", tags=["customs"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def request_run(body: CustomsRunCreate, principal: AdminUser, services: ServicesDep) -> Accepted:
    event = CustomsRunRequested(
        business_date=body.business_date,
        mode=body.mode,
        reason=body.reason,
        requested_by=principal.user.username,
    )
    metadata = services.publisher.publish(event, business_date=body.business_date)
    return Accepted(id=metadata.event_id, detail_type=event.DETAIL_TYPE, event_id=metadata.event_id)
