"""A customs run's audit report (`report.json`, gzip-encoded): what an auditor needs of one run —
its inputs and their versions, fallbacks, decision, totals, the entries with their totals and line
counts, every invoice line set aside, and the published outputs by claim check (the lines themselves
are in the published lines object, which the report names rather than copies). The customs
service's tests hold its reports to this model; the API serves them unread."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.claims import ClaimCheck
from ior_contracts.customs import CorrectionSummary, Fallback, RunTotals
from ior_contracts.vocabulary import DatasetVersion, Mode


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportTrigger(_Strict):
    event_id: str
    detail_type: str = Field(description="The event that asked for the run.")
    reason: str


class ReportInput(ClaimCheck):
    """A dataset version the run read, with the snapshot's claim check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: DatasetVersion
    published_at: str


class ReportTotals(RunTotals):
    model_config = ConfigDict(frozen=True, extra="forbid")

    quarantined: int = Field(ge=0, description="Invoice lines quarantined.")
    held_out: int = Field(ge=0, description="Invoice lines held out (not customs lines by type).")
    dropped: int = Field(ge=0, description="Invoice lines dropped (e.g. cancelled credits).")


class EntryMoney(_Strict):
    value: int = Field(description="Whole dollars.")
    duty: str = Field(description="Dollars as decimal text.")
    mpf: str | None
    hmf: str | None


class EntryFeeLineage(_Strict):
    fee_table: str = Field(description="The fee table version.")
    mpf: str | None = Field(description="The fee table row the MPF came from.")
    hmf: str | None = Field(description="The fee table row the HMF came from.")


class ReportEntry(_Strict):
    entry_id: str
    port: str
    arrival: str
    mode: str = Field(description="The mode of transport.")
    formal: bool
    flags: list[str]
    line_count: int = Field(ge=0)
    totals: EntryMoney
    lineage: EntryFeeLineage


class SetAside(BaseModel):
    """An invoice line the run did not turn into customs lines: which, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str
    item: int | str
    material: str | None = None
    type: str | None = None
    reason: str


class ReportEvent(_Strict):
    detail_type: str
    event_id: str


class CustomsRunReport(_Strict):
    """`report.json` of one customs run."""

    run_id: str
    run_key: str = Field(description="The digest of everything the run's output depends on.")
    business_date: str
    mode: Mode
    status: Literal["official", "candidate", "unchanged", "stale"]
    note: str
    trigger: ReportTrigger
    code_version: str
    config_version: str = Field(description="The fee table version.")
    closed_on: str = Field(description="The date after which the day's lines are corrected, not replaced.")
    closed: bool
    inputs: dict[str, ReportInput]
    fallbacks: list[Fallback]
    outputs: dict[str, ClaimCheck] = Field(description="The published objects, `lines` among them.")
    totals: ReportTotals
    supersedes: str | None
    official_run_id: str | None
    changes: CorrectionSummary | None
    events: list[ReportEvent]
    entries: list[ReportEntry]
    quarantined: list[SetAside]
    held_out: list[SetAside]
    dropped: list[SetAside]
