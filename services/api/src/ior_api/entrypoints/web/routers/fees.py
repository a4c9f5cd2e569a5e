"""`POST /api/fees/notices` (admin): record a fiscal year's customs fee figures with the notice they
come from. The fee table's answer arrives later: `GET /api/pipeline` shows its coverage and any
notice it refused, and a refused notice is an alert."""

from __future__ import annotations

from fastapi import APIRouter, status

from ior_api.entrypoints.web.dependencies import AdminUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import Accepted, FeeNoticeCreate
from ior_api.service_layer import requests

router = APIRouter(route_class=IncludedRoute, prefix="/fees", tags=["fees"])


@router.post("/notices", status_code=status.HTTP_202_ACCEPTED)
def record_notice(body: FeeNoticeCreate, principal: AdminUser, services: ServicesDep) -> Accepted:
    figures = body.model_dump(mode="json")
    asked = requests.fee_notice(services, figures, by=principal.user.username)
    return Accepted.model_validate(asked, from_attributes=True)
