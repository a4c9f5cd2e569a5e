"""The cutover gate's answer to a request: a change applied, audited, announced and followed by
the designations it alters; or a refusal, recorded and audited. Each request id is answered once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from aws_lambda_powertools import Logger
from ior_contracts.consumer import Publish
from ior_contracts.cutover import CutoverChangeRequested, CutoverStateChanged
from ior_contracts.envelope import deterministic_event_id

from ior_compare.domain.cutover import (
    CutoverError,
    GateState,
    StateChange,
    current_state,
    request_cutover,
    rollback,
    state_on,
)
from ior_compare.domain.records import Refusal
from ior_compare.domain.report_json import canonical_json
from ior_compare.domain.status import streak
from ior_compare.ports import Deps
from ior_compare.service_layer.announcing import announce
from ior_compare.service_layer.designating import designate_all

logger = Logger(service="ior-compare", child=True)

# Concurrent requests are settled by the gate's sequence number; the loser decides again.
_ATTEMPTS = 5


class GateConflictError(RuntimeError):
    """The gate kept changing under this request, or its record disagrees with itself."""


def answer(
    request: CutoverChangeRequested, *, event_id: str, deps: Deps, publish: Publish
) -> StateChange | Refusal | None:
    """Apply or refuse `request`; None when it was answered before (nothing new)."""
    for _ in range(_ATTEMPTS):
        answered = deps.gate.request(request.request_id)
        if answered is not None:
            # Answered before; complete what a crash may have left undone, announce nothing new.
            if answered.change_id is not None and not answered.done:
                _finish(answered.change_id, deps, publish)
            if answered.refusal is not None:
                _audit_refusal(answered.refusal, deps)
            return None
        changes = deps.gate.changes()
        at = deps.clock()
        found = streak(deps.ledger.days(), deps.calendar, today=at.date()).days
        try:
            change = _decide(request, current_state(changes), found, at, deps)
        except CutoverError as exc:
            refusal = Refusal(
                request_id=request.request_id,
                action=request.action,
                effective_date=request.effective_date,
                reason=request.reason,
                force=request.force,
                requested_by=request.requested_by,
                refused_because=str(exc),
                error=type(exc).__name__,
                streak=found,
                required_streak=deps.config.required_streak,
                state=current_state(changes).state,
                at=at,
                event_id=event_id,
            )
            if not deps.gate.refuse(refusal):
                continue  # answered meanwhile: report that answer instead
            _audit_refusal(refusal, deps)
            logger.warning("cutover request refused", extra=refusal.audit_data())
            return refusal
        if deps.gate.apply(change, len(changes) + 1, event_id):
            _finish(change.change_id, deps, publish)
            return change
    raise GateConflictError(f"the gate kept changing while request {request.request_id} was decided")


def _decide(
    request: CutoverChangeRequested, gate: GateState, found: int, at: datetime, deps: Deps
) -> StateChange:
    required = deps.config.required_streak
    if request.action == "cutover":
        return request_cutover(
            gate, streak=found, effective_date=request.effective_date, reason=request.reason,
            actor=request.requested_by, request_id=request.request_id, at=at, force=request.force,
            required=required,
        )  # fmt: skip
    return rollback(
        gate, streak=found, effective_date=request.effective_date, reason=request.reason,
        actor=request.requested_by, request_id=request.request_id, at=at, required=required,
    )  # fmt: skip


def _audit_refusal(refusal: Refusal, deps: Deps) -> None:
    body = canonical_json(refusal.audit_data())
    deps.objects.put_audit(f"cutover/refused/{refusal.request_id}.json", body, "application/json")


def _finish(change_id: str, deps: Deps, publish: Publish) -> None:
    """Audit, announce and designate an applied change (again after a crash: each step is once-only)."""
    changes = deps.gate.changes()
    applied = [index for index, change in enumerate(changes, start=1) if change.change_id == change_id]
    if not applied:
        raise GateConflictError(f"change {change_id} is recorded as applied but is not among the changes")
    seq = applied[0]
    change = changes[seq - 1]
    deps.objects.put_audit(
        f"cutover/{change.change_id}.json", canonical_json(change.audit_data(seq)), "application/json"
    )
    event = CutoverStateChanged.model_validate(change.event_data())
    event_id = deterministic_event_id(CutoverStateChanged.DETAIL_TYPE, change.change_id)
    announce(deps, publish, event, event_id=event_id, business_date=change.effective_date)
    dates = affected(changes[: seq - 1], changes[:seq], [day.business_date for day in deps.ledger.days()])
    designate_all(dates, cause=change.change_id, deps=deps, publish=publish)
    deps.gate.finish(change.request_id)


def affected(
    before: Sequence[StateChange], after: Sequence[StateChange], dates: Sequence[date]
) -> list[date]:
    """The dates whose state the change altered."""
    return [day for day in dates if state_on(before, day) != state_on(after, day)]
