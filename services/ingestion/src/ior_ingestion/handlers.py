"""What the ingestion service does with an extract request: decide the window, take the run, fetch,
land, and say what happened. Dependencies come in by name; no AWS client is created here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ior_contracts.envelope import deterministic_event_id
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, ExtractRequested
from ior_contracts.vocabulary import DateWindow

from ior_ingestion.adapters.landing import Landed, StagedExtract, stage_bytes, stage_pages
from ior_ingestion.adapters.ledger import Claim
from ior_ingestion.adapters.retrying import SourceError
from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.sources import HtsSource, SapSource, source
from ior_ingestion.domain.windows import ExtractWindow, extract_window


class SapPort(Protocol):
    def iter_source(
        self, source: SapSource, window: ExtractWindow | None
    ) -> Iterator[list[dict[str, Any]]]: ...
    def close(self) -> None: ...


class HtsPort(Protocol):
    def fetch(self) -> tuple[Iterable[bytes], int]:
        """The export's bytes and its row count, validated."""
        ...


class LedgerPort(Protocol):
    def claim(self, source: str, window: str, run_id: str, *, now: int, lease_s: int) -> Claim: ...
    def finish(self, source: str, window: str, run_id: str, status: str, details: dict[str, str]) -> None: ...
    def watermark(self, source: str) -> date | None: ...
    def advance_watermark(self, source: str, to: date) -> None: ...


class LandingPort(Protocol):
    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed: ...


@dataclass
class Deps:
    config: IngestionConfig
    sap: Callable[[], SapPort]
    hts: Callable[[], HtsPort]
    ledger: LedgerPort
    landing: LandingPort
    clock: Callable[[], int]


def window_for(cmd: ExtractRequested, run_date: date, deps: Deps) -> ExtractWindow:
    """The request's own window, else the watermark less the look-back; whole extracts are dated
    by their run."""
    if cmd.window is not None:
        return ExtractWindow(cmd.window.from_date, cmd.window.to_date)
    declared = source(cmd.source)
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


def extract(
    cmd: ExtractRequested, *, run_date: date, cause: str, deps: Deps
) -> ExtractLanded | ExtractFailed | None:
    """Run one extract. None when another trigger already holds (or has landed) this window."""
    declared = source(cmd.source)
    window = window_for(cmd, run_date, deps)
    window_key = f"{window.from_date}..{window.to_date}"
    run_id = deterministic_event_id("ingestion-run", cmd.source, window_key, cause)
    claim = deps.ledger.claim(
        cmd.source, window_key, run_id, now=deps.clock(), lease_s=deps.config.run_lease_s
    )
    if not claim.won:
        return None
    contract_window = DateWindow(from_date=window.from_date, to_date=window.to_date)
    try:
        staged = _fetch(declared, window, deps)
    except SourceError as exc:
        deps.ledger.finish(
            cmd.source, window_key, run_id, "failed", {"reason": exc.reason, "detail": str(exc)}
        )
        return ExtractFailed(
            source=cmd.source,
            run_id=run_id,
            window=contract_window,
            reason=exc.reason,
            detail=str(exc)[:2000] or exc.reason,
            page=getattr(exc, "page", None),
            attempts=max(1, exc.attempts),
        )
    try:
        record = {
            "source": cmd.source,
            "run_id": run_id,
            "window": {"from": window.from_date.isoformat(), "to": window.to_date.isoformat()},
            "trigger": cmd.trigger,
            "cause": cause,
            "rows": staged.rows,
            "pages": staged.pages,
        }
        landed = deps.landing.land(staged, source=cmd.source, run_id=run_id, record=record)
    finally:
        staged.path.unlink(missing_ok=True)
    deps.ledger.finish(cmd.source, window_key, run_id, "landed", {"extract": landed.extract.uri})
    if isinstance(declared, SapSource) and declared.incremental:
        deps.ledger.advance_watermark(cmd.source, window.to_date)
    return ExtractLanded(
        source=cmd.source,
        run_id=run_id,
        window=contract_window,
        extract=landed.extract,
        audit_uri=landed.audit_uri,
        pages=staged.pages,
        watermark=window.to_date,
    )


def _fetch(declared: SapSource | HtsSource, window: ExtractWindow, deps: Deps) -> StagedExtract:
    if isinstance(declared, HtsSource):
        chunks, rows = deps.hts().fetch()
        return stage_bytes(chunks, rows, "json.gz")
    client = deps.sap()
    try:
        return stage_pages(client.iter_source(declared, window if declared.incremental else None))
    finally:
        client.close()
