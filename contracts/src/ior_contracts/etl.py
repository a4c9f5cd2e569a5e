"""ETL: validated, versioned datasets published; rejected rows quarantined; datasets held; the fee
table built; the official HTS revision's changes to the company's codes."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event
from ior_contracts.etl_parts import ChangeKind as ChangeKind
from ior_contracts.etl_parts import CodeChange as CodeChange
from ior_contracts.etl_parts import OfficialLineState as OfficialLineState
from ior_contracts.etl_parts import RuleCount as RuleCount
from ior_contracts.ingestion import FeeNoticeRef
from ior_contracts.vocabulary import (
    BuildVersion,
    DatasetName,
    DatasetVersion,
    Fraction,
    Identifier,
    Mode,
    RevisionLabel,
    RuleName,
    S3Uri,
    Sha256,
)


class InputRef(BaseModel):
    """One input a dataset version was built from: a landed extract, an uploaded file or another dataset."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(min_length=1, max_length=128, description="The source, file kind or dataset name.")
    uri: S3Uri = Field(description="Where the input is.")
    sha256: Sha256 = Field(description="Checksum of the input as read.")


class FlagCount(BaseModel):
    """Rows published with a flag that asks for a person's review (the row is still valid)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    flag: RuleName = Field(description="e.g. `rate_differs_from_official`, `related_party_review`.")
    count: int = Field(ge=1, description="Rows carrying the flag.")


class DatasetPublished(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.dataset.published.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "A new version of a dataset is current for its mode. The snapshot is immutable and "
        "content-addressed under the ETL's `published/` prefix; `version` is a hash of its inputs, the "
        "code version and the rules, so a re-delivery announces the same version and a replay after a "
        "code change announces a new one. Rows rejected on the way are announced separately by "
        "`etl.rows.quarantined.v1`. Customs keeps the versions it needs in its own table."
    )

    dataset: DatasetName = Field(description="Which dataset.")
    mode: Mode = Field(description="Built from SAP extracts (`automated`) or from an upload (`manual`).")
    version: DatasetVersion = Field(description="The new current version.")
    snapshot: ClaimCheck = Field(description="The dataset's rows.")
    manifest_uri: S3Uri = Field(description="The version's manifest: inputs, rules, code version, counts.")
    inputs: list[InputRef] = Field(min_length=1, description="What this version was built from.")
    code_version: BuildVersion = Field(description="Version of the ETL code that built it.")
    business_dates: list[date] | None = Field(
        default=None, description="For `transactions`: the arrival dates this version has lines for."
    )
    rejected_rows: int = Field(default=0, ge=0, description="Rows quarantined while building this version.")
    flags: list[FlagCount] = Field(
        default_factory=list, description="Valid rows published with a review flag."
    )
    upload_id: Sha256 | None = Field(
        default=None, description="The upload (`manual.upload.received.v1`) the run was built from, if any."
    )


class RowsQuarantined(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.rows.quarantined.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "Validation rejected some rows of a dataset run. Each rejected row is kept, with the rule it "
        "failed and a reason a person understands, in the quarantine object; the valid rest went on "
        "(`etl.dataset.published.v1`) or, past the reject-rate threshold, the dataset was held "
        "(`etl.dataset.held.v1`). Nothing is lost: rows rejected for missing master data are "
        "re-evaluated when it arrives."
    )

    dataset: DatasetName = Field(description="Which dataset.")
    mode: Mode = Field(description="The path the rows came from.")
    run_id: Identifier = Field(description="The ETL run that rejected them.")
    quarantine: ClaimCheck = Field(description="The rejected rows with their rule and reason.")
    rejected_rows: int = Field(ge=1, description="Rows rejected.")
    total_rows: int = Field(ge=1, description="Rows the run read.")
    rules: list[RuleCount] = Field(min_length=1, description="Rejections per rule, most frequent first.")
    upload_id: Sha256 | None = Field(
        default=None, description="The upload (`manual.upload.received.v1`) the run was built from, if any."
    )


class DatasetHeld(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.dataset.held.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "A dataset run rejected more rows than its threshold allows, so nothing of it was published: "
        "the last good version stays current and customs keeps using it (reporting the fallback). "
        "The rejected rows are in the quarantine object. Someone has to fix the source or the upload."
    )

    dataset: DatasetName = Field(description="Which dataset.")
    mode: Mode = Field(description="The path the rows came from.")
    run_id: Identifier = Field(description="The ETL run that was held.")
    rule: RuleName = Field(description="The rule that rejected the most rows.")
    rejected_rows: int = Field(ge=0, description="Rows rejected.")
    total_rows: int = Field(ge=0, description="Rows the run read (an empty extract is held too).")
    reject_rate: Fraction = Field(description="rejected_rows / total_rows, as a decimal string.")
    threshold: Fraction = Field(description="The reject rate above which a dataset is held.")
    quarantine_uri: S3Uri = Field(description="The rejected rows with their rule and reason.")
    current_version: DatasetVersion | None = Field(
        default=None, description="The last good version, which stays current; absent when there is none yet."
    )
    upload_id: Sha256 | None = Field(
        default=None, description="The upload (`manual.upload.received.v1`) the run was built from, if any."
    )


class DatasetConfirmed(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.dataset.confirmed.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "A newer extract or upload rebuilt exactly the current version of a dataset (master data "
        "that did not change since last week, say): nothing is published and nothing needs "
        "rebuilding downstream, but the version is now known current as of `as_of`. The pipeline "
        "view and the stale-data alarms count it as a refresh."
    )

    dataset: DatasetName = Field(description="Which dataset.")
    mode: Mode = Field(description="The path the inputs came from.")
    version: DatasetVersion = Field(description="The current version, unchanged.")
    run_id: Identifier = Field(description="The ETL run that rebuilt it.")
    as_of: str = Field(min_length=1, max_length=64, description="When its newest input arrived (ISO 8601).")
    upload_id: Sha256 | None = Field(
        default=None, description="The upload (`manual.upload.received.v1`) the run was built from, if any."
    )


class FeeCoverage(BaseModel):
    """How far ahead the fee table covers, on the day it was built: a formal entry on a day it does not
    cover is flagged `fee_rate_missing` until an admin records that fiscal year."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    as_of: date = Field(description="The day coverage was measured (the day the notices landed).")
    covered_until: date | None = Field(
        description="The last day rows cover without a gap from `as_of`; absent when `as_of` has no row."
    )
    days_ahead: int = Field(ge=0, description="Days from `as_of` to `covered_until`; 0 when not covered.")
    threshold_days: int = Field(ge=0, description="Days ahead the table must cover (45 by default).")
    short: bool = Field(
        description="`days_ahead` is below the threshold: alert, an admin must record a year."
    )


class RejectedNotice(BaseModel):
    """A fee notice the table did not take, with the rule it broke."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    fiscal_year: int = Field(ge=1990, le=2100, description="The fiscal year the notice records.")
    effective_from: date = Field(description="The first day it would apply.")
    rule: RuleName = Field(
        description="e.g. `leaves_a_gap`, `overlaps`, `superseded`, `minimum_above_maximum`."
    )
    reason: str = Field(min_length=1, max_length=500, description="Why, for a person.")
    notice_event_id: str | None = Field(
        default=None,
        max_length=128,
        description="The `fees.notice.submitted.v1` that recorded it; absent for the shipped figures.",
    )


class FeeTablePublished(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.fee_table.published.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "A new version of the fee table is current: one row per period (normally a fiscal year) with "
        "the MPF rate, minimum and maximum, the HMF rate and the notice cited, contiguous and without "
        "overlaps. It applies to both modes. The snapshot is immutable and content-addressed under the "
        "ETL's `published/` prefix; customs keys its runs on `version`, re-runs the open dates whose "
        "fees changed and proposes corrections for closed ones. `coverage.short` asks for an alert; "
        "`rejected` lists notices the table did not take."
    )

    version: DatasetVersion = Field(description="The new current version.")
    snapshot: ClaimCheck = Field(description="The fee table's rows.")
    manifest_uri: S3Uri = Field(description="The version's manifest: inputs, rules, code version, counts.")
    inputs: list[InputRef] = Field(min_length=1, description="What this version was built from.")
    code_version: BuildVersion = Field(description="Version of the ETL code that built it.")
    coverage: FeeCoverage = Field(description="How far ahead the table covers.")
    rejected: list[RejectedNotice] = Field(
        default_factory=list, max_length=100, description="Notices not taken, with the rule each broke."
    )
    notice: FeeNoticeRef | None = Field(
        default=None,
        description="The admin's notice whose landing this build answers, when one did: taken unless "
        "`rejected` names it.",
    )
    quarantine: ClaimCheck | None = Field(
        default=None, description="The rejected notices, when there are any."
    )


class FeeTableConfirmed(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.fee_table.confirmed.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "The same fee notices landed again (the daily landing) and rebuilt exactly the current fee "
        "table: nothing is published, and the coverage is measured again as of that day. "
        "`coverage.short` asks for an alert; `rejected` lists the notices still not taken."
    )

    version: DatasetVersion = Field(description="The current version, unchanged.")
    run_id: Identifier = Field(description="The ETL run that rebuilt it.")
    coverage: FeeCoverage = Field(description="How far ahead the table covers, as of this landing.")
    rejected: list[RejectedNotice] = Field(
        default_factory=list, max_length=100, description="Notices not taken, with the rule each broke."
    )
    notice: FeeNoticeRef | None = Field(
        default=None,
        description="The admin's notice whose landing this build answers, when one did: taken unless "
        "`rejected` names it.",
    )


class ChangeCounts(BaseModel):
    """Statistical lines that changed between the two revisions, over the whole schedule."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    removed: int = Field(ge=0, description="Lines only in the revision in force.")
    added: int = Field(ge=0, description="Lines only in the new revision.")
    unit_changed: int = Field(ge=0, description="Lines in both whose unit differs.")
    rate_changed: int = Field(ge=0, description="Lines in both whose general rate text differs.")


class HtsRevisionChanged(Event):
    DETAIL_TYPE: ClassVar[str] = "etl.hts_revision.changed.v1"
    SOURCE: ClassVar[str] = "ior.etl"
    DESCRIPTION: ClassVar[str] = (
        "A newly landed official HTS revision differs from the one in force for some of the company's "
        "HTS numbers (ZFMIOR001): a line removed or added, its unit or its general rate changed. Each "
        "such number is listed with both revisions' facts; the whole comparison (every line of the "
        "schedule) is in `report`. Show it on the numbers and alert: a removed number's products will "
        "be quarantined, a changed rate or unit changes duty and quantities."
    )

    previous_revision: RevisionLabel = Field(description="The revision in force before, e.g. `2026 Rev. 4`.")
    revision: RevisionLabel = Field(description="The revision just landed, e.g. `2026 Rev. 5`.")
    company_codes: int = Field(ge=0, description="The company's HTS numbers compared.")
    changed: list[CodeChange] = Field(
        min_length=1, max_length=200, description="The company's numbers that changed (the first 200)."
    )
    changed_count: int = Field(ge=1, description="The company's numbers that changed, all of them.")
    counts: ChangeCounts = Field(description="Changes over the whole schedule.")
    report: ClaimCheck = Field(
        description="The whole comparison as JSON, under the ETL's `published/` prefix."
    )
