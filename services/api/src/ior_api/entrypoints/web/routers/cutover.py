"""`GET /api/cutover` (the gate and the parity streak as the compare service announced them) and
`POST /api/cutover` (admin: ask for a change; the compare service decides and answers with
`cutover.state.changed.v1`)."""

from __future__ import annotations

from fastapi import APIRouter, status

from ior_api.entrypoints.web.dependencies import AdminUser, CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import Accepted, CutoverCreate, CutoverPublic, ParityDay
from ior_api.service_layer import requests, views

router = APIRouter(route_class=IncludedRoute, prefix="/cutover", tags=["cutover"])


@router.get("")
def get_cutover(_: CurrentUser, services: ServicesDep) -> CutoverPublic:
    gate = views.cutover(services)
    latest, newest = gate.latest, gate.newest
    return CutoverPublic(
        state=latest["state"] if latest else "shadow",
        effective_date=latest["effective_date"] if latest else None,
        changes=gate.changes,
        official_runs=gate.official_runs,
        streak=newest.get("streak") if newest else None,
        required_streak=gate.required_streak,
        parity=[
            ParityDay(business_date=c["business_date"], passed=c["passed"], streak=c.get("streak"))
            for c in gate.compared
        ],
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def request_change(body: CutoverCreate, principal: AdminUser, services: ServicesDep) -> Accepted:
    asked = requests.cutover_change(
        services,
        body.action,
        body.effective_date,
        body.reason,
        force=body.force,
        by=principal.user.username,
    )
    return Accepted.model_validate(asked, from_attributes=True)
