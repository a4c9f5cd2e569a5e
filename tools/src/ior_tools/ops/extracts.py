"""Asking the ingestion service for extracts, and waiting for each to land or fail: shared by
`ior ingest` and `ior run`. Beside the seven SAP sources and the USITC HTS, `CBP_FEES` asks for the
customs fee notices to be landed (the fee table customs needs before any run).

A date's extract is the window ending on it. Billing (ZSDR002) is extracted by arrival, so that
window brings every line arriving on the date, however long before it was billed; the exchange
rates those lines need are the billing dates' (DOMAIN §4 step 3), so `ior run` sizes the rates'
window from the billing dates that landed (`rates_window`)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ior_contracts.ingestion import ExtractRequested, FeeNoticesRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.domain.fee_notices import SOURCE as FEE_NOTICES
from ior_ingestion.domain.sources import SOURCES, SapSource

from ior_tools.ops.tap import Tap, caused_by

LANDED, FAILED = "ingestion.extract.landed.v1", "ingestion.extract.failed.v1"
FEES_LANDED = "ingestion.fee_notices.landed.v1"
OUTCOMES = (LANDED, FAILED, FEES_LANDED)
SOURCE_NAMES: tuple[str, ...] = (*(s.name for s in SOURCES), FEE_NOTICES)
BILLING, RATES = "ZSDR002", "ZEMM07"
RATE_AGE_DAYS = 7
"""DOMAIN §4 step 3: a line takes the rate of the latest GDATU ≤ FKDAT, at most 7 days before it."""


def request_for(
    name: str, day: date | None, window: DateWindow | None = None
) -> ExtractRequested | FeeNoticesRequested:
    """Without a date the service works from its watermark; with one, that date's window (or
    `window`, when given). The fee notices land whole, whatever the date."""
    if name == FEE_NOTICES:
        return FeeNoticesRequested(trigger="cli")
    return extract_request(name, day, window)


def extract_request(name: str, day: date | None, window: DateWindow | None = None) -> ExtractRequested:
    """An extract of one of the declared sources (see `request_for`)."""
    declared = next(s for s in SOURCES if s.name == name)
    if window is None and day is not None:
        lookback = declared.lookback_days if isinstance(declared, SapSource) and declared.incremental else 0
        window = DateWindow(from_date=day - timedelta(days=lookback), to_date=day)
    return ExtractRequested(source=name, window=window, trigger="cli")


def rates_window(day: date, billed: Iterable[date]) -> DateWindow:
    """The rates a date's lines can use: from `RATE_AGE_DAYS` before the earliest billing date among
    them (never less than the source's own look-back) to the date."""
    usual = extract_request(RATES, day).window
    assert usual is not None  # a dated request of an incremental source has a window
    earliest = min(billed, default=day) - timedelta(days=RATE_AGE_DAYS)
    return DateWindow(from_date=min(earliest, usual.from_date), to_date=day)


def billing_dates(s3: Any, landed: dict[str, Any]) -> set[date]:
    """The billing dates (FKDAT) of a landed ZSDR002 extract, read from its raw object; a date that
    is not one (SAP's initial date, a malformed value) is the ETL's to reject and is skipped here."""
    bucket, key = landed["detail"]["data"]["extract"]["uri"].removeprefix("s3://").split("/", 1)
    found: set[date] = set()
    with gzip.open(s3.get_object(Bucket=bucket, Key=key)["Body"], "rt", encoding="utf-8") as rows:
        for line in rows:
            text = json.loads(line).get("FKDAT") or ""
            try:
                found.add(date.fromisoformat(text))
            except ValueError:
                continue
    return found


def await_outcomes(tap: Tap, causes: dict[str, str], timeout: float) -> dict[str, dict[str, Any]]:
    """The landed/failed event answering each request, by the request's event id."""
    wanted = set(causes)

    def answered(seen: list[dict[str, Any]]) -> bool:
        return {e["detail"]["metadata"]["causation_id"] for e in caused_by(seen, wanted, OUTCOMES)} >= wanted

    seen = tap.wait(answered, timeout)
    return {e["detail"]["metadata"]["causation_id"]: e for e in caused_by(seen, wanted, OUTCOMES)}


def landed(event: dict[str, Any]) -> bool:
    """Whether an outcome is a landing (of an extract or of the fee notices)."""
    return event["detail-type"] in (LANDED, FEES_LANDED)
