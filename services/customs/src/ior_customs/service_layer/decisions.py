"""Where a run's lines stand: the date's new official lines (the current run moved by compare-and-set,
unless a run with newer inputs is already current), or — for a closed date that has official lines —
a correction candidate, proposed when it would change a reported figure and would not report just
what the latest proposed candidate did (a closed date's inputs keep changing: every new reference
version runs it again, and one difference is proposed, and alerted, once)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_customs.domain import Result, changes
from ior_customs.ports import CurrentRun, Deps, ProposedCorrection, RunKey, StoredEvent
from ior_customs.service_layer import announcements
from ior_customs.service_layer.loading import Inputs

OFFICIAL, CANDIDATE, UNCHANGED, STALE = "official", "candidate", "unchanged", "stale"
CAS_ATTEMPTS = 5
REASON_LIMIT = 1000


class ContentionError(RuntimeError):
    """The date's current run kept changing while this run tried to replace it; a retry settles it."""


@dataclass(frozen=True)
class Decision:
    status: str
    events: tuple[StoredEvent, ...]
    record: dict[str, Any]
    """What the run record keeps about the decision."""
    note: str = ""


def as_official(
    key: RunKey, inputs: Inputs, result: Result, outputs: dict[str, ClaimCheck], deps: Deps
) -> Decision:
    """Make the run the date's current one, unless a run with newer inputs already is."""
    day, mode = key.business_date, key.mode
    mine = CurrentRun(
        key.run_id,
        key.digest,
        inputs.inputs_at,
        outputs["lines"],
        key.inputs,
        key.code_version,
        key.config_version,
    )
    for _ in range(CAS_ATTEMPTS):
        current = deps.ledger.current(mode, day)
        if current is not None and current.run_id == key.run_id:
            supersedes = current.previous_run  # this run became current before a crash
            break
        if current is not None and current.inputs_at > inputs.inputs_at:
            note = f"{current.run_id} has newer inputs and stays current"
            return Decision(STALE, (), {"current_run": current.run_id}, note)
        supersedes = None if current is None else current.run_id
        if deps.ledger.make_current(mode, day, replace(mine, previous_run=supersedes), expected=supersedes):
            break
    else:
        raise ContentionError(f"{key.run_id}: the current run of {day} kept changing under it")
    events = [
        announcements.lines_generated(
            key,
            outputs=outputs,
            report_uris=deps.outputs.report_uris(key),
            fallbacks=inputs.fallbacks,
            totals=announcements.run_totals(result),
            quarantined=len(result.quarantined),
            supersedes=supersedes,
        )
    ]
    if len(result.quarantined):
        events.append(announcements.lines_quarantined(key, result, outputs["quarantine"]))
    return Decision(OFFICIAL, tuple(events), {"supersedes": supersedes})


def as_candidate(
    key: RunKey,
    outputs: dict[str, ClaimCheck],
    official: CurrentRun,
    closes: date,
    deps: Deps,
) -> Decision:
    """A closed date keeps its official lines; the run is a correction candidate. Both runs' lines
    are read back from their published objects (a closed date's rerun is rare; a run keeps no copy)."""
    records = changes.reported(deps.outputs.text(outputs["lines"]))
    summary = changes.summarize(changes.reported(deps.outputs.text(official.lines)), records)
    what = changes.describe_inputs(
        official.inputs,
        key.inputs,
        {
            "code": (official.code_version, key.code_version),
            "fee table": (official.config_version, key.config_version),
        },
    )
    reason = f"{what}, after {key.business_date} closed on {closes}"[:REASON_LIMIT]
    record = {"official_run_id": official.run_id, "changes": summary.model_dump(), "reason": reason}
    day, mode = key.business_date, key.mode
    last = deps.ledger.proposed(mode, day)
    if changes.is_empty(summary):
        if last is not None and last.run_id != official.run_id:
            # Back to the official figures: the next difference, whatever it is, is news again.
            deps.ledger.record_proposed(mode, day, ProposedCorrection(official.run_id, official.lines))
        return Decision(UNCHANGED, (), record, f"no reported figure of {official.run_id} would change")
    if last is not None and changes.is_empty(
        changes.summarize(changes.reported(deps.outputs.text(last.lines)), records)
    ):
        note = f"reports what {last.run_id}, already proposed, does"
        return Decision(UNCHANGED, (), record | {"proposed_run_id": last.run_id}, note)
    deps.ledger.record_proposed(mode, day, ProposedCorrection(key.run_id, outputs["lines"]))
    event = announcements.correction_proposed(
        key,
        official_run_id=official.run_id,
        lines=outputs["lines"],
        closed_on=closes,
        changes=summary,
        reason=reason,
    )
    return Decision(CANDIDATE, (event,), record, reason)
