"""Asking the ingestion service for extracts, and waiting for each to land or fail: shared by
`ior ingest` and `ior run`. Beside the seven SAP sources and the USITC HTS, `CBP_FEES` asks for the
customs fee notices to be landed (the fee table customs needs before any run)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from ior_contracts.ingestion import ExtractRequested, FeeNoticesRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.domain.fee_notices import SOURCE as FEE_NOTICES
from ior_ingestion.domain.sources import SOURCES, SapSource

from ior_tools.runtime.eventlog import EventLog

LANDED, FAILED = "ingestion.extract.landed.v1", "ingestion.extract.failed.v1"
FEES_LANDED = "ingestion.fee_notices.landed.v1"
OUTCOMES = (LANDED, FAILED, FEES_LANDED)
SOURCE_NAMES: tuple[str, ...] = (*(s.name for s in SOURCES), FEE_NOTICES)


def request_for(name: str, day: date | None) -> ExtractRequested | FeeNoticesRequested:
    """Without a date the service works from its watermark; with one, that date's window. The fee
    notices land whole, whatever the date."""
    if name == FEE_NOTICES:
        return FeeNoticesRequested(trigger="cli")
    declared = next(s for s in SOURCES if s.name == name)
    window = None
    if day is not None:
        lookback = declared.lookback_days if isinstance(declared, SapSource) and declared.incremental else 0
        window = DateWindow(from_date=day - timedelta(days=lookback), to_date=day)
    return ExtractRequested(source=name, window=window, trigger="cli")


def await_outcomes(log: EventLog, causes: dict[str, str], timeout: float) -> dict[str, dict[str, Any]]:
    """The landed/failed event answering each request, by the request's event id."""
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(causes) and time.monotonic() < deadline:
        for logged in log.caused_by(list(causes), OUTCOMES):
            found[logged.event["detail"]["metadata"]["causation_id"]] = logged.event
        if len(found) < len(causes):
            time.sleep(0.2)
    return found


def landed(event: dict[str, Any]) -> bool:
    """Whether an outcome is a landing (of an extract or of the fee notices)."""
    return event["detail-type"] in (LANDED, FEES_LANDED)
