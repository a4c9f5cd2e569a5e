"""The parity streak as the compare service announces it with each comparison: the latest comparison
of each business date and the gate's own count, so the dashboard never counts it again. Plain data,
no AWS."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Business dates shown: about three months of arrivals, beyond any required streak.
PARITY_DAYS = 60


def latest_completions(documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest `compare.comparison.completed.v1` of each business date, newest date first, from the
    comparison read models (keyed `<comparison id>#<part>`)."""
    latest: dict[str, dict[str, Any]] = {}
    for doc in documents:
        if not doc["_sk"].endswith("#completed"):
            continue
        seen = latest.get(doc["business_date"])
        if seen is None or _order(doc) > _order(seen):
            latest[doc["business_date"]] = doc
    return [latest[day] for day in sorted(latest, reverse=True)]


def required_streak(newest: dict[str, Any] | None, changes: Iterable[dict[str, Any]]) -> int | None:
    """What the compare service last said a cutover needs: with the newest comparison, else with the
    newest gate change (`changes` newest first)."""
    if newest is not None and newest.get("required_streak") is not None:
        return int(newest["required_streak"])
    return next((int(c["required_streak"]) for c in changes if c.get("required_streak") is not None), None)


def _order(doc: dict[str, Any]) -> tuple[str, str]:
    # Ties (same instant) fall to the comparison id, so the choice does not depend on read order.
    return str(doc.get("completed_at", "")), str(doc["comparison_id"])
