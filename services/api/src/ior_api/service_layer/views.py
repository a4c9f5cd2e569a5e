"""What the dashboard reads from the read models: the alerts, the daily totals of the runs, the
comparisons with their parts, the cutover gate and the parity streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ior_api.domain.parity import PARITY_DAYS, latest_completions, required_streak
from ior_api.domain.readmodels import ALERTS, COMPARISONS, CUSTOMS_RUNS, CUTOVER_CHANGES, OFFICIAL_RUNS
from ior_api.ports import Services

# The days of runs the chart shows when it names no start.
TOTALS_DAYS = 90

# A comparison's documents by part (`requested`, `completed`, `discrepancy`).
Parts = dict[str, dict[str, Any]]


def alerts(services: Services, limit: int) -> list[dict[str, Any]]:
    """The newest alerts first."""
    return services.readmodels.query(ALERTS, newest_first=True, limit=limit)


def customs_runs(services: Services, since: date | None, until: date | None) -> list[dict[str, Any]]:
    """The runs of each date and mode in [since, until] (default: the last 90 days up to today)."""
    until = until or services.clock().date()
    since = since or until - timedelta(days=TOTALS_DAYS)
    if since > until:
        return []
    # One item per date and mode: even years of dates are a small query.
    # `~` sorts after `#`: the upper bound takes every mode of the last date.
    return services.readmodels.query(CUSTOMS_RUNS, between=(since.isoformat(), f"{until.isoformat()}~"))


def comparisons(services: Services) -> dict[str, Parts]:
    """Every comparison's parts, by comparison id."""
    found: dict[str, Parts] = {}
    for doc in services.readmodels.query(COMPARISONS):
        comparison_id, part = doc.pop("_sk").rsplit("#", 1)
        found.setdefault(comparison_id, {})[part] = doc
    return found


def comparison(services: Services, comparison_id: str) -> Parts:
    """One comparison's parts; none when there is no such comparison."""
    parts: Parts = {}
    for doc in services.readmodels.query(COMPARISONS, prefix=f"{comparison_id}#"):
        parts[doc.pop("_sk").rsplit("#", 1)[1]] = doc
    return parts


@dataclass(frozen=True)
class Cutover:
    """The gate as the compare service announced it, newest change first, and the latest comparison of
    each compared date, newest first."""

    changes: list[dict[str, Any]]
    official_runs: list[dict[str, Any]]
    compared: list[dict[str, Any]]
    required_streak: int | None

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.changes[0] if self.changes else None

    @property
    def newest(self) -> dict[str, Any] | None:
        return self.compared[0] if self.compared else None


def cutover(services: Services) -> Cutover:
    changes = [_strip(d) for d in services.readmodels.query(CUTOVER_CHANGES, newest_first=True)]
    official = [_strip(d) for d in services.readmodels.query(OFFICIAL_RUNS, newest_first=True, limit=31)]
    compared = latest_completions(services.readmodels.query(COMPARISONS))[:PARITY_DAYS]
    newest = compared[0] if compared else None
    return Cutover(changes, official, compared, required_streak(newest, changes))


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    doc.pop("_sk", None)
    return doc
