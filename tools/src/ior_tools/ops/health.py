"""How fresh each source and dataset is, read from the events the stack has seen, and whether the
stack is healthy: what `ior status` shows and `ior status --check` turns into an exit code.

Each is judged by `ior_contracts.freshness`, the same thresholds the API and the alarms use. A
source is failing when its last failure came after its last landing. The automated datasets must
be fresh; the manual ones are shown but never judged, since the analysts' uploads stop after cutover."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE, Freshness, assess
from ior_contracts.vocabulary import Mode

from ior_tools.runtime.eventlog import LoggedEvent

LANDED = "ingestion.extract.landed.v1"
FAILED = "ingestion.extract.failed.v1"
PUBLISHED = "etl.dataset.published.v1"
# An unchanged rebuild confirms the current version: as much a refresh as a publication.
REFRESHED = {PUBLISHED, "etl.dataset.confirmed.v1"}
JUDGED_MODE = "automated"


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    last_landed: datetime | None
    last_failed: datetime | None
    last_failure: str
    freshness: Freshness

    @property
    def failing(self) -> bool:
        return self.last_failed is not None and (
            self.last_landed is None or self.last_failed > self.last_landed
        )


@dataclass(frozen=True)
class DatasetFreshness:
    dataset: str
    mode: str
    last_published: datetime | None
    version: str
    freshness: Freshness

    @property
    def judged(self) -> bool:
        return self.mode == JUDGED_MODE


def sources(events: Iterable[LoggedEvent], now: datetime) -> list[SourceFreshness]:
    landed: dict[str, datetime] = {}
    failed: dict[str, tuple[datetime, str]] = {}
    for e in events:
        data = e.event["detail"]["data"]
        if e.detail_type == LANDED:
            landed[data["source"]] = max(e.occurred_at, landed.get(data["source"], e.occurred_at))
        elif e.detail_type == FAILED and e.occurred_at >= failed.get(data["source"], (e.occurred_at, ""))[0]:
            failed[data["source"]] = (e.occurred_at, f"{data['reason']}: {data['detail']}")
    rows = []
    for source, max_age in SOURCE_MAX_AGE.items():
        last_failed, why = failed.get(source, (None, ""))
        last = landed.get(source)
        rows.append(SourceFreshness(source, last, last_failed, why, assess(last, now, max_age)))
    return rows


def datasets(events: Iterable[LoggedEvent], now: datetime) -> list[DatasetFreshness]:
    published: dict[tuple[str, str], tuple[datetime, str]] = {}
    for e in events:
        if e.detail_type not in REFRESHED:
            continue
        data = e.event["detail"]["data"]
        key = (data["dataset"], data["mode"])
        if key not in published or e.occurred_at >= published[key][0]:
            published[key] = (e.occurred_at, data["version"])
    rows = []
    for dataset, max_age in DATASET_MAX_AGE.items():
        for mode in get_args(Mode):
            last, version = published.get((dataset, mode), (None, ""))
            rows.append(DatasetFreshness(dataset, mode, last, version, assess(last, now, max_age)))
    return rows


def problems(
    source_rows: list[SourceFreshness], dataset_rows: list[DatasetFreshness], dlq_depths: Mapping[str, int]
) -> list[str]:
    """What makes the stack unhealthy, one line each; empty when healthy."""
    found = []
    for s in source_rows:
        if s.failing:
            found.append(f"source {s.source} is failing: {s.last_failure}")
        if s.freshness.state != "fresh":
            found.append(f"source {s.source} is {s.freshness.state}")
    for d in dataset_rows:
        if d.judged and d.freshness.state != "fresh":
            found.append(f"dataset {d.dataset} ({d.mode}) is {d.freshness.state}")
    for subscription, depth in sorted(dlq_depths.items()):
        if depth:
            found.append(f"DLQ of {subscription} holds {depth} message(s)")
    return found
