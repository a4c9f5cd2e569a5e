"""The pipeline's moving parts as the dashboard shows them: each source's and dataset's recent runs,
every subscription's queue and DLQ depth, the archive's replays; and a window of the archive replayed
to one stage's rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from ior_contracts.vocabulary import DatasetName, Mode, SourceName

from ior_api.domain.readmodels import (
    FEE_TABLE_MEASURED,
    FEE_TABLE_PUBLISHED,
    HTS_CHANGED,
    HTS_LANDED,
    HTS_OVERDUE,
    REFERENCE,
    REPLAYS,
    dataset_runs,
    source_runs,
)
from ior_api.domain.reference import FeeTableCoverage, fee_table_coverage, waiting_revision
from ior_api.ports import ReadModelsPort, Services

# Enough recent runs to count the failures since the last success of a daily source for weeks.
RECENT_RUNS = 50


class UnknownStageError(LookupError):
    """No stage (service) of that name is deployed."""


@dataclass(frozen=True)
class Pipeline:
    at: datetime
    sources: dict[str, list[dict[str, Any]]]  # each source's recent runs, newest first
    datasets: dict[tuple[str, str], list[dict[str, Any]]]  # by dataset and mode, newest first
    queues: list[tuple[str, int, int]]  # (subscription, depth, DLQ depth)
    replays: list[dict[str, Any]]  # by name, each with what was asked for it
    reference: ReferenceState


@dataclass(frozen=True)
class ReferenceState:
    """The fee table's coverage, and the official HTS revision: the last landed, the newer one
    waiting (a line for a person, or None) and the last change to the company's numbers."""

    fees: FeeTableCoverage
    fee_table: dict[str, Any] | None  # the last `etl.fee_table.published.v1`, with its snapshot
    hts_landed: dict[str, Any] | None
    hts_waiting: str | None
    hts_changed: dict[str, Any] | None


def reference_state(readmodels: ReadModelsPort, now: datetime) -> ReferenceState:
    names = (FEE_TABLE_MEASURED, FEE_TABLE_PUBLISHED, HTS_LANDED, HTS_OVERDUE, HTS_CHANGED)
    found = readmodels.get_many([(REFERENCE, name) for name in names])
    measured, published, landed, overdue, changed = (found.get((REFERENCE, name)) for name in names)
    return ReferenceState(
        fee_table_coverage(measured, now), published, landed, waiting_revision(overdue, landed), changed
    )


def source_history(readmodels: ReadModelsPort, source: str) -> list[dict[str, Any]]:
    return readmodels.query(source_runs(source), newest_first=True, limit=RECENT_RUNS)


def dataset_history(readmodels: ReadModelsPort, dataset: str, mode: str) -> list[dict[str, Any]]:
    return readmodels.query(dataset_runs(dataset, mode), newest_first=True, limit=RECENT_RUNS)


def view(services: Services) -> Pipeline:
    now = services.clock()
    sources = {name: source_history(services.readmodels, name) for name in get_args(SourceName)}
    datasets = {
        (name, mode): dataset_history(services.readmodels, name, mode)
        for name in get_args(DatasetName)
        for mode in get_args(Mode)
    }
    return Pipeline(
        now,
        sources,
        datasets,
        services.operations.depths(),
        _replays(services),
        reference_state(services.readmodels, now),
    )


def replay(
    services: Services, stage: str, since: datetime, until: datetime, reason: str, *, by: str
) -> dict[str, Any]:
    """Start the replay and record what was asked; the record."""
    if stage not in services.operations.stages:
        known = ", ".join(sorted(services.operations.stages))
        raise UnknownStageError(f"no stage {stage!r}; stages: {known}")
    label = f"{stage}-{uuid.uuid4().hex[:12]}"
    name = services.operations.start_replay(label, stage, since, until, f"{by}: {reason}")
    record = {
        "name": name,
        "stage": stage,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "reason": reason,
        "requested_by": by,
        "state": "STARTING",
    }
    services.readmodels.put(REPLAYS, name, record)
    return record


def _replays(services: Services) -> list[dict[str, Any]]:
    requested = {r["name"]: r for r in services.readmodels.query(REPLAYS)}
    shown = []
    for started in services.operations.replays():
        asked = requested.get(started["ReplayName"], {})
        shown.append(
            {
                "name": started["ReplayName"],
                "state": started.get("State", "UNKNOWN"),
                "stage": asked.get("stage"),
                "since": started.get("EventStartTime"),
                "until": started.get("EventEndTime"),
                "reason": asked.get("reason"),
            }
        )
    return sorted(shown, key=lambda r: str(r["name"]))
