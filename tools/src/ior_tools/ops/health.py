"""How fresh each source and dataset is, judged from its recent runs as the API's read models keep
them (the same on a deployed stack and the local one), and whether the stack is healthy: what
`ior status` shows and `ior status --check` turns into an exit code.

Each is judged by `ior_contracts.freshness`, the same thresholds the API and the alarms use. A
source is failing when its last failure came after its last landing. The automated datasets must
be fresh; the manual ones are shown but never judged, since the analysts' uploads stop after cutover.
The fee table must cover the days ahead its events ask for (45 by default), counted from today, and
no newer official HTS revision may be waiting past the stack's threshold without landing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, get_args

from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE, Freshness, assess
from ior_contracts.vocabulary import Mode

if TYPE_CHECKING:
    from ior_api.entrypoints.operations import FeeTableCoverage

# An unchanged rebuild confirms the current version: as much a refresh as a publication.
REFRESHED = {"published", "confirmed"}
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


def _at(run: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(run["at"]))


def sources(history: Mapping[str, list[dict[str, Any]]], now: datetime) -> list[SourceFreshness]:
    """`history`: each source's recent runs, newest first (`ior_api.entrypoints.operations.PipelineRuns`)."""
    rows = []
    for source, max_age in SOURCE_MAX_AGE.items():
        runs = history.get(source, [])
        landed = next((r for r in runs if r["status"] == "landed"), None)
        failed = next((r for r in runs if r["status"] == "failed"), None)
        last = _at(landed) if landed else None
        rows.append(
            SourceFreshness(
                source,
                last,
                _at(failed) if failed else None,
                str(failed.get("detail") or "") if failed else "",
                assess(last, now, max_age),
            )
        )
    return rows


def datasets(
    history: Mapping[tuple[str, str], list[dict[str, Any]]], now: datetime
) -> list[DatasetFreshness]:
    rows = []
    for dataset, max_age in DATASET_MAX_AGE.items():
        for mode in get_args(Mode):
            runs = history.get((dataset, mode), [])
            refreshed = next((r for r in runs if r["status"] in REFRESHED), None)
            last = _at(refreshed) if refreshed else None
            version = str(refreshed.get("version") or "") if refreshed else ""
            rows.append(DatasetFreshness(dataset, mode, last, version, assess(last, now, max_age)))
    return rows


def problems(
    source_rows: list[SourceFreshness],
    dataset_rows: list[DatasetFreshness],
    dlq_depths: Mapping[str, int],
    fees: FeeTableCoverage | None = None,
    waiting_revision: str | None = None,
) -> list[str]:
    """What makes the stack unhealthy, one line each; empty when healthy."""
    found = []
    if fees is not None and (fee_problem := fees.problem()) is not None:
        found.append(fee_problem)
    if waiting_revision:
        found.append(waiting_revision)
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
