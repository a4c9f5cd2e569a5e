"""Reference data's health as the read models keep it: how far ahead the fee table covers, counted
again from today, and whether a newer official HTS revision waits without landing. Plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class FeeTableCoverage:
    """The fee table's coverage as last measured (its daily landing), counted again from `today`."""

    version: str | None
    covered_until: date | None
    threshold_days: int
    today: date
    measured_at: str | None = None
    rejected: tuple[dict[str, Any], ...] = ()

    @property
    def days_ahead(self) -> int:
        return max(0, (self.covered_until - self.today).days) if self.covered_until else 0

    @property
    def short(self) -> bool:
        return self.version is None or self.days_ahead < self.threshold_days

    def problem(self) -> str | None:
        """What is wrong, for a person; None when the table covers enough days ahead."""
        if self.version is None:
            return "no fee table: the fee notices have not landed (`ior ingest -s CBP_FEES`)"
        if not self.short:
            return None
        until = self.covered_until.isoformat() if self.covered_until else "nothing from today"
        return (
            f"the fee table covers {until}, {self.days_ahead} days ahead (at least {self.threshold_days}): "
            "record the next fiscal year with `ior fees add`"
        )


def fee_table_coverage(measured: dict[str, Any] | None, now: datetime) -> FeeTableCoverage:
    """`measured`: the last `etl.fee_table.published/confirmed.v1` as projected (None: none yet)."""
    if measured is None:
        return FeeTableCoverage(None, None, 0, now.date())
    coverage = measured["coverage"]
    until = coverage.get("covered_until")
    return FeeTableCoverage(
        str(measured["version"]),
        date.fromisoformat(until) if until else None,
        int(coverage["threshold_days"]),
        now.date(),
        measured.get("at"),
        tuple(measured.get("rejected") or ()),
    )


def waiting_revision(overdue: dict[str, Any] | None, landed: dict[str, Any] | None) -> str | None:
    """The newer HTS revision announced overdue, unless it has landed since; one line for a person."""
    if overdue is None:
        return None
    latest = overdue["latest_revision"]
    if landed is not None and landed["revision"] == latest and landed["at"] >= overdue["at"]:
        return None
    why = "the stack is pinned to an older release" if overdue["reason"] == "pinned" else "it failed to land"
    return f"HTS {latest} has waited {overdue['days_waiting']} days without landing ({why})"
