"""`GET /api/entries/{entry_id}`: one entry summary with its lines and their lineage. The entry id
carries its arrival date (`<port>-<yyyymmdd>-<shipment>`), which names the run to read."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import EntryPublic, Message
from ior_api.service_layer import runs

router = APIRouter(route_class=IncludedRoute, prefix="/entries", tags=["customs"])

ENTRY_ID = r"^[A-Za-z0-9]{1,8}-[0-9]{8}-[A-Za-z0-9._-]{1,40}$"


@router.get("/{entry_id}", responses={404: {"model": Message}, 502: {"model": Message}})
def entry(
    entry_id: Annotated[str, Path(pattern=ENTRY_ID)],
    _: CurrentUser,
    services: ServicesDep,
    mode: Annotated[Literal["automated", "manual"] | None, Query()] = None,
) -> EntryPublic:
    arrival = _arrival(entry_id)
    run = runs.shown_run(services, arrival, mode)
    lines = runs.run_lines(services, run)
    found = lines.entries([entry_id]).get(entry_id)
    if found is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"no entry {entry_id} in the {run.mode} run of {arrival}"
        )
    head = lines.head()
    return EntryPublic(
        business_date=arrival,
        mode=run.mode,
        run_id=run.record["run_id"],
        official=run.official,
        datasets=head.get("datasets", {}),
        config_version=head.get("config_version", ""),
        entry=found,
    )


def _arrival(entry_id: str) -> date:
    digits = re.split("-", entry_id)[1]
    try:
        return datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{entry_id}: {digits} is not a date") from None
