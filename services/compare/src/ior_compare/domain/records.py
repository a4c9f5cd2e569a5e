"""What the compare service keeps about runs, dates, comparisons and the gate: plain data, read
and written by the table adapters, turned into events here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ior_contracts.claims import ClaimCheck
from ior_contracts.compare import ComparisonCompleted, ComparisonCounts, DiscrepancyDetected, FieldMismatches
from ior_contracts.customs import LinesGenerated
from ior_contracts.envelope import Metadata
from ior_contracts.vocabulary import Mode

MODES: tuple[Mode, ...] = ("manual", "automated")
# The contract's cap on worst fields in `compare.discrepancy.detected.v1`.
MAX_WORST_FIELDS = 20


@dataclass(frozen=True)
class RunRecord:
    """One `customs.lines.generated.v1`: a run of lines for a date and mode."""

    business_date: date
    mode: Mode
    run_id: str
    lines: ClaimCheck
    entries: ClaimCheck
    totals: dict[str, int]
    quarantined_lines: int
    occurred_at: datetime
    event_id: str
    supersedes: str | None
    code_version: str
    config_version: str
    line_columns: ClaimCheck | None = None
    """The lines' compared columns, when customs published them (runs before it did not)."""
    entry_columns: ClaimCheck | None = None
    line_arrays: ClaimCheck | None = None
    """The same line columns as arrays, read in their place when customs published them."""
    entry_arrays: ClaimCheck | None = None

    @classmethod
    def from_event(cls, data: LinesGenerated, metadata: Metadata) -> RunRecord:
        return cls(
            business_date=data.business_date,
            mode=data.mode,
            run_id=data.run_id,
            lines=data.lines,
            entries=data.entries,
            totals=data.totals.model_dump(),
            quarantined_lines=data.quarantined_lines,
            occurred_at=metadata.occurred_at,
            event_id=metadata.event_id,
            supersedes=data.supersedes,
            code_version=data.code_version,
            config_version=data.config_version,
            line_columns=data.line_columns,
            entry_columns=data.entry_columns,
            line_arrays=data.line_arrays,
            entry_arrays=data.entry_arrays,
        )

    @property
    def has_transactions(self) -> bool:
        """Invoice lines arrived for the date: some became lines, or were quarantined."""
        return self.totals["lines"] + self.quarantined_lines > 0


@dataclass(frozen=True)
class LatestRun:
    """The latest run of one mode for a date, as the date's record keeps it."""

    run_id: str
    occurred_at: datetime
    has_transactions: bool


@dataclass(frozen=True)
class CurrentComparison:
    """The comparison of a date's current latest runs."""

    comparison_id: str
    passed: bool
    expected_run_id: str | None
    actual_run_id: str | None
    config_version: str
    discrepancies: dict[str, int]
    compared_at: datetime


@dataclass(frozen=True)
class DayState:
    """An arrival date: the latest run of each mode and the comparison of exactly those runs."""

    business_date: date
    manual: LatestRun | None = None
    automated: LatestRun | None = None
    comparison: CurrentComparison | None = None

    def latest(self, mode: Mode) -> LatestRun | None:
        return self.manual if mode == "manual" else self.automated

    @property
    def has_transactions(self) -> bool:
        return any(run.has_transactions for run in (self.manual, self.automated) if run is not None)


@dataclass(frozen=True)
class ComparisonKey:
    """What identifies a comparison: the date, both runs and the tolerance configuration."""

    business_date: date
    expected_run_id: str | None
    actual_run_id: str | None
    config_version: str

    @property
    def text(self) -> str:
        runs = f"{self.expected_run_id or '-'}#{self.actual_run_id or '-'}"
        return f"{self.business_date.isoformat()}#{runs}#{self.config_version}"

    def derived_id(self) -> str:
        """The comparison id when no client chose one: stable for the key."""
        digest = hashlib.sha256(self.text.encode()).hexdigest()[:16]
        return f"cmp-{self.business_date:%Y%m%d}-{digest}"


@dataclass(frozen=True)
class ComparisonRecord:
    """A comparison's summary, as kept in the table; per-line outcomes stay in the report objects."""

    key: ComparisonKey
    comparison_id: str
    passed: bool
    counts: dict[str, dict[str, int]]
    worst_fields: list[dict[str, Any]]
    failure_reasons: list[str]
    discrepancies: dict[str, int]
    report_uri: str
    report_html_uri: str
    report_sha256: str
    result: ClaimCheck
    trigger_event_id: str
    created_at: datetime
    requested_by: str | None = None
    reason: str | None = None
    explanation: ClaimCheck | None = None
    """Each discrepancy side by side with its cause in the inputs; None when nothing differed."""

    @property
    def business_date(self) -> date:
        return self.key.business_date

    def completed(
        self,
        comparison_id: str | None = None,
        *,
        streak: int | None = None,
        required_streak: int | None = None,
    ) -> ComparisonCompleted:
        """`compare.comparison.completed.v1`; `comparison_id` names it as a client asked to; `streak`
        and `required_streak` are the gate's count up to the date and its requirement."""
        return ComparisonCompleted(
            comparison_id=comparison_id or self.comparison_id,
            business_date=self.business_date,
            passed=self.passed,
            expected_run_id=self.key.expected_run_id,
            actual_run_id=self.key.actual_run_id,
            config_version=self.key.config_version,
            counts=ComparisonCounts.model_validate(self.counts),
            report_uri=self.report_uri,
            report_html_uri=self.report_html_uri,
            result=self.result,
            explanation=self.explanation,
            streak=streak,
            required_streak=required_streak,
        )

    def discrepancy(self) -> DiscrepancyDetected:
        return DiscrepancyDetected(
            comparison_id=self.comparison_id,
            business_date=self.business_date,
            counts=ComparisonCounts.model_validate(self.counts),
            worst_fields=[_field(found) for found in self.worst_fields[:MAX_WORST_FIELDS]],
            report_uri=self.report_uri,
            report_html_uri=self.report_html_uri,
        )

    def day(self) -> CurrentComparison:
        return CurrentComparison(
            comparison_id=self.comparison_id,
            passed=self.passed,
            expected_run_id=self.key.expected_run_id,
            actual_run_id=self.key.actual_run_id,
            config_version=self.key.config_version,
            discrepancies=dict(self.discrepancies),
            compared_at=self.created_at,
        )


@dataclass(frozen=True)
class KeyRecords:
    """What the ledger holds of a comparison key: its runs (None where the key names none, or names
    one not recorded) and the comparison kept under it, if one was."""

    manual: RunRecord | None
    automated: RunRecord | None
    comparison: ComparisonRecord | None


def _field(found: dict[str, Any]) -> FieldMismatches:
    delta = found.get("max_abs_delta")
    # Plain notation: the contract's decimal pattern has no exponent.
    shown = None if delta is None else f"{Decimal(str(delta)):f}"
    return FieldMismatches(
        field=found["field"], critical=found["critical"], mismatches=found["mismatches"], max_abs_delta=shown
    )


RequestOutcome = Literal["applied", "refused"]


@dataclass(frozen=True)
class Refusal:
    """A cutover or rollback request the gate refused, and why."""

    request_id: str
    action: str
    effective_date: date
    reason: str
    force: bool
    requested_by: str
    refused_because: str
    error: str
    streak: int
    required_streak: int
    state: str
    at: datetime
    event_id: str

    def audit_data(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "action": self.action,
            "effective_date": self.effective_date.isoformat(),
            "reason": self.reason,
            "force": self.force,
            "requested_by": self.requested_by,
            "refused_because": self.refused_because,
            "error": self.error,
            "streak": self.streak,
            "required_streak": self.required_streak,
            "state": self.state,
            "at": self.at.isoformat(),
            "event_id": self.event_id,
        }


@dataclass(frozen=True)
class GateRequest:
    """How the gate answered one request id: the change it applied, or its refusal."""

    request_id: str
    outcome: RequestOutcome
    change_id: str | None = None
    refusal: Refusal | None = None
    done: bool = True
    """False while an applied change still has to be announced and its dates designated."""
