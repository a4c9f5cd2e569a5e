"""Asking the ingestion service for extracts, and waiting for each to land or fail: shared by
`ior ingest` and `ior run`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ior_contracts.ingestion import ExtractRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.domain.sources import SOURCES, SapSource

from ior_tools.ops.tap import Tap, caused_by

LANDED, FAILED = "ingestion.extract.landed.v1", "ingestion.extract.failed.v1"
OUTCOMES = (LANDED, FAILED)


def request_for(name: str, day: date | None) -> ExtractRequested:
    """Without a date the service works from its watermark; with one, that date's window."""
    declared = next(s for s in SOURCES if s.name == name)
    window = None
    if day is not None:
        lookback = declared.lookback_days if isinstance(declared, SapSource) and declared.incremental else 0
        window = DateWindow(from_date=day - timedelta(days=lookback), to_date=day)
    return ExtractRequested(source=name, window=window, trigger="cli")


def await_outcomes(tap: Tap, causes: dict[str, str], timeout: float) -> dict[str, dict[str, Any]]:
    """The landed/failed event answering each request, by the request's event id."""
    wanted = set(causes)

    def answered(seen: list[dict[str, Any]]) -> bool:
        return {e["detail"]["metadata"]["causation_id"] for e in caused_by(seen, wanted, OUTCOMES)} >= wanted

    seen = tap.wait(answered, timeout)
    return {e["detail"]["metadata"]["causation_id"]: e for e in caused_by(seen, wanted, OUTCOMES)}
