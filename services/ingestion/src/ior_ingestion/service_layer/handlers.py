"""What the ingestion service does with its messages: an extract request (decide the window, take
the run, fetch, land, announce what happened), an admin's fee notice (keep it, land the notices
again) and the fee notices' schedule. Dependencies come in by name; no AWS client is created here."""

from __future__ import annotations

from dataclasses import dataclass

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Metadata, deterministic_event_id
from ior_contracts.fees import FeeNoticeSubmitted
from ior_contracts.ingestion import (
    ExtractFailed,
    ExtractLanded,
    ExtractRequested,
    FeeNoticeRef,
    FeeNoticesLanded,
    FeeNoticesRequested,
)
from ior_contracts.vocabulary import DateWindow

from ior_ingestion.domain.fee_notices import submitted_notice
from ior_ingestion.domain.releases import Release
from ior_ingestion.domain.sources import HtsSource, SapSource, source
from ior_ingestion.domain.windows import ExtractWindow
from ior_ingestion.ports import Deps, SourceError, StagedExtract
from ior_ingestion.service_layer.fee_notices import land_fee_notices
from ior_ingestion.service_layer.fetching import fetch, window_for
from ior_ingestion.service_layer.official_hts import announce_overdue, fetch_official, plan_official


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
    release: Release | None = None
    newest: Release | None = None
    try:
        if isinstance(declared, HtsSource):
            # The revision in effect when the request was made, whatever dates it names: a replay
            # of an old date never lands an older revision over the current one.
            plan = plan_official(deps, cause.occurred_at.date())
            release, newest = plan.target, plan.newest
            staged = fetch_official(plan, deps)
        else:
            staged = fetch(declared, window, deps)
    except SourceError as exc:
        outcome = _failed(run, exc, deps)
    else:
        outcome = _land(run, staged, message, cause, deps, release)
        if isinstance(declared, SapSource) and declared.incremental:
            deps.ledger.advance_watermark(run.source, window.to_date)
    publish(outcome, event_id=deterministic_event_id(outcome.DETAIL_TYPE, outcome.run_id))
    if isinstance(declared, HtsSource):
        announce_overdue(newest, cause.occurred_at.date(), deps, publish)
    return outcome


def fee_notice_submitted(
    message: FeeNoticeSubmitted, *, cause: Metadata, deps: Deps, publish: Publish
) -> FeeNoticesLanded:
    """Keep the admin's notice (audited), then land every notice again with it."""
    notice = submitted_notice(message, event_id=cause.event_id, recorded_at=cause.occurred_at)
    deps.fee_notices.record(notice)
    ref = FeeNoticeRef(event_id=cause.event_id, fiscal_year=message.fiscal_year)
    return land_fee_notices("api", cause, deps, publish, ref)


def fee_notices_requested(
    message: FeeNoticesRequested, *, cause: Metadata, deps: Deps, publish: Publish
) -> FeeNoticesLanded:
    return land_fee_notices(message.trigger, cause, deps, publish)


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
    run: _Run,
    staged: StagedExtract,
    message: ExtractRequested,
    cause: Metadata,
    deps: Deps,
    release: Release | None,
) -> ExtractLanded:
    record = {
        "source": run.source,
        "run_id": run.run_id,
        "window": {"from": run.window.from_date.isoformat(), "to": run.window.to_date.isoformat()},
        "trigger": message.trigger,
        "cause": cause.event_id,
        "rows": staged.rows,
        "pages": staged.pages,
        **({"revision": release.label, "release": release.name} if release else {}),
    }
    try:
        landed = deps.landing.land(staged, source=run.source, run_id=run.run_id, record=record)
    finally:
        deps.staging.discard(staged)
    deps.ledger.finish(run.source, run.key, run.run_id, "landed", {"extract": landed.extract.uri})
    if release is not None:
        deps.ledger.record_release(run.source, release)
    return ExtractLanded(
        source=run.source,
        run_id=run.run_id,
        window=run.contract_window,
        extract=landed.extract,
        audit_uri=landed.audit_uri,
        pages=staged.pages,
        watermark=run.window.to_date,
        revision=release.label if release else None,
        release=release.name if release else None,
    )
