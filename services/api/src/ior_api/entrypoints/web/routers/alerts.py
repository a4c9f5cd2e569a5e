"""`GET /api/alerts`: the newest alerts first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import AlertPublic
from ior_api.service_layer import views

router = APIRouter(route_class=IncludedRoute, prefix="/alerts", tags=["alerts"])


@router.get("")
def list_alerts(
    _: CurrentUser, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[AlertPublic]:
    return [AlertPublic.model_validate(d) for d in views.alerts(services, limit)]
