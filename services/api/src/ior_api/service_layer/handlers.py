"""The API's message handlers: an event's writes applied to the read models, and each new alert
published once to the alert topic; a CloudWatch alarm's state change stored and published as an
alert too."""

from __future__ import annotations

from typing import Any

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Event, Metadata

from ior_api.domain import alerting
from ior_api.domain.projections import project as writes_of
from ior_api.domain.readmodels import ALERTS, ALERTS_NOTIFIED, PIPELINE_VIEW, VIEW_CHANGED, shown_in_pipeline
from ior_api.ports import Deps


def project(message: Event, /, *, cause: Metadata, deps: Deps, publish: Publish) -> int:
    """Project one shown event; how many documents it touched. Nothing is published in answer."""
    writes = writes_of(message, cause)
    for w in writes:
        if w.mode == "latest":
            deps.readmodels.put_latest(w.pk, w.sk, w.body, w.occurred_at)
        else:
            deps.readmodels.put(w.pk, w.sk, w.body, only_if_new=w.mode == "new")
        if w.pk == ALERTS:
            _notify(w.body, deps)
    if any(shown_in_pipeline(w.pk) for w in writes):
        # After the writes: a pipeline snapshot built from older documents no longer names this change.
        deps.readmodels.put(PIPELINE_VIEW, VIEW_CHANGED, {"token": cause.event_id})
    return len(writes)


def alarm_changed(event: dict[str, Any], *, stage: str, deps: Deps) -> None:
    """Store the alert of a CloudWatch alarm's state change (AWS's event, no envelope) and publish it."""
    alert = alerting.alarm_alert(event, stage)
    deps.readmodels.put(ALERTS, alerting.alert_key(alert), alert)
    _notify(alert, deps)


def _notify(alert: dict[str, Any], deps: Deps) -> None:
    """Publish the alert unless it was published before. The mark is written after publishing, so a
    crash in between repeats the message rather than losing it."""
    if deps.notifier is None or deps.readmodels.exists(ALERTS_NOTIFIED, alert["id"]):
        return
    subject, text = alerting.message(alert, deps.dashboard_url)
    deps.notifier.publish(subject, text, alert["severity"])
    deps.readmodels.put(ALERTS_NOTIFIED, alert["id"], {"subject": subject})
