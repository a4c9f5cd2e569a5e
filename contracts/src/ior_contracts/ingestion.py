"""Ingestion: extracts asked for, landed raw with their checksums, or failed with a reason; the fee
notices landed; an official HTS revision left waiting."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event
from ior_contracts.vocabulary import DateWindow, Identifier, RevisionLabel, S3Uri, SourceName

ExtractTrigger = Literal["schedule", "cli", "api", "replay"]

FailureReason = Literal[
    "unreachable",
    "auth",
    "timeout",
    "rate_limited",
    "server_error",
    "not_found",
    "bad_request",
    "malformed",
    "incomplete",
    "conflict",
]


class ExtractRequested(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.extract.requested.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "Asks the ingestion service to extract one source. Emitted by the service's own schedules "
        "(daily for ZEMM07 and ZSDR002, weekly for the others) and by `ior ingest`. Without a window "
        "the service extracts from its watermark for that source (daily extracts look back 7 days so "
        "late cancellations arrive). The service answers with `ingestion.extract.landed.v1` or "
        "`ingestion.extract.failed.v1`."
    )

    source: SourceName = Field(description="The SAP extract or the USITC HTS export to fetch.")
    window: DateWindow | None = Field(
        default=None, description="Dates to extract; absent = from the source's watermark to today."
    )
    trigger: ExtractTrigger = Field(description="What asked: a schedule, the CLI, the API or a replay.")


class ExtractLanded(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.extract.landed.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "One extract was fetched completely and stored raw, unchanged, as an immutable object under "
        "the ingestion service's `published/` prefix, with an audit record of the run (requests, "
        "pages, checksums). The ETL builds its datasets from it; the watermark of the source has "
        "moved to `watermark`."
    )

    source: SourceName = Field(description="The extract that landed.")
    run_id: Identifier = Field(description="The ingestion run that fetched it.")
    window: DateWindow = Field(description="The dates the extract covers.")
    extract: ClaimCheck = Field(description="The raw extract (all pages, as received).")
    audit_uri: S3Uri = Field(description="The run's audit record, under the ingestion audit prefix.")
    pages: int = Field(ge=1, description="Number of pages fetched.")
    watermark: date = Field(description="The last date now extracted for this source.")
    revision: RevisionLabel | None = Field(
        default=None,
        description="For `USITC_HTS`: the official revision that landed, e.g. `2026 Rev. 10`; absent when "
        "the export came from a fixed location that does not say.",
    )
    release: str | None = Field(
        default=None,
        max_length=64,
        description="For `USITC_HTS`: the release as the USITC's release list names it (`2026HTSRev10`).",
    )


class ExtractFailed(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.extract.failed.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "An extract could not be fetched after its retries; nothing was landed and the source's "
        "watermark did not move, so the next run asks for the same dates again. `reason` is a closed "
        "set an alert can act on (`auth`: check the SAP credentials; `unreachable`, `timeout`, "
        "`rate_limited`, `server_error`: SAP side; `malformed`, `incomplete`: the response broke the "
        "OData contract; `conflict`: another run holds the same window)."
    )

    source: SourceName = Field(description="The extract that failed.")
    run_id: Identifier = Field(description="The ingestion run that failed.")
    window: DateWindow = Field(description="The dates it tried to extract.")
    reason: FailureReason = Field(description="Why, as a closed set.")
    detail: str = Field(min_length=1, max_length=2000, description="What happened, for a person.")
    page: int | None = Field(default=None, ge=1, description="The page that failed, when paging had begun.")
    attempts: int = Field(ge=1, description="How many attempts were made before giving up.")


class FeeNoticeRef(BaseModel):
    """The admin's notice that caused a landing."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1, max_length=128, description="The `fees.notice.submitted.v1` event.")
    fiscal_year: int = Field(ge=1990, le=2100, description="The fiscal year it records.")


class FeeNoticesRequested(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.fee_notices.requested.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "Asks the ingestion service to land the customs fee notices again (the ones the product ships "
        "and every one an admin recorded), so the ETL rebuilds the fee table and reports how far ahead "
        "it covers. Emitted by the service's daily schedule (so the coverage is measured every day); "
        "answered by `ingestion.fee_notices.landed.v1`."
    )

    trigger: ExtractTrigger = Field(description="What asked: the schedule, the CLI, the API or a replay.")


class FeeNoticesLanded(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.fee_notices.landed.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "The customs fee notices (source `CBP_FEES`) were landed as one immutable, content-addressed "
        "object under the ingestion service's `published/` prefix: the fiscal years' figures the product "
        "ships, each with its Federal Register citation, and every notice an admin recorded "
        "(`fees.notice.submitted.v1`), oldest first. The ETL builds the fee table from it."
    )

    run_id: Identifier = Field(description="The ingestion run that landed it.")
    extract: ClaimCheck = Field(description="The notices, one JSON object per line, gzip-compressed.")
    audit_uri: S3Uri = Field(description="The run's audit record, under the ingestion audit prefix.")
    shipped: int = Field(ge=0, description="Notices the product ships with.")
    recorded: int = Field(ge=0, description="Notices admins recorded.")
    trigger: ExtractTrigger = Field(description="What asked for the landing.")
    notice: FeeNoticeRef | None = Field(
        default=None, description="The admin's notice that caused this landing, when one did."
    )


OverdueReason = Literal["pinned", "not_landed"]


class HtsRevisionOverdue(Event):
    DETAIL_TYPE: ClassVar[str] = "ingestion.hts_revision.overdue.v1"
    SOURCE: ClassVar[str] = "ior.ingestion"
    DESCRIPTION: ClassVar[str] = (
        "A newer official HTS revision has been available from the USITC for longer than the stack "
        "allows (`threshold_days`) without landing: the stack is pinned to an older release "
        "(`pinned`), or the newer one could not be fetched (`not_landed`). Customs keeps using the "
        "revision in force; someone has to unpin the stack or look at the failed extracts."
    )

    landed_revision: RevisionLabel | None = Field(
        default=None, description="The newest revision that has landed; absent when none has."
    )
    latest_revision: RevisionLabel = Field(
        description="The newest revision the USITC lists, e.g. `2026 Rev. 11`."
    )
    latest_release: str = Field(
        min_length=1, max_length=64, description="Its release name, e.g. `2026HTSRev11`."
    )
    available_since: date = Field(description="The day the USITC's release list says it took effect.")
    days_waiting: int = Field(ge=0, description="Days since then, on the day of the check.")
    threshold_days: int = Field(ge=0, description="Days a newer revision may wait before this event.")
    reason: OverdueReason = Field(
        description="`pinned`: the stack names an older release; `not_landed`: it failed."
    )
