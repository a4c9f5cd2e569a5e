"""What each shown event becomes in the API's read models: plain data, no AWS.

Keys come from the event's own identifiers (comparison id, change id, business date, event id), so
projecting an event twice writes the same document twice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from ior_contracts.compare import ComparisonCompleted, DiscrepancyDetected
from ior_contracts.customs import CorrectionProposed, LinesGenerated, LinesQuarantined, RunFailed
from ior_contracts.cutover import CutoverStateChanged, OfficialRunDesignated
from ior_contracts.envelope import Event, Metadata
from ior_contracts.etl import (
    DatasetConfirmed,
    DatasetHeld,
    DatasetPublished,
    FeeTableConfirmed,
    FeeTablePublished,
    HtsRevisionChanged,
    RowsQuarantined,
)
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, HtsRevisionOverdue

from ior_api.domain.alerting import Alert, alert_key
from ior_api.domain.readmodels import (
    ALERTS,
    CUSTOMS_RUNS,
    CUTOVER_CHANGES,
    FEE_TABLE_MEASURED,
    FEE_TABLE_PUBLISHED,
    HTS_CHANGED,
    HTS_LANDED,
    HTS_OVERDUE,
    OFFICIAL_RUNS,
    REFERENCE,
    comparison_key,
    dataset_runs,
    source_runs,
)
from ior_api.domain.upload_outcomes import outcome_write


@dataclass(frozen=True)
class Write:
    pk: str
    sk: str
    body: dict[str, Any]
    # "always": the event's own document; "latest": keep the newest event's; "new": never overwrite.
    mode: Literal["always", "latest", "new"] = "always"
    occurred_at: str = ""


def project(event: Event, metadata: Metadata) -> list[Write]:
    """The documents an event becomes; `metadata` is the event's own (its id, time and date)."""
    occurred = metadata.occurred_at.isoformat()
    writes: list[Write] = []
    if isinstance(event, ComparisonCompleted):
        pk, sk = comparison_key(event.comparison_id, "completed")
        writes.append(Write(pk, sk, event.model_dump(mode="json") | {"completed_at": occurred}))
    elif isinstance(event, DiscrepancyDetected):
        pk, sk = comparison_key(event.comparison_id, "discrepancy")
        writes.append(Write(pk, sk, event.model_dump(mode="json")))
    elif isinstance(event, LinesGenerated):
        # The newest run of a date and mode is the one shown; it supersedes the earlier ones.
        body = event.model_dump(mode="json") | {"generated_at": occurred}
        sk = f"{event.business_date.isoformat()}#{event.mode}"
        writes.append(Write(CUSTOMS_RUNS, sk, body, mode="latest", occurred_at=occurred))
    elif isinstance(event, CutoverStateChanged):
        body = event.model_dump(mode="json") | {"changed_at": occurred}
        writes.append(Write(CUTOVER_CHANGES, f"{occurred}#{event.change_id}", body))
    elif isinstance(event, OfficialRunDesignated):
        body = event.model_dump(mode="json") | {"designated_at": occurred}
        date_key = event.business_date.isoformat()
        writes.append(Write(OFFICIAL_RUNS, date_key, body, mode="latest", occurred_at=occurred))
    writes.extend(_pipeline(event, occurred, metadata.event_id))
    outcome = outcome_write(event, metadata)
    if outcome is not None:
        writes.append(Write(outcome.pk, outcome.sk, outcome.body))
    writes.extend(_reference(event, occurred))
    alert = alert_for(event)
    if alert is not None:
        alert_id, since = alert.once or (metadata.event_id, occurred)
        body = alert.record(
            id=alert_id, kind=type(event).DETAIL_TYPE, since=since, business_date=metadata.business_date
        )
        writes.append(Write(ALERTS, alert_key(body), body, mode="new" if alert.once else "always"))
    return writes


def _pipeline(event: Event, occurred: str, event_id: str) -> list[Write]:
    """One document per extract and dataset run, keyed by time and event: the pipeline view reads
    the newest ones (last run, last success, failures since)."""
    sk = f"{occurred}#{event_id}"
    if isinstance(event, ExtractLanded):
        detail = f"{event.pages} page(s), {event.window.from_date}..{event.window.to_date}"
        body = _run("landed", event.run_id, occurred, event.extract.row_count, detail)
        return [Write(source_runs(event.source), sk, body)]
    if isinstance(event, ExtractFailed):
        body = _run("failed", event.run_id, occurred, None, f"{event.reason}: {event.detail}")
        return [Write(source_runs(event.source), sk, body)]
    if isinstance(event, DatasetPublished):
        body = _run("published", event.version, occurred, event.snapshot.row_count, None)
        body |= {"version": event.version, "rejected_rows": event.rejected_rows}
        return [Write(dataset_runs(event.dataset, event.mode), sk, body)]
    if isinstance(event, DatasetConfirmed):
        body = _run("confirmed", event.run_id, occurred, None, "unchanged by newer inputs")
        body |= {"version": event.version, "rejected_rows": None}
        return [Write(dataset_runs(event.dataset, event.mode), sk, body)]
    if isinstance(event, DatasetHeld):
        detail = f"{event.rejected_rows} of {event.total_rows} rows rejected, mostly by {event.rule}"
        body = _run("held", event.run_id, occurred, event.total_rows, detail)
        body |= {"version": event.current_version, "rejected_rows": event.rejected_rows}
        return [Write(dataset_runs(event.dataset, event.mode), sk, body)]
    return []


def _reference(event: Event, occurred: str) -> list[Write]:
    """The fee table's and the official HTS revision's latest state, one document each."""
    body = event.model_dump(mode="json") | {"at": occurred}
    keys: tuple[str, ...] = ()
    if isinstance(event, FeeTablePublished):
        keys = (FEE_TABLE_PUBLISHED, FEE_TABLE_MEASURED)
    elif isinstance(event, FeeTableConfirmed):
        keys = (FEE_TABLE_MEASURED,)
    elif isinstance(event, ExtractLanded) and event.revision:
        body, keys = {"revision": event.revision, "release": event.release, "at": occurred}, (HTS_LANDED,)
    elif isinstance(event, HtsRevisionOverdue):
        keys = (HTS_OVERDUE,)
    elif isinstance(event, HtsRevisionChanged):
        keys = (HTS_CHANGED,)
    return [Write(REFERENCE, key, body, mode="latest", occurred_at=occurred) for key in keys]


def _run(status: str, run_id: str, at: str, rows: int | None, detail: str | None) -> dict[str, Any]:
    return {"status": status, "run_id": run_id, "at": at, "rows": rows, "detail": detail}


def alert_for(event: Event) -> Alert | None:
    """One readable alert per failure, quality, quarantine, correction or discrepancy event."""
    if isinstance(event, ExtractFailed):
        return Alert(
            "critical",
            f"Extract {event.source} failed ({event.reason}) after {event.attempts} attempt(s): "
            f"{event.detail}",
            f"ingestion, run {event.run_id}, {event.window.from_date}..{event.window.to_date}",
            "Check the SAP credentials." if event.reason == "auth" else "Check SAP, then re-run the extract.",
            "/pipeline",
        )
    if isinstance(event, DatasetHeld):
        return Alert(
            "critical",
            f"Dataset {event.dataset} ({event.mode}) held: {event.rejected_rows} of {event.total_rows} rows "
            f"rejected (rate {event.reject_rate} > {event.threshold}), mostly by {event.rule}",
            f"etl, run {event.run_id}",
            "Fix the source data or the upload; the last good version stays current.",
            event.quarantine_uri,
        )
    if isinstance(event, RowsQuarantined):
        return Alert(
            "warning",
            f"{event.rejected_rows} of {event.total_rows} rows of {event.dataset} ({event.mode}) quarantined",
            f"etl, run {event.run_id}",
            "Review the quarantined rows; rows waiting on master data are re-evaluated when it arrives.",
            event.quarantine.uri,
            {"rules": [r.model_dump(mode="json") for r in event.rules]},
        )
    if isinstance(event, LinesQuarantined):
        return Alert(
            "warning",
            f"{event.count} invoice line(s) of {event.business_date} ({event.mode}) quarantined",
            f"customs, run {event.run_id}",
            "Supply the missing master data; the lines wait in quarantine.",
            event.quarantine.uri,
            {"reasons": [r.model_dump(mode="json") for r in event.reasons]},
        )
    if isinstance(event, RunFailed):
        return Alert(
            "critical",
            f"Customs run of {event.business_date} ({event.mode}) failed: {event.reason}",
            f"customs, run {event.run_id}",
            "Fix the dataset the reason names: its next version starts a new run. The date keeps its lines.",
            "/pipeline",
            {"inputs": dict(event.inputs)},
        )
    if isinstance(event, CorrectionProposed):
        return Alert(
            "warning",
            f"Closed date {event.business_date} would change: {event.changes.entries_affected} entr(y/ies) "
            f"affected ({event.reason})",
            f"customs, candidate run {event.candidate_run_id}",
            "Decide whether to file a post-summary correction.",
            event.lines.uri,
        )
    if isinstance(event, FeeTablePublished | FeeTableConfirmed):
        return _fee_table_alert(event)
    if isinstance(event, HtsRevisionOverdue):
        why = "the stack is pinned to an older release" if event.reason == "pinned" else "it failed to land"
        return Alert(
            "warning",
            f"HTS {event.latest_revision} has waited {event.days_waiting} days without landing ({why})",
            f"ingestion, USITC release {event.latest_release}, available since {event.available_since}",
            "Unpin the stack's USITC release, or look at the failed USITC_HTS extracts."
            if event.reason == "pinned"
            else "Look at the failed USITC_HTS extracts, then request one (`ior ingest -s USITC_HTS`).",
            "/pipeline",
            {"landed_revision": event.landed_revision, "threshold_days": event.threshold_days},
        )
    if isinstance(event, HtsRevisionChanged):
        return Alert(
            "warning",
            f"HTS {event.revision} changes {event.changed_count} of the company's "
            f"{event.company_codes} HTS numbers (since {event.previous_revision})",
            "etl, official HTS revision",
            "Review the changed numbers: a removed one quarantines its products, a changed rate or unit "
            "changes duty and quantities.",
            event.report.uri,
            {"changed": [c.model_dump(mode="json") for c in event.changed[:20]]},
        )
    if isinstance(event, DiscrepancyDetected):
        fields = ", ".join(f.field for f in event.worst_fields[:5]) or "item counts"
        return Alert(
            "critical",
            f"Comparison of {event.business_date} failed; worst fields: {fields}",
            f"compare, comparison {event.comparison_id}",
            "Read the comparison report and fix the mapping or the manual lines.",
            f"/comparisons/{event.comparison_id}",
        )
    return None


def _fee_table_alert(event: FeeTablePublished | FeeTableConfirmed) -> Alert | None:
    """An admin's notice the table refused, or a table that does not cover enough days ahead."""
    notice = event.notice
    refused = next(
        (r for r in event.rejected if notice is not None and r.notice_event_id == notice.event_id), None
    )
    if refused is not None:
        return Alert(
            "critical",
            f"The FY{refused.fiscal_year} fee notice was not taken ({refused.rule}): {refused.reason}",
            f"etl, fee table {event.version}",
            "Record the notice again with the figures and days the Federal Register gives.",
            "/pipeline",
            {"notice_event_id": refused.notice_event_id},
        )
    coverage = event.coverage
    if not coverage.short:
        return None
    until = coverage.covered_until.isoformat() if coverage.covered_until else "no day from today"
    # Measured at every landing of the notices: one alert a day for a table version, not one a landing.
    identity = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ior:fee-table-short:{event.version}:{coverage.as_of}"))
    return Alert(
        "critical" if coverage.days_ahead == 0 else "warning",
        f"The fee table covers {until}: {coverage.days_ahead} days ahead of {coverage.as_of} "
        f"(at least {coverage.threshold_days})",
        f"etl, fee table {event.version}",
        "Record the next fiscal year's MPF and HMF figures from CBP's notice (`ior fees add`); until "
        "then formal entries on uncovered days are flagged fee_rate_missing.",
        "/pipeline",
        once=(identity, f"{coverage.as_of.isoformat()}T00:00:00+00:00"),
    )
