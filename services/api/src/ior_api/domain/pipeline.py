"""What a source's or a dataset's recent runs (newest first) say: its newest run of some kinds, and
how many runs failed since its last success. Plain data, no AWS."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LANDED = frozenset({"landed"})
PUBLISHED = frozenset({"published"})
# A dataset is refreshed by a publication, or by a rebuild that confirmed the current version unchanged.
REFRESHED = PUBLISHED | {"confirmed"}


def newest(runs: Iterable[dict[str, Any]], statuses: frozenset[str]) -> dict[str, Any] | None:
    return next((r for r in runs if r["status"] in statuses), None)


def failures_since(runs: Iterable[dict[str, Any]], success: frozenset[str]) -> int:
    """The runs before the newest one whose status is a `success`."""
    count = 0
    for run in runs:
        if run["status"] in success:
            break
        count += 1
    return count
