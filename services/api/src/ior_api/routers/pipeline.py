"""`GET /api/pipeline`: each source and dataset with its last run, freshness and failures, and every
subscription's queue and DLQ depth; `POST /api/pipeline/replay` (admin): replay a window of the
archive to one stage's rules."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, get_args

from fastapi import APIRouter, HTTPException, status
from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE, Freshness, assess
from ior_contracts.vocabulary import DatasetName, Mode, SourceName

from ior_api.adapters.readmodels import REPLAYS, dataset_runs, source_runs
from ior_api.deps import AdminUser, CurrentUser, Services, ServicesDep
from ior_api.schemas import (
    DatasetStatus,
    FreshnessPublic,
    Message,
    PipelinePublic,
    QueueStatus,
    ReplayCreate,
    ReplayPublic,
    RunPublic,
    SourceStatus,
)

router = APIRouter(prefix="/pipeline", tags=["pipeline"])

REFRESHED = frozenset({"published", "confirmed"})
# Enough recent runs to count the failures since the last success of a daily source for weeks.
RECENT_RUNS = 50


@router.get("")
def pipeline(_: CurrentUser, services: ServicesDep) -> PipelinePublic:
    now = services.clock()
    sources = [
        _source(name, services.readmodels.query(source_runs(name), newest_first=True, limit=RECENT_RUNS), now)
        for name in get_args(SourceName)
    ]
    datasets = [
        _dataset(
            name,
            mode,
            services.readmodels.query(dataset_runs(name, mode), newest_first=True, limit=RECENT_RUNS),
            now,
        )
        for name in get_args(DatasetName)
        for mode in get_args(Mode)
    ]
    queues = [QueueStatus(subscription=s, depth=d, dlq_depth=q) for s, d, q in services.operations.depths()]
    return PipelinePublic(
        generated_at=now, sources=sources, datasets=datasets, queues=queues, replays=_replays(services)
    )


@router.post("/replay", status_code=status.HTTP_202_ACCEPTED, responses={404: {"model": Message}})
def replay(body: ReplayCreate, principal: AdminUser, services: ServicesDep) -> ReplayPublic:
    if body.stage not in services.operations.stages:
        known = ", ".join(sorted(services.operations.stages))
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no stage {body.stage!r}; stages: {known}")
    label = f"{body.stage}-{uuid.uuid4().hex[:12]}"
    description = f"{principal.user.username}: {body.reason}"
    name = services.operations.start_replay(label, body.stage, body.since, body.until, description)
    record = {
        "name": name,
        "stage": body.stage,
        "since": body.since.isoformat(),
        "until": body.until.isoformat(),
        "reason": body.reason,
        "requested_by": principal.user.username,
        "state": "STARTING",
    }
    services.readmodels.put(REPLAYS, name, record)
    return ReplayPublic.model_validate(record)


def _source(name: str, runs: list[dict[str, Any]], now: datetime) -> SourceStatus:
    success = next((r for r in runs if r["status"] == "landed"), None)
    last_success = datetime.fromisoformat(success["at"]) if success else None
    return SourceStatus(
        name=name,
        last_run=RunPublic.model_validate(runs[0]) if runs else None,
        last_success_at=last_success,
        failures=_since_last(runs, frozenset({"landed"})),
        freshness=_freshness(assess(last_success, now, SOURCE_MAX_AGE[name])),  # type: ignore[index]
    )


def _dataset(name: str, mode: str, runs: list[dict[str, Any]], now: datetime) -> DatasetStatus:
    published = next((r for r in runs if r["status"] == "published"), None)
    # The newest refresh: a publication, or a rebuild that confirmed the current version unchanged.
    refreshed = next((r for r in runs if r["status"] in REFRESHED), None)
    at = datetime.fromisoformat(refreshed["at"]) if refreshed else None
    return DatasetStatus(
        name=name,
        mode=mode,
        version=refreshed["version"] if refreshed else None,
        published_at=at,
        rows=published["rows"] if published else None,
        rejected_rows=published["rejected_rows"] if published else None,
        held=bool(runs) and runs[0]["status"] == "held",
        failures=_since_last(runs, REFRESHED),
        freshness=_freshness(assess(at, now, DATASET_MAX_AGE[name])),  # type: ignore[index]
    )


def _since_last(runs: list[dict[str, Any]], success: frozenset[str]) -> int:
    count = 0
    for run in runs:
        if run["status"] in success:
            break
        count += 1
    return count


def _freshness(f: Freshness) -> FreshnessPublic:
    return FreshnessPublic(state=f.state, age_s=f.age_s, max_age_s=f.max_age_s)


def _replays(services: Services) -> list[ReplayPublic]:
    requested = {r["name"]: r for r in services.readmodels.query(REPLAYS)}
    shown = []
    for replay in services.operations.replays():
        asked = requested.get(replay["ReplayName"], {})
        shown.append(
            ReplayPublic(
                name=replay["ReplayName"],
                state=replay.get("State", "UNKNOWN"),
                stage=asked.get("stage"),
                since=replay.get("EventStartTime"),
                until=replay.get("EventEndTime"),
                reason=asked.get("reason"),
            )
        )
    return sorted(shown, key=lambda r: r.name)
