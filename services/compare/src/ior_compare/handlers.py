"""What the compare service does with each message. Dependencies come in by name; no AWS client
is created here."""

from __future__ import annotations

from ior_contracts.compare import ComparisonRequested
from ior_contracts.customs import LinesGenerated
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.envelope import Metadata

from ior_compare import gate
from ior_compare.comparing import Trigger, compare_date
from ior_compare.designating import designate
from ior_compare.domain.cutover import StateChange
from ior_compare.ports import Deps, Publish
from ior_compare.records import ComparisonRecord, Refusal, RunRecord


def lines_generated(
    data: LinesGenerated, metadata: Metadata, *, deps: Deps, publish: Publish
) -> ComparisonRecord | None:
    """Record the run, designate the date's official run, and compare the date once both modes have
    lines. The designation comes first: it reads no lines, so a run whose objects cannot be read
    still changes which run is official. Every step is keyed by what it reads, so a re-delivered or
    out-of-order run changes nothing."""
    run = RunRecord.from_event(data, metadata)
    deps.ledger.record_run(run)
    deps.ledger.advance_latest(run)
    designate(run.business_date, cause=run.run_id, deps=deps, publish=publish)
    day = deps.ledger.day(run.business_date)
    if day.manual is None or day.automated is None:
        return None
    return compare_date(run.business_date, Trigger(metadata.event_id), deps=deps, publish=publish)


def comparison_requested(
    data: ComparisonRequested, metadata: Metadata, *, deps: Deps, publish: Publish
) -> ComparisonRecord:
    """Compare the date's latest runs as they are (a missing mode compares as empty)."""
    trigger = Trigger(metadata.event_id, data.comparison_id, data.requested_by, data.reason)
    return compare_date(data.business_date, trigger, deps=deps, publish=publish)


def cutover_requested(
    data: CutoverChangeRequested, metadata: Metadata, *, deps: Deps, publish: Publish
) -> StateChange | Refusal | None:
    return gate.answer(data, event_id=metadata.event_id, deps=deps, publish=publish)
