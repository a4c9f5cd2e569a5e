"""Request and response bodies, in families: `XBase` (shared fields), `XCreate` (in), `XPublic` (out)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from ior_contracts.compare import ComparisonCompleted, ComparisonRequested, DiscrepancyDetected
from ior_contracts.customs_parts import Fallback, ReasonCount
from ior_contracts.cutover import CutoverStateChanged, OfficialRunDesignated
from ior_contracts.etl_parts import CodeChange, RuleCount
from ior_contracts.fees import Citation, FeeNoticeSubmitted
from ior_contracts.vocabulary import DecimalAmount, Fraction, Identifier, Reason
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    Strict,
    ValidationError,
    computed_field,
    model_validator,
)

from ior_api.domain.auth.passwords import MIN_LENGTH, WeakPasswordError, check_policy
from ior_api.domain.lines import distinct_materials, source_materials
from ior_api.domain.parity import PARITY_DAYS

# The years a date may name: a business date is in this century or the last, and arithmetic on it
# (a window of days before it) never leaves what Python's dates hold.
YEARS = "(19|20)[0-9]{2}"
ISO_DATE = rf"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
ISO_DATE_TIME = rf"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}T"


def _iso(pattern: str, example: str) -> Any:
    # JSON has no date type: a date is an ISO 8601 string, never a number read as a timestamp.
    def check(value: Any) -> Any:
        if isinstance(value, date) or (isinstance(value, str) and re.match(pattern, value)):
            return value
        raise ValueError(f"must be an ISO 8601 string of the years 1900 to 2099, such as {example}")

    return check


IsoDate = Annotated[
    date,
    BeforeValidator(_iso(ISO_DATE, "2026-03-16")),
    Field(json_schema_extra={"pattern": ISO_DATE}),
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso(ISO_DATE_TIME, "2026-03-16T00:00:00Z")),
    Field(json_schema_extra={"pattern": ISO_DATE_TIME}),
]
Flag = Annotated[bool, Strict()]

Role = Literal["admin", "operator"]
USERNAME = r"^[a-z][a-z0-9._-]{1,63}$"
Username = Annotated[str, Field(pattern=USERNAME)]
# A user named in a path: the same rule, so no key longer than DynamoDB's reaches the table.
UsernamePath = Annotated[str, Path(pattern=USERNAME, max_length=64)]
COMPARISON_ID = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$"
ComparisonIdPath = Annotated[str, Path(pattern=COMPARISON_ID, max_length=128)]


class Body(BaseModel):
    """A request or response body: its validator and serializer are built when a route first uses
    it, not at import. A cold start serves one route; building every body at import was a fifth of
    what the function adds to the import of FastAPI, Mangum and a boto3 client."""

    model_config = ConfigDict(defer_build=True)


class Message(Body):
    detail: str


class LoginRequest(Body):
    username: str = Field(min_length=1, max_length=64)
    password: SecretStr = Field(min_length=1, max_length=1024)


def _policy(password: SecretStr) -> SecretStr:
    try:
        check_policy(password.get_secret_value())
    except WeakPasswordError as exc:
        raise ValueError(str(exc)) from None
    return password


# A password being set: the policy's refusal is a validation error of the field, like its length.
NewPassword = Annotated[
    SecretStr,
    Field(
        min_length=MIN_LENGTH,
        max_length=1024,
        description=f"At least {MIN_LENGTH} characters, not blank, not one of the most common passwords.",
    ),
    AfterValidator(_policy),
]


class PasswordChange(Body):
    current_password: SecretStr = Field(min_length=1, max_length=1024)
    new_password: NewPassword


class SessionPublic(Body):
    username: str
    role: Role
    expires_at: datetime
    csrf_token: str = Field(description="Send it back in `X-CSRF-Token` on every state-changing request.")


class UserBase(Body):
    username: Username
    role: Role
    active: Flag = True


class UserCreate(UserBase):
    password: NewPassword


class UserPublic(UserBase):
    model_config = ConfigDict(from_attributes=True)


class Accepted(Body):
    """A request put on the bus; the answer arrives as an event and shows up in the read models."""

    id: str
    detail_type: str
    event_id: str


class CustomsRunCreate(Body):
    business_date: IsoDate
    mode: Literal["automated", "manual"] = "automated"
    reason: Reason


class FeeNoticeCreate(Body):
    """A fiscal year's MPF and HMF figures as CBP published them, with the notice cited. Who records
    them is the signed-in admin, never a field of the request."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: Annotated[int, Strict()] = Field(
        ge=1990, le=2100, description="e.g. 2027: from 1 October 2026."
    )
    mpf_rate: Fraction = Field(description="MPF ad valorem rate as a fraction, e.g. `0.003464`.")
    mpf_minimum: DecimalAmount = Field(description="MPF minimum per formal entry, USD.")
    mpf_maximum: DecimalAmount = Field(description="MPF maximum per formal entry, USD.")
    hmf_rate: Fraction = Field(description="HMF ad valorem rate for vessel modes, e.g. `0.00125`.")
    citation: Citation = Field(description="Federal Register citation, CBP decision or CSMS number.")
    effective_from: IsoDate | None = Field(default=None, description="When not 1 October before the year.")
    effective_to: IsoDate | None = Field(default=None, description="When not 30 September of the year.")

    @model_validator(mode="after")
    def _keeps_its_contract(self) -> FeeNoticeCreate:
        # The contract's own rules (the days inside the fiscal year, say) answer 422 here, not later.
        try:
            FeeNoticeSubmitted.model_validate({**self.model_dump(mode="json"), "submitted_by": "check"})
        except ValidationError as broken:
            raise ValueError("; ".join(str(e["msg"]) for e in broken.errors())) from None
        return self


class ComparisonCreate(Body):
    business_date: IsoDate
    reason: Reason


class ComparisonResultPublic(ComparisonCompleted):
    model_config = ConfigDict(defer_build=True)  # as every `Body`
    completed_at: datetime = Field(description="When the compare service announced it.")


class ComparisonPublic(Body):
    comparison_id: Identifier
    business_date: date
    status: Literal["requested", "passed", "failed"]
    requested: ComparisonRequested | None = Field(
        default=None, description="The API's own request, if it asked."
    )
    result: ComparisonResultPublic | None = Field(default=None, description="The compare service's answer.")
    discrepancy: DiscrepancyDetected | None = Field(
        default=None, description="Its discrepancy, if it failed."
    )


class CutoverCreate(Body):
    action: Literal["cutover", "rollback"]
    effective_date: IsoDate
    reason: Reason
    force: Flag = False


class ParityDay(Body):
    business_date: date
    passed: bool
    streak: int | None = Field(
        description="The parity streak up to and including this date, as the compare service counted "
        "it when it made this comparison; null when it did not say."
    )


class CutoverChangePublic(CutoverStateChanged):
    model_config = ConfigDict(defer_build=True)  # as every `Body`
    changed_at: datetime


class OfficialRunPublic(OfficialRunDesignated):
    model_config = ConfigDict(defer_build=True)  # as every `Body`
    designated_at: datetime


class CutoverPublic(Body):
    state: Literal["shadow", "cutover"]
    effective_date: date | None
    changes: list[CutoverChangePublic] = Field(description="Every state change, newest first.")
    official_runs: list[OfficialRunPublic] = Field(
        description="The latest designated official runs, newest first."
    )
    streak: int | None = Field(
        description="The parity streak as of the latest compared date, as the compare service counted "
        "it; null before the first comparison that says it."
    )
    required_streak: int | None = Field(
        description="The streak a cutover needs without `force`, as the compare service last said it."
    )
    parity: list[ParityDay] = Field(
        description=f"The latest comparison of each compared date, newest first, at most {PARITY_DAYS}."
    )


class AlertDetails(Body):
    """What an alert carries besides its sentence, by kind; absent fields do not apply to it."""

    alarm: str | None = Field(default=None, description="A CloudWatch alarm's name.")
    state: str | None = Field(default=None, description="The alarm's new state.")
    previous: str | None = Field(default=None, description="The alarm's state before.")
    description: str | None = Field(default=None, description="The alarm's own description.")
    rules: list[RuleCount] | None = Field(default=None, description="Rows quarantined, per rule.")
    reasons: list[ReasonCount] | None = Field(
        default=None, description="Invoice lines quarantined, per reason."
    )
    inputs: dict[str, str] | None = Field(default=None, description="A failed run's dataset versions.")
    landed_revision: str | None = Field(default=None, description="The HTS revision in force, when overdue.")
    threshold_days: int | None = Field(default=None, description="Days a revision may wait before the alert.")
    changed: list[CodeChange] | None = Field(
        default=None, description="The first company HTS numbers changed."
    )
    notice_event_id: str | None = Field(default=None, description="The fee notice the table did not take.")


class AlertPublic(Body):
    id: str
    kind: str
    since: datetime
    business_date: date | None
    severity: Literal["critical", "warning", "info"]
    what: str
    where: str
    action: str
    link: str
    details: AlertDetails


class EntryTotals(Body):
    value: int = Field(description="Entered value, whole US dollars.")
    duty: str | None = Field(description="Duty, decimal dollars.")
    mpf: str | None = Field(description="Merchandise processing fee; null for an informal entry.")
    hmf: str | None = Field(description="Harbor maintenance fee; null when none is due.")


class EntrySummary(Body):
    entry_id: str
    port: str
    arrival: date
    formal: bool
    flags: list[str]
    totals: EntryTotals = Field(description="The entry's totals as filed, over all of its lines.")
    lines: int = Field(ge=0, description="How many lines the entry has.")


class LineLineage(Body):
    datasets: dict[str, str] = Field(default_factory=dict, description="Each dataset's version the run read.")
    provisions: dict[str, list[int]] = Field(
        default_factory=dict, description="Per chapter 99 number, the tariff-provision rows behind it."
    )


class EntryLinePublic(Body):
    """One customs line as its entry holds it: its stack's rates and duties per HTS number, and its
    lineage."""

    line: int
    hts10: str
    description: str | None
    origin: str
    part: str
    stack: list[str] = Field(description="HTS numbers in filing order, chapter 99 numbers first.")
    rates: dict[str, str] = Field(default_factory=dict, description="Ad valorem rate per HTS number.")
    duties: dict[str, str] = Field(default_factory=dict, description="Duty per HTS number, dollars.")
    quantity: dict[str, int] = Field(description="Reported quantity by unit (`No.`, `kg`).")
    # Whole kilograms as published; older documents wrote them as decimal text.
    net_kg: int | str | None
    gross_kg: int | str | None
    value: int = Field(description="Whole dollars.")
    duty: str = Field(description="The line's duty, dollars.")
    sources: list[tuple[str, int | str]] = Field(
        description="The invoice items consolidated: (document, item)."
    )
    source_materials: list[str | None] = Field(
        description="The SAP material of each invoice item, in the order of `sources` (without SAP's "
        "leading zeros); null where unknown, as for every item of a run published before lines carried them."
    )
    lineage: LineLineage = Field(default_factory=LineLineage)

    @model_validator(mode="before")
    @classmethod
    def _materials_beside_sources(cls, line: Any) -> Any:
        return line | {"source_materials": source_materials(line)} if isinstance(line, dict) else line

    @computed_field(description="The line's materials, each once, sorted.")  # type: ignore[prop-decorator]
    @property
    def materials(self) -> list[str]:
        return distinct_materials({"sources": self.sources, "source_materials": self.source_materials})


class CustomsLinePublic(EntryLinePublic):
    """One customs line as filed, with its entry's identity and fees, its stack's rates and duties
    per HTS number, and its lineage."""

    entry_id: str
    port: str
    arrival: str
    entry_mpf: DecimalAmount | None = Field(default=None, description="The entry's MPF (once per entry).")
    entry_hmf: DecimalAmount | None = Field(default=None, description="The entry's HMF (once per entry).")


class EntryDocumentPublic(Body):
    """An entry as the run filed it: its identity, totals and flags, and every line."""

    entry_id: str
    port: str
    arrival: date
    mode: str | None = Field(default=None, description="The CBP transport mode code, e.g. `10`.")
    formal: bool
    flags: list[str]
    totals: EntryTotals
    lines: list[EntryLinePublic]


class LinesTotals(Body):
    lines: int
    entries: int
    value: int = Field(description="Σ line values, whole dollars.")
    duty_cents: int = Field(description="Σ line duties, cents.")


class QuarantinedLinePublic(Body):
    document: str
    item: int
    material: str | None
    reason: str
    fix: str = Field(description="What the line needs before a run can take it.")


class CustomsLinesPublic(Body):
    business_date: date
    mode: Literal["automated", "manual"]
    run_id: str
    official: bool = Field(description="Whether this run's lines are the date's official ones.")
    totals: dict[str, int]
    fallbacks: list[Fallback]
    quarantined_lines: int
    page: int
    page_size: int
    total: int = Field(description="Lines matching the filters, over all pages.")
    filtered_totals: LinesTotals = Field(
        description="What the lines matching the filters add up to (over all pages); `totals` is the run's."
    )
    lines: list[CustomsLinePublic]
    entries: list[EntrySummary] = Field(
        description="The entries of this page's lines, in filing order, without their lines; "
        "`filtered_totals.entries` counts those of every page."
    )


class UploadedFilePublic(Body):
    filename: str
    kind: str
    rows: int | None = Field(
        description="Data rows, as checked; null for a presigned upload, which the ETL checks and counts."
    )
    sha256: str


class UploadPublic(Body):
    upload_id: str = Field(description="SHA-256 of the bundle: the same files give the same id.")
    event_id: str
    business_date: date | None
    files: list[UploadedFilePublic]


class UploadProblem(Body):
    file: str
    row: int | None = Field(
        description="The row as a spreadsheet numbers it (header = 1); none for the file."
    )
    column: str | None
    rule: str
    message: str


class UploadFileSummary(Body):
    file: str
    problems: int = Field(description="Problems found in the file (until the check stopped, if it did).")
    by_rule: dict[str, int]
    by_column: dict[str, int]
    stopped_at_row: int | None = Field(
        description="The file had so many problems that the check stopped after this row; none when "
        "every row was checked."
    )
    listed: int = Field(description="Of `problems`, how many `errors` lists in full; the rest are counted.")


class RequestProblem(Body):
    """One of FastAPI's validation errors: where in the request, and why."""

    loc: list[str | int]
    msg: str
    type: str


class UploadRejected(Body):
    """The bundle breaks its pinned formats; nothing was stored. `errors` lists the first problems of
    each file, `summary` counts all of them by rule and column. (Malformed requests get FastAPI's
    validation list in `detail` instead, with no `errors`.)"""

    detail: str | list[RequestProblem]
    errors: list[UploadProblem] = Field(default_factory=list)
    summary: list[UploadFileSummary] = Field(default_factory=list)


LegacyFileName = Literal[
    "Product_List.csv",
    "HTS_Code.csv",
    "HTS Tariff.csv",
    "Packaging_Material.csv",
    "Exchange_Rates.csv",
    "Invoice_Lines.csv",
]


class LegacyFormatPublic(Body):
    filename: LegacyFileName = Field(description="The pinned name the file must have.")
    kind: str = Field(description="Which legacy file it is, e.g. `invoice_lines`.")
    header: list[str] = Field(description="The header row, column by column, exactly.")


class UploadFormatsPublic(Body):
    """What every upload must be: the accepted file names with their headers, and the rules common to
    every file. The dashboard refuses other names before sending anything."""

    encoding: str = Field(description="e.g. `UTF-8 with a byte-order mark`.")
    line_ending: str = Field(description="e.g. `CRLF`.")
    separator: str
    rules: list[str] = Field(description="The rules every file follows, each a sentence.")
    max_direct_bytes: int = Field(description="Bundles over this go through `POST /api/uploads/presigned`.")
    files: list[LegacyFormatPublic]


class UploadedFileRecordPublic(Body):
    filename: str
    kind: str
    rows: int | None = Field(
        description="Rows checked by the API; null when the ETL checks the file (presigned)."
    )


class DatasetOutcomePublic(Body):
    dataset: str
    status: Literal["published", "confirmed", "held", "quarantined"] = Field(
        description="`published`: a new version is current; `confirmed`: the current one rebuilt unchanged; "
        "`held`: too many rows rejected, nothing published; `quarantined`: some rows rejected."
    )
    at: datetime
    version: str | None = Field(description="The version published or confirmed, or kept current when held.")
    rows: int | None = Field(description="Rows published, or read when held or quarantined.")
    rejected_rows: int | None
    detail: str


class UploadHistoryEntryPublic(Body):
    upload_id: str
    event_id: str
    uploaded_at: datetime
    uploaded_by: str
    business_date: date | None
    files: list[UploadedFileRecordPublic]
    outcomes: list[DatasetOutcomePublic] = Field(
        description="What the ETL made of the upload so far, per dataset; empty while it is processing."
    )


class PresignRequest(Body):
    files: list[LegacyFileName] = Field(min_length=1, max_length=6)


class PresignedTarget(Body):
    filename: str
    url: str
    fields: dict[str, str]


class PresignedUpload(Body):
    session: str
    expires_in: int
    targets: list[PresignedTarget]


class PresignedComplete(Body):
    business_date: IsoDate | None = None


class FreshnessPublic(Body):
    state: Literal["fresh", "stale", "never"]
    age_s: int | None
    max_age_s: int


class RunPublic(Body):
    status: Literal["landed", "failed", "published", "confirmed", "held"]
    run_id: str
    at: datetime
    rows: int | None
    detail: str | None


class SourceStatus(Body):
    name: str
    last_run: RunPublic | None
    last_success_at: datetime | None
    failures: int = Field(description="Failed runs since the last success.")
    freshness: FreshnessPublic


class DatasetStatus(Body):
    name: str
    mode: Literal["automated", "manual"]
    version: str | None
    published_at: datetime | None
    rows: int | None
    rejected_rows: int | None
    held: bool = Field(description="Whether the newest run was held (the last good version stays current).")
    failures: int = Field(description="Held runs since the last publication.")
    freshness: FreshnessPublic


class QueueStatus(Body):
    subscription: str
    depth: int
    dlq_depth: int


class ReplayPublic(Body):
    name: str
    state: str
    stage: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    reason: str | None = None


class RefusedNoticePublic(Body):
    fiscal_year: int
    effective_from: date
    rule: str
    reason: str
    notice_event_id: str | None = None


class FeeTableStatus(Body):
    """How far ahead the fee table covers, counted from today; `short` below `threshold_days`."""

    version: str | None = Field(description="The fee table in force; null before the notices first land.")
    covered_until: date | None
    days_ahead: int
    threshold_days: int
    short: bool
    measured_at: datetime | None = Field(description="When the coverage was last measured (daily).")
    problem: str | None = Field(description="What is wrong, for a person; null when nothing is.")
    refused: list[RefusedNoticePublic] = Field(description="Notices the table did not take.")


class HtsCodeChangePublic(Body):
    hts10: str
    changes: list[str]
    before: dict[str, str] | None
    after: dict[str, str] | None


class HtsRevisionStatus(Body):
    """The official HTS revision: the last one landed, a newer one waiting, the last change to the
    company's numbers."""

    landed: str | None = Field(description="e.g. `2026 Rev. 10`; null before the first landing.")
    landed_at: datetime | None
    waiting: str | None = Field(description="A newer revision waiting past the threshold, for a person.")
    changed_from: str | None = Field(description="The revision the last change was measured against.")
    changed_to: str | None
    changed_count: int
    changed: list[HtsCodeChangePublic] = Field(description="The company's numbers that changed (first 200).")


class PipelinePublic(Body):
    generated_at: datetime
    sources: list[SourceStatus]
    datasets: list[DatasetStatus]
    queues: list[QueueStatus]
    replays: list[ReplayPublic]
    fee_table: FeeTableStatus
    hts_revision: HtsRevisionStatus


Stage = Literal["ingestion", "etl", "customs", "compare", "api"]


class ReplayCreate(Body):
    stage: Stage = Field(description="A service: the archive's events go to its rules only.")
    since: IsoDateTime
    until: IsoDateTime
    reason: Reason

    @model_validator(mode="after")
    def _forward(self) -> ReplayCreate:
        if self.until < self.since:
            raise ValueError("until must not be before since")
        return self


class EntryPublic(Body):
    business_date: date
    mode: Literal["automated", "manual"]
    run_id: str
    official: bool
    datasets: dict[str, str] = Field(description="The version of each dataset the run used.")
    config_version: str
    entry: EntryDocumentPublic = Field(
        description="The entry with its totals and lines; each line with its invoice items (`sources`) "
        "and lineage (dataset versions, the provision rows behind each chapter 99 number)."
    )


class DailyTotal(Body):
    business_date: date
    mode: Literal["automated", "manual"]
    entries: int
    lines: int
    value_cents: int
    duty_cents: int
    mpf_cents: int
    hmf_cents: int
