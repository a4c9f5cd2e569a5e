"""The pipeline's moving parts as the dashboard shows them: each source's and dataset's recent runs,
every subscription's queue and DLQ depth, the archive's replays; and a window of the archive replayed
to one stage's rules.

The view is a read model: one snapshot document, read with the last projected change in one round
trip. It is rebuilt (about twenty queries and two SQS calls per subscription) only when a projected
event changed what it shows, or when its queue depths are older than `QUEUES_MAX_AGE_S`; one request
per process rebuilds while the others wait for its result rather than rebuilding too."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from ior_contracts.vocabulary import DatasetName, Mode, SourceName

from ior_api.domain.pipeline import LANDED, PUBLISHED, REFRESHED
from ior_api.domain.readmodels import (
    FEE_TABLE_MEASURED,
    FEE_TABLE_PUBLISHED,
    HTS_CHANGED,
    HTS_LANDED,
    HTS_OVERDUE,
    PIPELINE_VIEW,
    REFERENCE,
    REPLAYS,
    VIEW_CHANGED,
    VIEW_SNAPSHOT,
    dataset_runs,
    source_runs,
)
from ior_api.domain.reference import FeeTableCoverage, fee_table_coverage, waiting_revision
from ior_api.ports import ReadModelsPort, Services

# Enough recent runs to count the failures since the last success of a daily source for weeks.
RECENT_RUNS = 50
# Queue depths change without an event: a snapshot's are read again when older than this.
QUEUES_MAX_AGE_S = 10
# A snapshot larger than this is not kept (DynamoDB's item limit is 400 KB); the view is then built.
MAX_SNAPSHOT_BYTES = 300_000
_REFERENCE_NAMES = (FEE_TABLE_MEASURED, FEE_TABLE_PUBLISHED, HTS_LANDED, HTS_OVERDUE, HTS_CHANGED)
_rebuilding = threading.Lock()


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
    found = readmodels.get_many([(REFERENCE, name) for name in _REFERENCE_NAMES])
    return _reference_from({name: found.get((REFERENCE, name)) for name in _REFERENCE_NAMES}, now)


def _reference_from(documents: dict[str, dict[str, Any] | None], now: datetime) -> ReferenceState:
    measured, published, landed, overdue, changed = (documents.get(name) for name in _REFERENCE_NAMES)
    return ReferenceState(
        fee_table_coverage(measured, now), published, landed, waiting_revision(overdue, landed), changed
    )


def source_history(readmodels: ReadModelsPort, source: str) -> list[dict[str, Any]]:
    return readmodels.query(source_runs(source), newest_first=True, limit=RECENT_RUNS)


def dataset_history(readmodels: ReadModelsPort, dataset: str, mode: str) -> list[dict[str, Any]]:
    return readmodels.query(dataset_runs(dataset, mode), newest_first=True, limit=RECENT_RUNS)


def view(services: Services) -> Pipeline:
    """The pipeline now: from the snapshot when it reflects the last projected change and its queue
    depths are recent, else rebuilt (and kept) first."""
    now = services.clock()
    snapshot = _current_snapshot(services.readmodels, now)
    if snapshot is None:
        with _rebuilding:
            # Another request may have rebuilt it while this one waited.
            snapshot = _current_snapshot(services.readmodels, now) or _rebuild(services, now)
    return _from_snapshot(snapshot, now)


def _current_snapshot(readmodels: ReadModelsPort, now: datetime) -> dict[str, Any] | None:
    found = readmodels.get_many([(PIPELINE_VIEW, VIEW_CHANGED), (PIPELINE_VIEW, VIEW_SNAPSHOT)])
    changed, snapshot = found.get((PIPELINE_VIEW, VIEW_CHANGED)), found.get((PIPELINE_VIEW, VIEW_SNAPSHOT))
    if snapshot is None or snapshot["token"] != (changed or {}).get("token"):
        return None
    age = (now - datetime.fromisoformat(snapshot["built_at"])).total_seconds()
    return snapshot if 0 <= age <= QUEUES_MAX_AGE_S else None


def _rebuild(services: Services, now: datetime) -> dict[str, Any]:
    # The change is read before the runs: a change projected meanwhile leaves the snapshot outdated.
    changed = services.readmodels.get_many([(PIPELINE_VIEW, VIEW_CHANGED)]).get((PIPELINE_VIEW, VIEW_CHANGED))
    snapshot = {
        "token": (changed or {}).get("token"),
        "built_at": now.isoformat(),
        "sources": {
            name: _trimmed(source_history(services.readmodels, name), LANDED) for name in get_args(SourceName)
        },
        "datasets": {
            f"{name}#{mode}": _trimmed(
                dataset_history(services.readmodels, name, mode), REFRESHED | PUBLISHED
            )
            for name in get_args(DatasetName)
            for mode in get_args(Mode)
        },
        "reference": {
            name: doc
            for (_, name), doc in services.readmodels.get_many(
                [(REFERENCE, name) for name in _REFERENCE_NAMES]
            ).items()
        },
        "queues": [list(found) for found in services.operations.depths()],
        "replays": _replays(services),
    }
    if len(json.dumps(snapshot)) <= MAX_SNAPSHOT_BYTES:
        services.readmodels.put(PIPELINE_VIEW, VIEW_SNAPSHOT, snapshot)
    return snapshot


def _trimmed(runs: list[dict[str, Any]], successes: frozenset[str]) -> list[dict[str, Any]]:
    """The newest runs up to the oldest one the view reads: the newest of each successful status."""
    last = 0
    for status in successes:
        at = next((i for i, run in enumerate(runs) if run["status"] == status), None)
        last = max(last, at if at is not None else len(runs) - 1)
    return runs[: last + 1]


def _from_snapshot(snapshot: dict[str, Any], now: datetime) -> Pipeline:
    datasets = {tuple(key.split("#", 1)): runs for key, runs in snapshot["datasets"].items()}
    return Pipeline(
        now,
        snapshot["sources"],
        datasets,
        [(s, int(d), int(q)) for s, d, q in snapshot["queues"]],
        snapshot["replays"],
        _reference_from(snapshot["reference"], now),
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
    # The view lists the replays: the next one shows this one.
    services.readmodels.put(PIPELINE_VIEW, VIEW_CHANGED, {"token": f"replay#{name}"})
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
                "since": _iso(started.get("EventStartTime")),
                "until": _iso(started.get("EventEndTime")),
                "reason": asked.get("reason"),
            }
        )
    return sorted(shown, key=lambda r: str(r["name"]))


def _iso(moment: datetime | str | None) -> str | None:
    """A replay's time as kept in the snapshot (JSON text)."""
    return moment.isoformat() if isinstance(moment, datetime) else moment
