"""The projection handler: an event's writes applied to the read models, and each new alert
published once to the alert topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ior_contracts.envelope import Envelope

from ior_api.adapters.readmodels import ALERTS, ALERTS_NOTIFIED, ReadModels
from ior_api.alerting import alert_key, message
from ior_api.projections import project


class Notifier(Protocol):
    def publish(self, subject: str, text: str, severity: str) -> None: ...


@dataclass
class Deps:
    readmodels: ReadModels
    notifier: Notifier | None = None
    dashboard_url: str = ""


def apply(envelope: Envelope[Any], deps: Deps) -> int:
    """Project one event; how many documents it touched."""
    writes = project(envelope)
    for w in writes:
        if w.mode == "latest":
            deps.readmodels.put_latest(w.pk, w.sk, w.body, w.occurred_at)
        else:
            deps.readmodels.put(w.pk, w.sk, w.body, only_if_new=w.mode == "new")
        if w.pk == ALERTS:
            notify(w.body, deps)
    return len(writes)


def record_alert(alert: dict[str, Any], deps: Deps) -> None:
    """Store an alert that did not come from a contract (an alarm), and publish it."""
    deps.readmodels.put(ALERTS, alert_key(alert), alert)
    notify(alert, deps)


def notify(alert: dict[str, Any], deps: Deps) -> None:
    """Publish the alert unless it was published before. The mark is written after publishing, so a
    crash in between repeats the message rather than losing it."""
    if deps.notifier is None or deps.readmodels.exists(ALERTS_NOTIFIED, alert["id"]):
        return
    subject, text = message(alert, deps.dashboard_url)
    deps.notifier.publish(subject, text, alert["severity"])
    deps.readmodels.put(ALERTS_NOTIFIED, alert["id"], {"subject": subject})
