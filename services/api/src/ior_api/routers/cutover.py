"""`GET /api/cutover` (the gate and the parity streak as the compare service announced them) and
`POST /api/cutover` (admin: ask for a change; the compare service decides and answers with
`cutover.state.changed.v1`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from ior_contracts.cutover import CutoverChangeRequested

from ior_api.adapters.readmodels import COMPARISONS, CUTOVER_CHANGES, OFFICIAL_RUNS
from ior_api.deps import AdminUser, CurrentUser, ServicesDep
from ior_api.parity import PARITY_DAYS, latest_completions, required_streak
from ior_api.schemas import Accepted, CutoverCreate, CutoverPublic, ParityDay

router = APIRouter(prefix="/cutover", tags=["cutover"])


@router.get("")
def get_cutover(_: CurrentUser, services: ServicesDep) -> CutoverPublic:
    changes = [_strip(d) for d in services.readmodels.query(CUTOVER_CHANGES, newest_first=True)]
    official = [_strip(d) for d in services.readmodels.query(OFFICIAL_RUNS, newest_first=True, limit=31)]
    latest = changes[0] if changes else None
    compared = latest_completions(services.readmodels.query(COMPARISONS))[:PARITY_DAYS]
    newest = compared[0] if compared else None
    return CutoverPublic(
        state=latest["state"] if latest else "shadow",
        effective_date=latest["effective_date"] if latest else None,
        changes=changes,
        official_runs=official,
        streak=newest.get("streak") if newest else None,
        required_streak=required_streak(newest, changes),
        parity=[
            ParityDay(business_date=c["business_date"], passed=c["passed"], streak=c.get("streak"))
            for c in compared
        ],
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def request_change(body: CutoverCreate, principal: AdminUser, services: ServicesDep) -> Accepted:
    request_id = f"chg-{uuid.uuid4().hex[:16]}"
    event = CutoverChangeRequested(
        action=body.action,
        effective_date=body.effective_date,
        reason=body.reason,
        force=body.force,
        requested_by=principal.user.username,
        request_id=request_id,
    )
    metadata = services.publisher.publish(event)
    return Accepted(id=request_id, detail_type=event.DETAIL_TYPE, event_id=metadata.event_id)


def _strip(doc: dict[str, object]) -> dict[str, object]:
    doc.pop("_sk", None)
    return doc
