"""`GET /api/alerts`: the newest alerts first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ior_api.adapters.readmodels import ALERTS
from ior_api.deps import CurrentUser, ServicesDep
from ior_api.schemas import AlertPublic

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("")
def list_alerts(
    _: CurrentUser, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[AlertPublic]:
    return [
        AlertPublic.model_validate(d)
        for d in services.readmodels.query(ALERTS, newest_first=True, limit=limit)
    ]
