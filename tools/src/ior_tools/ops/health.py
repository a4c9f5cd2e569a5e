"""How fresh each source and dataset is, read from the events the stack has seen, and whether the
stack is healthy: what `ior status` shows and `ior status --check` turns into an exit code.

Each is judged by `ior_contracts.freshness`, the same thresholds the API and the alarms use. A
source is failing when its last failure came after its last landing. The automated datasets must
be fresh; the manual ones are shown but never judged, since the analysts' uploads stop after cutover.
The fee table must cover the days ahead its events ask for (45 by default), counted from today, and
no newer official HTS revision may be waiting past the stack's threshold without landing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
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
FEE_TABLE = ("etl.fee_table.published.v1", "etl.fee_table.confirmed.v1")
OVERDUE = "ingestion.hts_revision.overdue.v1"


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


@dataclass(frozen=True)
class FeeCoverage:
    """The fee table's coverage as its latest event reported it, counted again from today."""

    version: str | None
    covered_until: date | None
    threshold_days: int
    today: date

    @property
    def days_ahead(self) -> int:
        return max(0, (self.covered_until - self.today).days) if self.covered_until else 0

    @property
    def short(self) -> bool:
        return self.version is None or self.days_ahead < self.threshold_days

    def problem(self) -> str | None:
        if self.version is None:
            return "no fee table: the fee notices have not landed (`ior ingest -s CBP_FEES`)"
        if not self.short:
            return None
        until = self.covered_until.isoformat() if self.covered_until else "nothing from today"
        return (
            f"the fee table covers {until}, {self.days_ahead} days ahead (at least {self.threshold_days}): "
            "record the next fiscal year with `ior fees add`"
        )


def fee_coverage(events: Iterable[LoggedEvent], now: datetime) -> FeeCoverage:
    latest = None
    for e in events:
        if e.detail_type in FEE_TABLE and (latest is None or e.occurred_at >= latest.occurred_at):
            latest = e
    if latest is None:
        return FeeCoverage(None, None, 0, now.date())
    data = latest.event["detail"]["data"]
    until = data["coverage"]["covered_until"]
    return FeeCoverage(
        data["version"],
        date.fromisoformat(until) if until else None,
        data["coverage"]["threshold_days"],
        now.date(),
    )


def waiting_revisions(events: Iterable[LoggedEvent]) -> list[str]:
    """Each newer HTS revision announced overdue that has not landed since, one line each."""
    overdue: dict[str, tuple[datetime, str]] = {}
    landed: dict[str, datetime] = {}
    for e in events:
        data = e.event["detail"]["data"]
        if e.detail_type == OVERDUE:
            why = (
                "the stack is pinned to an older release"
                if data["reason"] == "pinned"
                else "it failed to land"
            )
            waited = f"{data['days_waiting']} days without landing ({why})"
            overdue[data["latest_revision"]] = (
                e.occurred_at,
                f"HTS {data['latest_revision']} has waited {waited}",
            )
        elif e.detail_type == LANDED and data.get("revision"):
            landed[data["revision"]] = max(e.occurred_at, landed.get(data["revision"], e.occurred_at))
    return [line for revision, (at, line) in sorted(overdue.items()) if landed.get(revision, at) <= at]


def problems(
    source_rows: list[SourceFreshness],
    dataset_rows: list[DatasetFreshness],
    dlq_depths: Mapping[str, int],
    fees: FeeCoverage | None = None,
    revisions: Iterable[str] = (),
) -> list[str]:
    """What makes the stack unhealthy, one line each; empty when healthy."""
    found = []
    if fees is not None and (fee_problem := fees.problem()) is not None:
        found.append(fee_problem)
    found.extend(revisions)
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
