"""`POST /api/customs-runs`: an admin asks the customs service to (re)generate a date."""

from __future__ import annotations

from fastapi import APIRouter, status

from ior_api.entrypoints.web.dependencies import AdminUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import Accepted, CustomsRunCreate
from ior_api.service_layer import requests

router = APIRouter(route_class=IncludedRoute, prefix="/customs-runs", tags=["customs"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def request_run(body: CustomsRunCreate, principal: AdminUser, services: ServicesDep) -> Accepted:
    asked = requests.customs_run(
        services, body.business_date, body.mode, body.reason, by=principal.user.username
    )
    return Accepted.model_validate(asked, from_attributes=True)
