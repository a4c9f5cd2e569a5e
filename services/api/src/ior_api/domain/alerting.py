"""Alerts as people read them: one message per alert (what, where, since when, what to do, link), and
the alerts CloudWatch alarms raise. Plain data, no AWS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "warning", "info"]
SUBJECT_LIMIT = 100  # SNS caps a subject at 100 characters

# What to do when an alarm of the deployment fires, by the alarm's name without its stage prefix.
ALARM_ACTIONS = {
    "etl-failure": "Open the pipeline view: a dataset was held; fix the source data or the upload.",
    "sap-down": "SAP extracts are failing: check SAP and its credentials; upload the CSVs meanwhile.",
    "comparison-fail-rate": "Comparisons are failing: read the latest reports before trusting either path.",
    "stale-data": "A dataset has not been refreshed in time: check its source's last extract.",
    "fee-table-short": "Record the next fiscal year's fee figures from CBP's notice (`ior fees add`).",
    "hts-revision-waiting": "Unpin the stack's USITC release, or look at the failed USITC_HTS extracts.",
    "dlq": "Events are stuck in a dead-letter queue: inspect them (`ior dlq show`) and redrive once fixed.",
}
ALARM_SEVERITY: dict[str, Severity] = {"ALARM": "critical", "INSUFFICIENT_DATA": "warning", "OK": "info"}


@dataclass(frozen=True)
class Alert:
    severity: Severity
    what: str
    where: str
    action: str
    link: str
    details: dict[str, Any] = field(default_factory=dict)
    # For a condition re-announced while it lasts (the fee table short, measured at every landing):
    # the alert's own id and start, so every announcement of the same condition is the one alert.
    once: tuple[str, str] | None = None

    def record(self, *, id: str, kind: str, since: str, business_date: date | None) -> dict[str, Any]:
        """The alert as stored and listed (`GET /api/alerts`): what happened to what, since when."""
        return {
            "id": id,
            "kind": kind,
            "since": since,
            "business_date": business_date.isoformat() if business_date else None,
            "severity": self.severity,
            "what": self.what,
            "where": self.where,
            "action": self.action,
            "link": self.link,
            "details": self.details,
        }


def alert_key(record: dict[str, Any]) -> str:
    """The alert's sort key in the read models: newest first, by time then id."""
    return f"{record['since']}#{record['id']}"


def message(alert: dict[str, Any], dashboard_url: str) -> tuple[str, str]:
    """(subject, text) of the one message an alert is published as."""
    link = alert["link"]
    if link.startswith("/"):
        link = dashboard_url.rstrip("/") + link
    subject = f"[ior {alert['severity']}] {alert['what']}"
    if len(subject) > SUBJECT_LIMIT:
        subject = subject[: SUBJECT_LIMIT - 1] + "…"
    text = "\n".join(
        (
            f"{alert['severity'].upper()}: {alert['what']}",
            f"Where: {alert['where']}",
            f"Since: {alert['since']}",
            f"What to do: {alert['action']}",
            f"Link: {link}",
        )
    )
    return subject, text


class AlarmState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    value: str
    reason: str = ""
    timestamp: str


class AlarmDetail(BaseModel):
    """The `detail` of AWS's "CloudWatch Alarm State Change" event (AWS's shape, not a contract)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    alarm_name: str = Field(alias="alarmName")
    state: AlarmState
    previous_state: AlarmState | None = Field(default=None, alias="previousState")
    configuration: dict[str, Any] = Field(default_factory=dict)


def alarm_alert(event: dict[str, Any], stage: str) -> dict[str, Any]:
    """The alert for an alarm's state change; its id follows from the alarm and the change's time,
    so a re-delivered change is the same alert."""
    detail = AlarmDetail.model_validate(event["detail"])
    short = detail.alarm_name.removeprefix(f"ior-{stage}-")
    kind = next((k for k in ALARM_ACTIONS if short == k or short.startswith(f"{k}-")), None)
    state = detail.state.value
    previous = detail.previous_state.value if detail.previous_state else "unknown"
    alert = Alert(
        severity=ALARM_SEVERITY.get(state, "warning"),
        what=f"Alarm {detail.alarm_name} is {state} (was {previous}): {detail.state.reason}"[:1000],
        where=f"CloudWatch, {event.get('region', 'this region')}",
        action=ALARM_ACTIONS.get(kind or "", "Read the alarm's description and the pipeline view.")
        if state != "OK"
        else "Nothing: the alarm is back to OK.",
        link="/pipeline",
        details={"alarm": detail.alarm_name, "state": state, "previous": previous}
        | (
            {"description": detail.configuration["description"]}
            if "description" in detail.configuration
            else {}
        ),
    )
    return alert.record(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"alarm/{detail.alarm_name}/{detail.state.timestamp}")),
        kind="aws.cloudwatch.alarm",
        since=_iso(detail.state.timestamp),
        business_date=None,
    )


def _iso(timestamp: str) -> str:
    # CloudWatch writes `2026-03-17T05:01:47.905+0000`; the read models keep ISO 8601 with a colon.
    try:
        return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%f%z").isoformat()
    except ValueError:
        return datetime.fromisoformat(timestamp).isoformat()
