"""`GET /api/pipeline`: each source and dataset with its last run, freshness and failures, and every
subscription's queue and DLQ depth; `POST /api/pipeline/replay` (admin): replay a window of the
archive to one stage's rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE, Freshness, assess

from ior_api.domain.pipeline import LANDED, PUBLISHED, REFRESHED, failures_since, newest
from ior_api.entrypoints.web.dependencies import AdminUser, CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import (
    DatasetStatus,
    FeeTableStatus,
    FreshnessPublic,
    HtsCodeChangePublic,
    HtsRevisionStatus,
    Message,
    PipelinePublic,
    QueueStatus,
    RefusedNoticePublic,
    ReplayCreate,
    ReplayPublic,
    RunPublic,
    SourceStatus,
)
from ior_api.service_layer.pipeline import ReferenceState
from ior_api.service_layer.pipeline import replay as start_replay
from ior_api.service_layer.pipeline import view as pipeline_now

router = APIRouter(route_class=IncludedRoute, prefix="/pipeline", tags=["pipeline"])


@router.get("")
def pipeline(_: CurrentUser, services: ServicesDep) -> PipelinePublic:
    view = pipeline_now(services)
    return PipelinePublic(
        generated_at=view.at,
        sources=[_source(name, runs, view.at) for name, runs in view.sources.items()],
        datasets=[_dataset(name, mode, runs, view.at) for (name, mode), runs in view.datasets.items()],
        queues=[QueueStatus(subscription=s, depth=d, dlq_depth=q) for s, d, q in view.queues],
        replays=[ReplayPublic.model_validate(r) for r in view.replays],
        fee_table=_fee_table(view.reference),
        hts_revision=_hts_revision(view.reference),
    )


def _fee_table(reference: ReferenceState) -> FeeTableStatus:
    fees = reference.fees
    return FeeTableStatus(
        version=fees.version,
        covered_until=fees.covered_until,
        days_ahead=fees.days_ahead,
        threshold_days=fees.threshold_days,
        short=fees.short,
        measured_at=datetime.fromisoformat(fees.measured_at) if fees.measured_at else None,
        problem=fees.problem(),
        refused=[RefusedNoticePublic.model_validate(r) for r in fees.rejected],
    )


def _hts_revision(reference: ReferenceState) -> HtsRevisionStatus:
    landed, changed = reference.hts_landed or {}, reference.hts_changed or {}
    return HtsRevisionStatus(
        landed=landed.get("revision"),
        landed_at=datetime.fromisoformat(landed["at"]) if landed else None,
        waiting=reference.hts_waiting,
        changed_from=changed.get("previous_revision"),
        changed_to=changed.get("revision"),
        changed_count=int(changed.get("changed_count", 0)),
        changed=[HtsCodeChangePublic.model_validate(c) for c in changed.get("changed", [])],
    )


@router.post("/replay", status_code=status.HTTP_202_ACCEPTED, responses={404: {"model": Message}})
def replay(body: ReplayCreate, principal: AdminUser, services: ServicesDep) -> ReplayPublic:
    record = start_replay(
        services, body.stage, body.since, body.until, body.reason, by=principal.user.username
    )
    return ReplayPublic.model_validate(record)


def _source(name: str, runs: list[dict[str, Any]], now: datetime) -> SourceStatus:
    success = newest(runs, LANDED)
    last_success = datetime.fromisoformat(success["at"]) if success else None
    return SourceStatus(
        name=name,
        last_run=RunPublic.model_validate(runs[0]) if runs else None,
        last_success_at=last_success,
        failures=failures_since(runs, LANDED),
        freshness=_freshness(assess(last_success, now, SOURCE_MAX_AGE[name])),  # type: ignore[index]
    )


def _dataset(name: str, mode: str, runs: list[dict[str, Any]], now: datetime) -> DatasetStatus:
    published = newest(runs, PUBLISHED)
    refreshed = newest(runs, REFRESHED)
    at = datetime.fromisoformat(refreshed["at"]) if refreshed else None
    return DatasetStatus(
        name=name,
        mode=mode,
        version=refreshed["version"] if refreshed else None,
        published_at=at,
        rows=published["rows"] if published else None,
        rejected_rows=published["rejected_rows"] if published else None,
        held=bool(runs) and runs[0]["status"] == "held",
        failures=failures_since(runs, REFRESHED),
        freshness=_freshness(assess(at, now, DATASET_MAX_AGE[name])),  # type: ignore[index]
    )


def _freshness(f: Freshness) -> FreshnessPublic:
    return FreshnessPublic(state=f.state, age_s=f.age_s, max_age_s=f.max_age_s)
