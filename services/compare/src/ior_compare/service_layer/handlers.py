"""What the compare service does with each message, one function per message, each an
`ior_contracts.consumer.MessageHandler`. Dependencies come in by name; no AWS client is created here."""

from __future__ import annotations

from ior_contracts.compare import ComparisonRequested
from ior_contracts.consumer import Publish
from ior_contracts.customs import LinesGenerated
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.envelope import Metadata
from ior_contracts.side_by_side import ahead

from ior_compare.domain.cutover import StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.domain.records import ComparisonRecord, Refusal, RunRecord
from ior_compare.ports import Deps
from ior_compare.service_layer import gate
from ior_compare.service_layer.comparing import Trigger, compare_date
from ior_compare.service_layer.designating import designate


def lines_generated(
    message: LinesGenerated, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> ComparisonRecord | None:
    """Record the run, designate the date's official run, and compare the date once both modes have
    lines. The designation reads no lines: it is made while the date is compared, and stands even
    when the run's objects cannot be read. Every step is keyed by what it reads, so a re-delivered
    or out-of-order run changes nothing."""
    run = RunRecord.from_event(message, cause)
    deps.ledger.record_run(run)
    deps.ledger.advance_latest(run)
    # The date read once, after this run's advance, for both the designation and the comparison.
    day = deps.ledger.day(run.business_date)

    def official() -> OfficialRun:
        return designate(run.business_date, cause=run.run_id, deps=deps, publish=publish, day=day)

    if day.manual is None or day.automated is None:
        official()
        return None
    # Its requests wait on the table and the bus while the comparison reads and compares; the
    # block's end waits for it, and a failed comparison's error is the one raised.
    with ahead(official) as designated:
        record = compare_date(run.business_date, Trigger(cause.event_id), deps=deps, publish=publish, day=day)
    designated.result()
    return record


def comparison_requested(
    message: ComparisonRequested, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> ComparisonRecord:
    """Compare the date's latest runs as they are (a missing mode compares as empty)."""
    trigger = Trigger(cause.event_id, message.comparison_id, message.requested_by, message.reason)
    return compare_date(message.business_date, trigger, deps=deps, publish=publish)


def cutover_requested(
    message: CutoverChangeRequested, /, *, cause: Metadata, deps: Deps, publish: Publish
) -> StateChange | Refusal | None:
    return gate.answer(message, event_id=cause.event_id, deps=deps, publish=publish)
