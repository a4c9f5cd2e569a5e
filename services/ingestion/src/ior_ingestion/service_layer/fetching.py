"""Which dates an extract covers, and fetching a SAP source into a staged file (the official HTS
export: `official_hts`)."""

from __future__ import annotations

from datetime import date

from ior_contracts.ingestion import ExtractRequested

from ior_ingestion.domain.sources import SapSource, source
from ior_ingestion.domain.windows import ExtractWindow, extract_window
from ior_ingestion.ports import Deps, StagedExtract


def window_for(request: ExtractRequested, run_date: date, deps: Deps) -> ExtractWindow:
    """The request's own window, else the watermark less the look-back; whole extracts are dated
    by their run."""
    if request.window is not None:
        return ExtractWindow(request.window.from_date, request.window.to_date)
    declared = source(request.source)
    if isinstance(declared, SapSource):
        window = extract_window(
            declared,
            run_date=run_date,
            watermark=deps.ledger.watermark(declared.name),
            initial_start=deps.config.initial_start,
        )
        if window is not None:
            return window
    return ExtractWindow(run_date, run_date)


def fetch(declared: SapSource, window: ExtractWindow, deps: Deps) -> StagedExtract:
    """The whole source staged, page by page (an incremental source within its window), or a
    `SourceError`."""
    client = deps.sap()
    try:
        return deps.staging.stage_pages(
            client.iter_source(declared, window if declared.incremental else None)
        )
    finally:
        client.close()
