"""One run for (business date, mode): inputs in force → processor → outputs published → the date's
current run moved (or, for a closed date, a correction candidate kept) → report → recorded → announced.

A run is keyed by its inputs, code and fee table (`RunKey`), and made once: the run record is claimed
with a conditional write, so concurrent triggers and re-deliveries of the same key change nothing.
Its events are kept in its record until they are published, so a crash between the two loses none.

A run whose inputs the processor refuses (a `CustomsDomainError`: say a provision set it cannot
order) ends there, recorded as failed and announced with `customs.run.failed.v1`. The same key
always fails the same way, so it is never retried: only new inputs (or code) make a new run."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ior_contracts import collector
from ior_contracts.claims import ClaimCheck
from ior_contracts.customs import Fallback
from ior_contracts.engine_time import engine
from ior_contracts.line_columns import (
    ENTRY_ARRAYS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA,
    LINE_ARRAYS_SCHEMA,
    LINE_COLUMNS_SCHEMA,
)

from ior_customs.domain import CustomsDomainError, Result, process
from ior_customs.domain.closed_dates import closed_on
from ior_customs.domain.line_arrays import entry_columns_arrays, line_columns_arrays
from ior_customs.domain.line_columns import (
    EntrySpans,
    GzipMember,
    entry_columns_csv,
    line_codes,
    line_columns_csv,
)
from ior_customs.domain.result import json_pieces
from ior_customs.ports import Deps, RunKey, StoredEvent, Trigger
from ior_customs.service_layer import announcements
from ior_customs.service_layer.decisions import Decision, as_candidate, as_official
from ior_customs.service_layer.loading import Inputs, Unavailable, load_inputs
from ior_customs.service_layer.reporting import MAX_HTML_LINES, build_report, report_html, report_json

if TYPE_CHECKING:
    from ior_contracts.consumer import Publish

SKIPPED, EXISTING, FAILED = "skipped", "existing", "failed"
SCHEMAS = {
    "lines": "customs-lines/1",
    "entries": "customs-entries/1",
    "quarantine": "customs-quarantine/1",
    "line_columns": LINE_COLUMNS_SCHEMA,
    "line_arrays": LINE_ARRAYS_SCHEMA,
    "entry_arrays": ENTRY_ARRAYS_SCHEMA,
    "entry_columns": ENTRY_COLUMNS_SCHEMA,
}
REASON_LIMIT = 1000


@dataclass(frozen=True)
class RunOutcome:
    """What became of a trigger for one date: `official`, `candidate` (a correction proposed),
    `unchanged` (a closed date's candidate changes nothing reported), `stale` (a run with newer
    inputs is current), `failed` (the processor refused the inputs), `existing` (the key was already
    run) or `skipped` (no inputs)."""

    business_date: date
    mode: str
    status: str
    run_id: str | None = None
    detail: str = ""
    fallbacks: tuple[Fallback, ...] = ()
    # Skipped only because a dataset has not been published yet for the mode: the run starts when
    # it is, so this is the normal state of a filling pipeline, not a problem.
    waiting: bool = False


def execute(day: date, mode: str, trigger: Trigger, deps: Deps, publish: Publish) -> RunOutcome:
    # A day's run reads, processes and writes millions of objects and little garbage (each line's
    # cells, its record): the cyclic collector's passes over them are waste.
    with collector.paused():
        return _execute(day, mode, trigger, deps, publish)


def _execute(day: date, mode: str, trigger: Trigger, deps: Deps, publish: Publish) -> RunOutcome:
    inputs = load_inputs(day, mode, deps.catalogue, deps.snapshots)
    if isinstance(inputs, Unavailable):
        return RunOutcome(day, mode, SKIPPED, detail=inputs.describe(), waiting=not inputs.unreadable)
    key = RunKey(day, mode, inputs.versions, deps.code_version, inputs.fees.version)
    now = deps.clock()
    claim = deps.ledger.claim(key, trigger, now=int(now.timestamp()), lease_s=deps.config.run_lease_s)
    if not claim.won:
        if claim.events and not claim.announced:
            _announce(key, claim.events, deps, publish)
        return RunOutcome(day, mode, EXISTING, key.run_id, f"already {claim.status}", inputs.fallbacks)
    try:
        processor_inputs = inputs.processor_inputs()
        with engine():
            result = process(processor_inputs)
    except CustomsDomainError as refused:
        return _failed(key, inputs, refused, deps, publish)
    # Every line's record is made once, an entry at a time, straight into the compressed lines: the
    # rest of the run reads the entries' summaries (and a closed date's candidate, the published lines),
    # each entry's summary as its text, made from the columns.
    summary = result.summary()
    outputs = _publish_outputs(key, result, summary, deps)
    closes = closed_on(day)
    current = deps.ledger.current(mode, day)
    if now.date() >= closes and current is not None and current.run_id != key.run_id:
        decision = as_candidate(key, outputs, current, closes, deps)
    else:
        decision = as_official(key, inputs, result, outputs, deps)
    money, closed = result.money_totals(), now.date() >= closes
    report = build_report(key, trigger, inputs, summary, money, outputs, decision, closes, closed=closed)
    deps.outputs.write_report(
        key, report_json(report), report_html(report, result.entry_records(MAX_HTML_LINES), MAX_HTML_LINES)
    )
    details = _details(inputs, outputs, decision, report, deps.outputs.report_uris(key))
    details["finished_at"] = int(deps.clock().timestamp())
    deps.ledger.finish(key, decision.status, details, decision.events)
    _announce(key, decision.events, deps, publish)
    return RunOutcome(day, mode, decision.status, key.run_id, decision.note, inputs.fallbacks)


def _failed(
    key: RunKey, inputs: Inputs, refused: CustomsDomainError, deps: Deps, publish: Publish
) -> RunOutcome:
    """The run ends here, once: recorded as failed with the event that says why, then announced."""
    reason = str(refused)[:REASON_LIMIT]
    events = (announcements.run_failed(key, reason),)
    details = {"error": reason, "finished_at": int(deps.clock().timestamp())}
    deps.ledger.finish(key, FAILED, details, events)
    _announce(key, events, deps, publish)
    return RunOutcome(key.business_date, key.mode, FAILED, key.run_id, reason, inputs.fallbacks)


def _publish_outputs(
    key: RunKey, result: Result, summary: dict[str, Any], deps: Deps
) -> dict[str, ClaimCheck]:
    """The lines (the processor's canonical JSON, byte for byte, streamed an entry at a time), the
    entries (with their line counts, as the summary's texts), the quarantine, and the columns compare
    reads of the lines and entries (with where each entry is in the lines, text and gzip members)."""
    entries = summary["entries"]
    head = {"run_id": key.run_id, "business_date": key.business_date.isoformat(), "mode": key.mode}
    spans = EntrySpans()
    members: list[GzipMember] = []
    published = {
        "lines": deps.outputs.publish(
            "lines", key, spans.passing(result.json_chunks()), len(result.lines), SCHEMAS["lines"], members
        )
    }
    bodies: dict[str, tuple[Iterable[bytes], int]] = {
        "entries": ([b"".join(json_pieces({**head, "entries": entries}))], len(entries)),
        "quarantine": (
            [_canonical({**head, "quarantined": summary["quarantined"]})],
            len(summary["quarantined"]),
        ),
    }
    published |= {
        kind: deps.outputs.publish(kind, key, body, rows, SCHEMAS[kind])
        for kind, (body, rows) in bodies.items()
    }
    return published | _publish_columns(key, result, spans.spans, members, deps)


def _publish_columns(
    key: RunKey, result: Result, spans: list[tuple[int, int]], members: list[GzipMember], deps: Deps
) -> dict[str, ClaimCheck]:
    """The compared columns, as CSV and as arrays, once the lines are written (the
    entries' spans and the lines' members are known then); none when the lines cannot be written as
    columns faithfully (`line_columns_csv`)."""
    codes = line_codes(result.lines)
    lines, arrays = line_columns_csv(result.lines, codes), line_columns_arrays(result.lines, codes)
    if lines is None or arrays is None:
        return {}
    bodies = {
        "line_columns": (lines, len(result.lines)),
        "line_arrays": (arrays, len(result.lines)),
        "entry_columns": (entry_columns_csv(result.entries, spans, members), len(result.entries)),
        "entry_arrays": (entry_columns_arrays(result.entries, spans, members), len(result.entries)),
    }
    return {
        kind: deps.outputs.publish(kind.replace("_", "-"), key, [body], rows, SCHEMAS[kind])
        for kind, (body, rows) in bodies.items()
    }


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _details(
    inputs: Inputs,
    outputs: dict[str, ClaimCheck],
    decision: Decision,
    report: dict[str, Any],
    report_uris: tuple[str, str],
) -> dict[str, Any]:
    """What the run record keeps beyond its key: claim checks, totals, fallbacks, the decision."""
    return {
        **{k: v for k, v in decision.record.items() if v is not None},
        "outputs": {kind: claim.model_dump() for kind, claim in outputs.items()},
        "report": {"json": report_uris[0], "html": report_uris[1]},
        "snapshots": {name: v.snapshot.model_dump() for name, v in sorted(inputs.used.items())},
        "fallbacks": [f.model_dump() for f in inputs.fallbacks],
        "totals": report["totals"],
        "closed_on": report["closed_on"],
        "note": decision.note,
    }


def _announce(key: RunKey, events: tuple[StoredEvent, ...], deps: Deps, publish: Publish) -> None:
    for event in events:
        publish(announcements.restored(event), business_date=event.business_date, event_id=event.event_id)
    deps.ledger.announced(key)
