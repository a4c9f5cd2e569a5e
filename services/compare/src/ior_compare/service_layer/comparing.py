"""Comparing one date's manual (expected) and automated (actual) lines.

A comparison is made once per (date, expected run, actual run, tolerance version): its reports are
written immutably, its summary kept under that key with a conditional write, and it is announced
once. A request for a key compared before is answered from the record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date

from aws_lambda_powertools import Logger
from ior_contracts import collector
from ior_contracts.claims import ClaimCheck
from ior_contracts.compare import ComparisonCompleted, DiscrepancyDetected
from ior_contracts.consumer import Publish
from ior_contracts.engine_time import engine
from ior_contracts.envelope import deterministic_event_id
from ior_contracts.side_by_side import ahead, each
from isal import isal_zlib

from ior_compare.domain.engine import compare
from ior_compare.domain.frames import empty_entries, empty_lines
from ior_compare.domain.inputs import SideInputs
from ior_compare.domain.records import MODES, ComparisonKey, ComparisonRecord, DayState, RunRecord
from ior_compare.domain.report_html import to_html
from ior_compare.domain.report_json import SCHEMA_VERSION, json_pieces
from ior_compare.domain.result import ComparisonResult
from ior_compare.domain.signoff import DayComparison
from ior_compare.domain.status import streak
from ior_compare.ports import Deps, RunFrames, StoredObject
from ior_compare.service_layer.announcing import Announcement, announce, announce_all
from ior_compare.service_layer.explaining import cite_discrepancies, explain_comparison, explanation_inputs

logger = Logger(service="ior-compare", child=True)

OUTCOMES_GZIP_LEVEL = 1
GZIP_WBITS = 16 + 15  # deflate in gzip's wrapper, zlib's widest window


class InconsistentRecordError(LookupError):
    """The table's records of a date disagree with each other."""


@dataclass(frozen=True)
class Trigger:
    """The message a comparison answers: a run arriving, or a client's request."""

    event_id: str
    requested_id: str | None = None
    requested_by: str | None = None
    reason: str | None = None

    @property
    def is_request(self) -> bool:
        return self.requested_by is not None


def compare_date(
    business_date: date, trigger: Trigger, *, deps: Deps, publish: Publish, day: DayState | None = None
) -> ComparisonRecord:
    """Compare the date's latest manual and automated runs (either may be absent: its side is then
    empty) and announce the outcome. `day` is the date as just read, if the caller read it."""
    day = deps.ledger.day(business_date) if day is None else day
    key = ComparisonKey(
        business_date,
        day.manual.run_id if day.manual else None,
        day.automated.run_id if day.automated else None,
        deps.config.tolerances.version,
    )
    kept = deps.ledger.records_of(key)
    for mode, run in zip(MODES, (kept.manual, kept.automated), strict=True):
        latest = day.latest(mode)
        if latest is not None and run is None:
            raise InconsistentRecordError(
                f"{business_date} names {mode} run {latest.run_id}, which is not recorded"
            )
    with collector.paused():
        # A day's comparison makes millions of objects and little garbage (the report's rows alone
        # are half a million tuples): the collector's passes over them were a tenth of its CPU.
        record = kept.comparison or _make(key, kept.manual, kept.automated, trigger, deps)
    deps.ledger.set_day_comparison(record)
    _announce(record, trigger, deps, publish)
    return record


def _make(
    key: ComparisonKey, manual: RunRecord | None, automated: RunRecord | None, trigger: Trigger, deps: Deps
) -> ComparisonRecord:
    """Compare, store the reports, and keep the record, unless a concurrent trigger kept it first."""
    comparison_id = _choose_id(key, trigger, deps)
    expected, actual = _frames(manual, automated, deps)
    sides = {"expected": (manual, expected), "actual": (automated, actual)}
    # What an explanation reads of the runs' dataset versions is read while the engine compares: it
    # does not depend on what the engine finds, and the engine waits on nothing. On a day that
    # matches, the reads are not used: a few tens of MB from S3, for a comparison that does not wait.
    with ahead(lambda: explanation_inputs(sides, deps)) as inputs:
        with engine():
            result = compare(
                expected.lines, actual.lines, expected.entries, actual.entries, config=deps.config.tolerances
            )
        record = _recorded(key, comparison_id, result, sides, trigger, inputs, deps)
    if deps.ledger.put_comparison(record):
        return record
    winner = deps.ledger.comparison(key)
    if winner is None:
        raise InconsistentRecordError(f"the comparison {key.text} was kept and is gone")
    return winner


def _recorded(
    key: ComparisonKey,
    comparison_id: str,
    result: ComparisonResult,
    sides: Mapping[str, tuple[RunRecord | None, RunFrames]],
    trigger: Trigger,
    inputs: Future[dict[str, SideInputs]],
    deps: Deps,
) -> ComparisonRecord:
    """The comparison's reports stored, its discrepancies explained, and its record made."""
    manual, automated = sides["expected"][0], sides["actual"][0]
    # Only what identifies the comparison: equal keys give byte-identical reports.
    metadata: dict[str, str | int | bool | None] = {
        "comparison_id": comparison_id,
        "business_date": key.business_date.isoformat(),
        "expected_run_id": key.expected_run_id,
        "actual_run_id": key.actual_run_id,
        "expected_lines_sha256": manual.lines.sha256 if manual else None,
        "actual_lines_sha256": automated.lines.sha256 if automated else None,
    }
    base = f"comparisons/{key.business_date}/{comparison_id}/"
    # The entries an explanation cites are read while the reports are made: the reads wait on S3.
    with ahead(lambda: cite_discrepancies(result, sides, inputs)) as cited:
        reports = _store_reports(result, metadata, base, deps)
    cited.result()
    explanation = explain_comparison(result, sides, metadata, base, deps, inputs)
    return ComparisonRecord(
        key=key,
        comparison_id=comparison_id,
        passed=result.passed,
        counts=result.counts.as_dict(),
        worst_fields=[summary.as_dict() for summary in result.worst_fields],
        failure_reasons=list(result.failure_reasons()),
        discrepancies=dict(
            DayComparison.from_result(key.business_date, result, has_transactions=True).discrepancies
        ),
        report_uri=reports.json.uri,
        report_html_uri=reports.html.uri,
        report_sha256=reports.json.sha256,
        result=reports.outcomes,
        explanation=explanation,
        trigger_event_id=trigger.event_id,
        created_at=deps.clock(),
        requested_by=trigger.requested_by,
        reason=trigger.reason,
    )


def _choose_id(key: ComparisonKey, trigger: Trigger, deps: Deps) -> str:
    """The id a client asked for, unless it already names another comparison; else the derived one,
    which names only this key and is claimed with the record (`put_comparison`)."""
    if trigger.requested_id and deps.ledger.claim_comparison_id(trigger.requested_id, key):
        return trigger.requested_id
    if trigger.requested_id:
        logger.warning(
            "the requested comparison id names another comparison; using the derived one",
            extra={"requested_id": trigger.requested_id, "comparison_id": key.derived_id()},
        )
    return key.derived_id()


@dataclass(frozen=True)
class _Reports:
    json: StoredObject
    html: StoredObject
    outcomes: ClaimCheck


def _store_reports(
    result: ComparisonResult, metadata: dict[str, str | int | bool | None], base: str, deps: Deps
) -> _Reports:
    """The JSON report, gzip, in the audit prefix (`Content-Encoding: gzip`) and, the same bytes, as
    the per-line outcomes under `published/` for consumers that keep them; the HTML report beside it."""
    title = f"Comparison of the manual and automated customs lines of {metadata['business_date']}"
    html = to_html(result, title=title, metadata=metadata, max_rows=deps.config.report_max_rows)
    # ISA-L's fastest level, as customs deflates: a day of a million lines is a hundred MB of JSON
    # (zlib's level 6 took three times its level 1, ISA-L's level 1 a quarter of zlib's), and stored
    # plain it was a second hundred-MB write, kept for years under the audit bucket's lock. Deflated
    # as it is made, so its text is never whole; gzip's header with no time, so equal reports give
    # equal bytes.
    deflate = isal_zlib.compressobj(OUTCOMES_GZIP_LEVEL, isal_zlib.DEFLATED, GZIP_WBITS)
    report = b"".join([*map(deflate.compress, json_pieces(result, metadata=metadata)), deflate.flush()])
    writes: list[Callable[[], StoredObject]] = [
        lambda: deps.objects.put_published(base + "outcomes.json.gz", report, "application/gzip"),
        lambda: deps.objects.put_audit(
            base + "report.json", report, "application/json", content_encoding="gzip"
        ),
        lambda: deps.objects.put_audit(base + "report.html", html.encode(), "text/html; charset=utf-8"),
    ]
    # The three written side by side: each waits on S3.
    outcomes, stored, page = each(_called, writes)
    return _Reports(
        json=stored,
        html=page,
        outcomes=ClaimCheck(
            uri=outcomes.uri,
            sha256=outcomes.sha256,
            row_count=len(result.lines),
            schema_version=SCHEMA_VERSION,
        ),
    )


def _called(write: Callable[[], StoredObject]) -> StoredObject:
    return write()


def _frames(manual: RunRecord | None, automated: RunRecord | None, deps: Deps) -> tuple[RunFrames, RunFrames]:
    """Both runs' frames, their objects fetched side by side (`load_all`); an absent run's are empty."""
    runs = [run for run in (manual, automated) if run is not None]
    loaded = iter(deps.lines.load_all(runs))
    empty = RunFrames(empty_lines(), empty_entries())
    expected, actual = (next(loaded) if run is not None else empty for run in (manual, automated))
    return expected, actual


def streak_through(business_date: date, deps: Deps) -> int:
    """The gate's parity streak up to and including `business_date`, from the dates recorded now;
    later dates do not count, so a date compared again reports the streak it ends."""
    days = deps.ledger.days(end=business_date)
    return streak(days, deps.calendar, today=business_date).days


def _announce(record: ComparisonRecord, trigger: Trigger, deps: Deps, publish: Publish) -> None:
    when = record.business_date
    days_passing, required = streak_through(when, deps), deps.config.required_streak
    if record.trigger_event_id == trigger.event_id or not trigger.is_request:
        # The comparison's own announcements: sent once, whichever message gets there.
        own = [
            Announcement(
                record.completed(streak=days_passing, required_streak=required),
                deterministic_event_id(ComparisonCompleted.DETAIL_TYPE, record.comparison_id),
                when,
            )
        ]
        if not record.passed:
            found_id = deterministic_event_id(DiscrepancyDetected.DETAIL_TYPE, record.comparison_id)
            own.append(Announcement(record.discrepancy(), found_id, when))
        announce_all(deps, publish, own)
        return
    # A request answered by an earlier comparison of the same key: it repeats the id the client chose.
    named = record.comparison_id
    if trigger.requested_id and deps.ledger.claim_comparison_id(trigger.requested_id, record.key):
        named = trigger.requested_id
    answer_id = deterministic_event_id(ComparisonCompleted.DETAIL_TYPE, named, "answer", trigger.event_id)
    announce(
        deps,
        publish,
        record.completed(named, streak=days_passing, required_streak=required),
        event_id=answer_id,
        business_date=when,
    )
