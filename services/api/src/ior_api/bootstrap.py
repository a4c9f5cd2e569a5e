"""The one place the event handlers' dependencies are wired (once per cold start)."""

from __future__ import annotations

from ior_contracts.settings import ServiceSettings

from ior_api.adapters.notifier import SnsNotifier
from ior_api.adapters.readmodels import ReadModels
from ior_api.handlers import Deps
from ior_api.settings import Settings


def wire(_: ServiceSettings | None = None) -> Deps:
    settings = Settings()
    notifier = (
        SnsNotifier(settings.client("sns"), settings.alert_topic_arn) if settings.alert_topic_arn else None
    )
    return Deps(
        readmodels=ReadModels(settings.client("dynamodb"), settings.table),
        notifier=notifier,
        dashboard_url=settings.dashboard_url,
    )
