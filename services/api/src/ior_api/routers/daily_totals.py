"""`GET /api/daily-totals`: entered value, duty and fees per business date and mode, for the chart."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from ior_api.adapters.readmodels import CUSTOMS_RUNS
from ior_api.deps import CurrentUser, ServicesDep
from ior_api.schemas import DailyTotal, IsoDate

router = APIRouter(prefix="/daily-totals", tags=["customs"])


@router.get("")
def daily_totals(
    _: CurrentUser,
    services: ServicesDep,
    since: Annotated[IsoDate | None, Query(alias="from")] = None,
    until: Annotated[IsoDate | None, Query(alias="to")] = None,
) -> list[DailyTotal]:
    until = until or services.clock().date()
    since = since or until - timedelta(days=90)
    if since > until:
        return []
    # One item per date and mode: even years of dates are a small query.
    # `~` sorts after `#`: the upper bound takes every mode of the last date.
    runs = services.readmodels.query(CUSTOMS_RUNS, between=(since.isoformat(), f"{until.isoformat()}~"))
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
        for r in runs
    ]
