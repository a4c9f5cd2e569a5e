"""`POST /api/compare`, `GET /api/comparisons[/{id}]`: asking for a comparison and reading results.

The request is recorded as well, so a client can follow its id before the answer arrives."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, status

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.explained import ComparisonExplained
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import (
    Accepted,
    ComparisonCreate,
    ComparisonIdPath,
    ComparisonPublic,
    Message,
)
from ior_api.service_layer import explanations, requests, views
from ior_api.service_layer.views import Parts

router = APIRouter(route_class=IncludedRoute, tags=["comparisons"])


@router.post("/compare", status_code=status.HTTP_202_ACCEPTED)
def request_comparison(body: ComparisonCreate, principal: CurrentUser, services: ServicesDep) -> Accepted:
    asked = requests.comparison(services, body.business_date, body.reason, by=principal.user.username)
    return Accepted.model_validate(asked, from_attributes=True)


@router.get("/comparisons")
def list_comparisons(_: CurrentUser, services: ServicesDep) -> list[ComparisonPublic]:
    found = [_public(cid, parts) for cid, parts in views.comparisons(services).items()]
    return sorted(found, key=lambda c: (c.business_date, c.comparison_id), reverse=True)


@router.get("/comparisons/{comparison_id}", responses={404: {"model": Message}})
def get_comparison(
    comparison_id: ComparisonIdPath, _: CurrentUser, services: ServicesDep
) -> ComparisonPublic:
    parts = views.comparison(services, comparison_id)
    if not parts:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no comparison {comparison_id!r}")
    return _public(comparison_id, parts)


@router.get("/comparisons/{comparison_id}/explained", responses={404: {"model": Message}})
def explain_comparison(
    comparison_id: ComparisonIdPath, _: CurrentUser, services: ServicesDep
) -> ComparisonExplained:
    """Each discrepancy with both sides together and its cause in the two runs' inputs."""
    try:
        found = explanations.explained(services, comparison_id)
    except explanations.ComparisonNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    return ComparisonExplained.model_validate(found)


def _public(comparison_id: str, parts: Parts) -> ComparisonPublic:
    result, requested = parts.get("completed"), parts.get("requested")
    first = result or parts.get("discrepancy") or requested or {}
    state: Literal["requested", "passed", "failed"] = "requested"
    if result is not None:
        state = "passed" if result["passed"] else "failed"
    return ComparisonPublic(
        comparison_id=comparison_id,
        business_date=first["business_date"],
        status=state,
        requested=requested,
        result=result,
        discrepancy=parts.get("discrepancy"),
    )
