"""Customs: runs asked for, customs lines generated or quarantined, runs that failed on their inputs,
corrections to closed dates."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ior_contracts.claims import ClaimCheck
from ior_contracts.customs_parts import Fallback as Fallback
from ior_contracts.customs_parts import FallbackReason as FallbackReason
from ior_contracts.customs_parts import QuarantineReason as QuarantineReason
from ior_contracts.customs_parts import ReasonCount as ReasonCount
from ior_contracts.envelope import Event
from ior_contracts.vocabulary import (
    Actor,
    BuildVersion,
    DatasetName,
    DatasetVersion,
    Identifier,
    Mode,
    Reason,
    S3Uri,
)


class RunTotals(BaseModel):
    """Totals of a run's entries, money in integer cents."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    entries: int = Field(ge=0, description="Entries (entry summaries) generated.")
    lines: int = Field(ge=0, description="Customs lines over all entries.")
    entered_value_cents: int = Field(
        ge=0, description="Sum of the entries' total values (whole dollars), in cents."
    )
    duty_cents: int = Field(ge=0, description="Sum of line duties.")
    mpf_cents: int = Field(ge=0, description="Sum of merchandise processing fees.")
    hmf_cents: int = Field(ge=0, description="Sum of harbor maintenance fees.")


class CorrectionSummary(BaseModel):
    """What the candidate run would change in the official lines of a closed date.

    Deltas are candidate minus official, so a negative delta lowers what was declared."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    entries_affected: int = Field(
        ge=0, description="Entries with at least one added, removed or changed line."
    )
    lines_added: int = Field(ge=0, description="Lines only in the candidate.")
    lines_removed: int = Field(ge=0, description="Lines only in the official run.")
    lines_changed: int = Field(ge=0, description="Lines in both whose reported fields differ.")
    value_delta_cents: int = Field(description="Change of the total entered value.")
    duty_delta_cents: int = Field(description="Change of the total duty.")
    mpf_delta_cents: int = Field(description="Change of the total MPF.")
    hmf_delta_cents: int = Field(description="Change of the total HMF.")


class CustomsRunRequested(Event):
    DETAIL_TYPE: ClassVar[str] = "customs.run.requested.v1"
    SOURCE: ClassVar[str] = "ior.api"
    DESCRIPTION: ClassVar[str] = (
        "Asks the customs service to generate the lines of one arrival date for one mode from the "
        "dataset versions current when it runs: an admin action in the dashboard, or `ior emit`. "
        "Answered by `customs.lines.generated.v1` (with `customs.lines.quarantined.v1` when lines "
        "could not be processed), by `customs.correction.proposed.v1` for a closed date, or by "
        "`customs.run.failed.v1` when the inputs cannot be processed at all."
    )

    business_date: date = Field(description="The arrival date to generate lines for.")
    mode: Mode = Field(description="Which path's datasets to use.")
    reason: Reason = Field(description="Why the run is asked for; kept in the run's audit record.")
    requested_by: Actor = Field(description="The admin (or tool) that asked.")


class LinesGenerated(Event):
    DETAIL_TYPE: ClassVar[str] = "customs.lines.generated.v1"
    SOURCE: ClassVar[str] = "ior.customs"
    DESCRIPTION: ClassVar[str] = (
        "The customs lines and entries of one arrival date and mode. The run is keyed by its input "
        "versions, code version and configuration version: the same key gives byte-identical lines "
        "and the same `run_id`. Lines and entries are immutable objects under the customs "
        "`published/` prefix; the JSON and HTML reports are in the customs audit prefix. Lines that "
        "could not be processed are announced by `customs.lines.quarantined.v1`; a closed date gets "
        "`customs.correction.proposed.v1` instead of this event."
    )

    run_id: Identifier = Field(description="The run; derived from its key.")
    business_date: date = Field(description="The arrival date.")
    mode: Mode = Field(description="Which path's datasets were used.")
    lines: ClaimCheck = Field(description="The customs lines, with their lineage.")
    entries: ClaimCheck = Field(description="The entries with their totals, fees and flags.")
    line_columns: ClaimCheck | None = Field(
        default=None,
        description=(
            "The lines' compared columns as gzip CSV (`customs-line-columns/1`, "
            "`ior_contracts.line_columns`), one row per line; absent for runs published before it."
        ),
    )
    line_arrays: ClaimCheck | None = Field(
        default=None,
        description=(
            "The same compared columns as NumPy arrays (`customs-line-arrays/2`, or `/1` for runs "
            "published before it, `ior_contracts.line_columns`), for readers with NumPy; absent for "
            "runs published before the arrays."
        ),
    )
    entry_arrays: ClaimCheck | None = Field(
        default=None,
        description=(
            "The entries' compared columns and where each entry is, as NumPy arrays "
            "(`customs-entry-arrays/2`, or `/1` for runs published before it, `ior_contracts.line_columns`); "
            "absent for runs published before the arrays."
        ),
    )
    entry_columns: ClaimCheck | None = Field(
        default=None,
        description=(
            "The entries' compared columns and where each entry is in the lines document and its gzip "
            "members, as gzip CSV (`customs-entry-columns/2`; `/1`, without the members, before it); "
            "absent for runs published before the columns."
        ),
    )
    report_uri: S3Uri = Field(description="The run report as JSON (audit prefix).")
    report_html_uri: S3Uri = Field(description="The run report as HTML (audit prefix).")
    inputs: dict[DatasetName, DatasetVersion] = Field(description="The version of each dataset the run used.")
    fallbacks: list[Fallback] = Field(
        default_factory=list, description="Datasets used at their last good version instead of the latest."
    )
    code_version: BuildVersion = Field(description="Version of the customs code.")
    config_version: BuildVersion = Field(description="Version of the customs configuration (fee table).")
    totals: RunTotals = Field(description="Totals over all entries.")
    quarantined_lines: int = Field(ge=0, description="Invoice lines quarantined by this run.")
    supersedes: Identifier | None = Field(
        default=None, description="The earlier run of the same date and mode that this one replaces."
    )


class LinesQuarantined(Event):
    DETAIL_TYPE: ClassVar[str] = "customs.lines.quarantined.v1"
    SOURCE: ClassVar[str] = "ior.customs"
    DESCRIPTION: ClassVar[str] = (
        "Invoice lines of a run that could not become customs lines, each with the first check it "
        "failed (unknown material, missing HTS reference, origin, weight or exchange rate, a unit the "
        "HTS number cannot report, an ambiguous provision, packaging without goods). Nothing "
        "disappears silently: the lines wait in the quarantine object until their master data arrives."
    )

    run_id: Identifier = Field(description="The run that quarantined them.")
    business_date: date = Field(description="The arrival date.")
    mode: Mode = Field(description="Which path's datasets were used.")
    quarantine: ClaimCheck = Field(description="The quarantined invoice lines with their reason.")
    count: int = Field(ge=1, description="Invoice lines quarantined.")
    reasons: list[ReasonCount] = Field(
        min_length=1, description="Lines per reason, in the order the checks run."
    )

    @model_validator(mode="after")
    def _reasons_add_up(self) -> LinesQuarantined:
        if sum(r.count for r in self.reasons) != self.count:
            raise ValueError(
                f"per-reason counts add up to {sum(r.count for r in self.reasons)}, not {self.count}"
            )
        if len({r.reason for r in self.reasons}) != len(self.reasons):
            raise ValueError("each reason is counted once")
        return self


class RunFailed(Event):
    DETAIL_TYPE: ClassVar[str] = "customs.run.failed.v1"
    SOURCE: ClassVar[str] = "ior.customs"
    DESCRIPTION: ClassVar[str] = (
        "A run could not be made from its inputs: a dataset version breaks the contract the processor "
        "relies on (say, rows of one provision code disagreeing on rank, which no run can order). The "
        "same inputs always fail the same way, so the run is recorded as failed once and not retried; "
        "the date keeps the lines it had. A new version of the dataset at fault starts a new run."
    )

    run_id: Identifier = Field(description="The run that failed; derived from its key.")
    business_date: date = Field(description="The arrival date.")
    mode: Mode = Field(description="Which path's datasets were used.")
    inputs: dict[DatasetName, DatasetVersion] = Field(description="The version of each dataset the run read.")
    code_version: BuildVersion = Field(description="Version of the customs code.")
    config_version: BuildVersion = Field(description="Version of the customs configuration (fee table).")
    reason: Reason = Field(description="What the processor refused, naming the dataset, for a person.")


class CorrectionProposed(Event):
    DETAIL_TYPE: ClassVar[str] = "customs.correction.proposed.v1"
    SOURCE: ClassVar[str] = "ior.customs"
    DESCRIPTION: ClassVar[str] = (
        "Inputs of a closed date changed (a date closes 10 business days after it). Its official lines "
        "stay as they are; the new run is kept as a candidate for a post-summary correction, and a "
        "person decides whether to file it. The summary says what would change."
    )

    business_date: date = Field(description="The closed arrival date.")
    mode: Mode = Field(description="Which path's datasets the candidate used.")
    official_run_id: Identifier = Field(description="The run whose lines are official for the date.")
    candidate_run_id: Identifier = Field(description="The new run, not official.")
    lines: ClaimCheck = Field(description="The candidate's customs lines.")
    closed_on: date = Field(description="The date the business date closed.")
    changes: CorrectionSummary = Field(description="What the candidate changes.")
    reason: Reason = Field(description="Which input changed, for a person.")
