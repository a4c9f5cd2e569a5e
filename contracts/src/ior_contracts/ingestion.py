"""Ingestion: extracts asked for, landed raw with their checksums, or failed with a reason."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event
from ior_contracts.vocabulary import DateWindow, Identifier, S3Uri, SourceName

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
