"""`GET /api/daily-totals`: entered value, duty and fees per business date and mode, for the chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import DailyTotal, IsoDate
from ior_api.service_layer import views

router = APIRouter(route_class=IncludedRoute, prefix="/daily-totals", tags=["customs"])


@router.get("")
def daily_totals(
    _: CurrentUser,
    services: ServicesDep,
    since: Annotated[IsoDate | None, Query(alias="from")] = None,
    until: Annotated[IsoDate | None, Query(alias="to")] = None,
) -> list[DailyTotal]:
    return [
        DailyTotal(
            business_date=r["business_date"],
            mode=r["mode"],
            entries=r["totals"]["entries"],
            lines=r["totals"]["lines"],
            value_cents=r["totals"]["entered_value_cents"],
            duty_cents=r["totals"]["duty_cents"],
            mpf_cents=r["totals"]["mpf_cents"],
            hmf_cents=r["totals"]["hmf_cents"],
        )
        for r in views.customs_runs(services, since, until)
    ]
