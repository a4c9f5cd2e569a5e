"""`POST /api/compare`, `GET /api/comparisons[/{id}]`: asking for a comparison and reading results.

The request is recorded here as well, so a client can follow its id before the answer arrives."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, status
from ior_contracts.compare import ComparisonRequested

from ior_api.adapters.readmodels import COMPARISONS
from ior_api.deps import CurrentUser, ServicesDep
from ior_api.projections import comparison_key
from ior_api.schemas import Accepted, ComparisonCreate, ComparisonPublic, Message

router = APIRouter(tags=["comparisons"])


@router.post("/compare", status_code=status.HTTP_202_ACCEPTED)
def request_comparison(body: ComparisonCreate, principal: CurrentUser, services: ServicesDep) -> Accepted:
    comparison_id = f"cmp-{body.business_date.isoformat()}-{uuid.uuid4().hex[:12]}"
    event = ComparisonRequested(
        business_date=body.business_date,
        comparison_id=comparison_id,
        requested_by=principal.user.username,
        reason=body.reason,
    )
    pk, sk = comparison_key(comparison_id, "requested")
    services.readmodels.put(pk, sk, event.model_dump(mode="json"), only_if_new=True)
    metadata = services.publisher.publish(event, business_date=body.business_date)
    return Accepted(id=comparison_id, detail_type=event.DETAIL_TYPE, event_id=metadata.event_id)


@router.get("/comparisons")
def list_comparisons(_: CurrentUser, services: ServicesDep) -> list[ComparisonPublic]:
    parts: dict[str, dict[str, dict[str, Any]]] = {}
    for doc in services.readmodels.query(COMPARISONS):
        comparison_id, part = doc.pop("_sk").rsplit("#", 1)
        parts.setdefault(comparison_id, {})[part] = doc
    found = [_public(cid, p) for cid, p in parts.items()]
    return sorted(found, key=lambda c: (c.business_date, c.comparison_id), reverse=True)


@router.get("/comparisons/{comparison_id}", responses={404: {"model": Message}})
def get_comparison(comparison_id: str, _: CurrentUser, services: ServicesDep) -> ComparisonPublic:
    parts: dict[str, dict[str, Any]] = {}
    for doc in services.readmodels.query(COMPARISONS, prefix=f"{comparison_id}#"):
        parts[doc.pop("_sk").rsplit("#", 1)[1]] = doc
    if not parts:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no comparison {comparison_id!r}")
    return _public(comparison_id, parts)


def _public(comparison_id: str, parts: dict[str, dict[str, Any]]) -> ComparisonPublic:
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
