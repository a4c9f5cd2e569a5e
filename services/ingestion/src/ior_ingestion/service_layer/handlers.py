"""What the ingestion service does with an extract request: decide the window, take the run, fetch,
land, and announce what happened. Dependencies come in by name; no AWS client is created here."""

from __future__ import annotations

from dataclasses import dataclass

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Metadata, deterministic_event_id
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, ExtractRequested
from ior_contracts.vocabulary import DateWindow

from ior_ingestion.domain.sources import SapSource, source
from ior_ingestion.domain.windows import ExtractWindow
from ior_ingestion.ports import Deps, SourceError, StagedExtract
from ior_ingestion.service_layer.fetching import fetch, window_for


@dataclass(frozen=True)
class _Run:
    """One claimed extract: its source, its window, the ledger's key for that window, its id."""

    source: str
    window: ExtractWindow
    key: str
    run_id: str

    @property
    def contract_window(self) -> DateWindow:
        return DateWindow(from_date=self.window.from_date, to_date=self.window.to_date)


def extract_requested(
    message: ExtractRequested, *, cause: Metadata, deps: Deps, publish: Publish
) -> ExtractLanded | ExtractFailed | None:
    """Run one extract and announce its outcome. None when another trigger already holds (or has
    landed) this window."""
    declared = source(message.source)
    # The run date is the request's own: a re-delivery or replay asks for the same window.
    window = window_for(message, cause.occurred_at.date(), deps)
    key = f"{window.from_date}..{window.to_date}"
    run = _Run(
        message.source,
        window,
        key,
        deterministic_event_id("ingestion-run", message.source, key, cause.event_id),
    )
    claim = deps.ledger.claim(
        run.source, run.key, run.run_id, now=deps.clock(), lease_s=deps.config.run_lease_s
    )
    if not claim.won:
        return None
    outcome: ExtractLanded | ExtractFailed
    try:
        staged = fetch(declared, window, deps)
    except SourceError as exc:
        outcome = _failed(run, exc, deps)
    else:
        outcome = _land(run, staged, message, cause, deps)
        if isinstance(declared, SapSource) and declared.incremental:
            deps.ledger.advance_watermark(run.source, window.to_date)
    publish(outcome, event_id=deterministic_event_id(outcome.DETAIL_TYPE, outcome.run_id))
    return outcome


def _failed(run: _Run, exc: SourceError, deps: Deps) -> ExtractFailed:
    deps.ledger.finish(run.source, run.key, run.run_id, "failed", {"reason": exc.reason, "detail": str(exc)})
    return ExtractFailed(
        source=run.source,
        run_id=run.run_id,
        window=run.contract_window,
        reason=exc.reason,
        detail=str(exc)[:2000] or exc.reason,
        page=getattr(exc, "page", None),
        attempts=max(1, exc.attempts),
    )


def _land(
    run: _Run, staged: StagedExtract, message: ExtractRequested, cause: Metadata, deps: Deps
) -> ExtractLanded:
    record = {
        "source": run.source,
        "run_id": run.run_id,
        "window": {"from": run.window.from_date.isoformat(), "to": run.window.to_date.isoformat()},
        "trigger": message.trigger,
        "cause": cause.event_id,
        "rows": staged.rows,
        "pages": staged.pages,
    }
    try:
        landed = deps.landing.land(staged, source=run.source, run_id=run.run_id, record=record)
    finally:
        deps.staging.discard(staged)
    deps.ledger.finish(run.source, run.key, run.run_id, "landed", {"extract": landed.extract.uri})
    return ExtractLanded(
        source=run.source,
        run_id=run.run_id,
        window=run.contract_window,
        extract=landed.extract,
        audit_uri=landed.audit_uri,
        pages=staged.pages,
        watermark=run.window.to_date,
    )
