"""Comparison of the manual (expected) and automated (actual) customs lines of one arrival date."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Actor, BuildVersion, DecimalAmount, Identifier, Reason, RuleName, S3Uri


class OutcomeCounts(BaseModel):
    """How many items (lines or entries) had each outcome."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    match: int = Field(ge=0, description="Paired, every field within tolerance.")
    mismatch: int = Field(ge=0, description="Paired, at least one field out of tolerance.")
    missing: int = Field(ge=0, description="Expected (manual) only.")
    extra: int = Field(ge=0, description="Actual (automated) only.")
    duplicate: int = Field(ge=0, description="Left over after pairing several items with one key.")


class ComparisonCounts(BaseModel):
    """Outcomes for lines and for entries."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    lines: OutcomeCounts = Field(
        description="Lines, matched on (entry, HTS10, origin, part), paired by stack."
    )
    entries: OutcomeCounts = Field(description="Entries, matched on entry id.")


class FieldMismatches(BaseModel):
    """One compared field and how badly it disagreed."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    field: RuleName = Field(description="The compared field, e.g. `duty`, `net_kg`, `stack`.")
    critical: bool = Field(description="Whether a mismatch of this field fails the comparison.")
    mismatches: int = Field(ge=1, description="Paired items where it is out of tolerance.")
    max_abs_delta: DecimalAmount | None = Field(
        description="Largest absolute difference in the field's unit; null for non-numeric fields."
    )


class ComparisonRequested(Event):
    DETAIL_TYPE: ClassVar[str] = "compare.comparison.requested.v1"
    SOURCE: ClassVar[str] = "ior.api"
    DESCRIPTION: ClassVar[str] = (
        "Asks the compare service to compare the manual and automated lines of one arrival date, for "
        "instance again after a mapping adjustment. A client that wants to follow its request "
        "supplies a `comparison_id`, which `compare.comparison.completed.v1` repeats."
    )

    business_date: date = Field(description="The arrival date to compare.")
    comparison_id: Identifier | None = Field(
        default=None, description="The id to use for the comparison; absent = the service assigns one."
    )
    requested_by: Actor = Field(description="The user (or tool) that asked.")
    reason: Reason = Field(description="Why, for the audit record.")


class ComparisonCompleted(Event):
    DETAIL_TYPE: ClassVar[str] = "compare.comparison.completed.v1"
    SOURCE: ClassVar[str] = "ior.compare"
    DESCRIPTION: ClassVar[str] = (
        "The manual lines (expected) and automated lines (actual) of one arrival date were compared "
        "field by field under a versioned tolerance configuration. It passes when no critical field "
        "mismatches and nothing is missing, extra or duplicated; the parity streak counts passes. The "
        "JSON and HTML reports are immutable, in the compare audit prefix. A failed comparison is "
        "also announced by `compare.discrepancy.detected.v1`."
    )

    comparison_id: Identifier = Field(description="The comparison.")
    business_date: date = Field(description="The arrival date compared.")
    passed: bool = Field(description="Whether the date counts towards the parity streak.")
    expected_run_id: Identifier | None = Field(
        description="The manual run compared; null when there is none (every actual item is extra)."
    )
    actual_run_id: Identifier | None = Field(
        description="The automated run compared; null when there is none (every expected item is missing)."
    )
    config_version: BuildVersion = Field(description="Version of the fields-and-tolerances configuration.")
    counts: ComparisonCounts = Field(description="Outcomes for lines and entries.")
    report_uri: S3Uri = Field(
        description="The comparison report as JSON, stored gzip-compressed (`Content-Encoding: gzip`)."
    )
    report_html_uri: S3Uri = Field(description="The comparison report as HTML.")
    result: ClaimCheck | None = Field(
        default=None, description="The per-line outcomes as data, for consumers that keep them."
    )
    explanation: ClaimCheck | None = Field(
        default=None,
        description="Each differing line or entry side by side (`compare-explanation/1`): both sides' "
        "fields, HTS stacks with the rate and duty of each number, lineages, and the dataset cells that "
        "differ between the two runs' inputs, each side's cell cited by its dataset version, what made "
        "it and (optional `source`) the file or SAP table and row it was read from; null when nothing "
        "differed or the producer did not say.",
    )
    streak: int | None = Field(
        default=None,
        ge=0,
        description="Consecutive passing business days up to and including this date, as the cutover "
        "gate counts them, when the comparison was made; null when the producer did not say.",
    )
    required_streak: int | None = Field(
        default=None,
        ge=1,
        description="The parity streak a cutover needs without `force`; null when the producer did not say.",
    )


class DiscrepancyDetected(Event):
    DETAIL_TYPE: ClassVar[str] = "compare.discrepancy.detected.v1"
    SOURCE: ClassVar[str] = "ior.compare"
    DESCRIPTION: ClassVar[str] = (
        "A comparison failed: the manual and automated lines of one arrival date disagree beyond "
        "tolerance on a critical field, or items are missing, extra or duplicated. Names the fields "
        "that disagree most, for the alert; the report has every difference."
    )

    comparison_id: Identifier = Field(description="The comparison.")
    business_date: date = Field(description="The arrival date compared.")
    counts: ComparisonCounts = Field(description="Outcomes for lines and entries.")
    worst_fields: list[FieldMismatches] = Field(
        max_length=20, description="Fields out of tolerance, critical first, then by number of mismatches."
    )
    report_uri: S3Uri = Field(
        description="The comparison report as JSON, stored gzip-compressed (`Content-Encoding: gzip`)."
    )
    report_html_uri: S3Uri = Field(description="The comparison report as HTML.")
