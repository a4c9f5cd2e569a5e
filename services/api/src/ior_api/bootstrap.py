"""The one place the API's dependencies are wired, once per cold start: the event handlers' `Deps`,
the web app's `Services`, and the user store `ior` points at a stack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ior_contracts.bus import EventPublisher
from ior_contracts.settings import ServiceSettings

from ior_api.adapters.attempts import LoginAttempts
from ior_api.adapters.audit import AuditReports
from ior_api.adapters.lines import LinesReader
from ior_api.adapters.notifier import SnsNotifier
from ior_api.adapters.operations import Operations
from ior_api.adapters.origin import OriginValues
from ior_api.adapters.readmodels import ReadModels
from ior_api.adapters.run_lines import RunLinesReader
from ior_api.adapters.signing import SigningKey
from ior_api.adapters.uploads import UploadStore
from ior_api.adapters.users import RevokedSessions, UserStore
from ior_api.config import Settings
from ior_api.ports import Deps, ReadModelsPort, Services, UsersPort


def wire(_: ServiceSettings | None = None) -> Deps:
    """The event handlers' dependencies."""
    settings = Settings()
    notifier = (
        SnsNotifier(settings.client("sns"), settings.alert_topic_arn) if settings.alert_topic_arn else None
    )
    return Deps(
        readmodels=ReadModels(settings.client("dynamodb"), settings.table),
        notifier=notifier,
        dashboard_url=settings.dashboard_url,
    )


class LazyClient:
    """A boto3 client made on first use: a cold start pays only for the clients its request needs
    (making one costs tens of milliseconds)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._client: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if self._client is None:
            self._client = self._make()
        return getattr(self._client, attribute)


def wire_web(settings: Settings) -> Services:
    """The web app's dependencies, each client made when a request first needs it."""
    dynamodb, s3, events, sqs, secretsmanager = (
        LazyClient(partial(settings.client, name))
        for name in ("dynamodb", "s3", "events", "sqs", "secretsmanager")
    )
    return Services(
        settings=settings,
        users=UserStore(dynamodb, settings.table),
        attempts=LoginAttempts(dynamodb, settings.table),
        revoked=RevokedSessions(dynamodb, settings.table),
        readmodels=ReadModels(dynamodb, settings.table),
        lines=RunLinesReader(LinesReader(s3, settings.data)),
        # The compare service's explanations of its discrepancies, read as lines are.
        explanations=LinesReader(s3, settings.data, prefix="compare/published/"),
        uploads=UploadStore(s3, settings.data),
        audit=AuditReports(s3, settings.audit),
        operations=Operations(sqs, events, settings.naming, lambda: _stages_of(settings)),
        publisher=EventPublisher(events, settings.bus, source="ior.api"),  # type: ignore[arg-type]
        signing_key=SigningKey(
            secretsmanager, settings.naming.secret("jwt"), max_age_s=settings.secret_max_age_s
        ),
        clock=lambda: datetime.now(UTC),
        origin=OriginValues(secretsmanager, settings.origin_secret, max_age_s=settings.secret_max_age_s)
        if settings.origin_secret
        else None,
    )


def _stages_of(settings: Settings) -> dict[str, list[str]]:
    if settings.stages is not None:
        return settings.stages
    from ior_contracts.topology import load_topology

    return {s.name: [sub.name for sub in s.subscriptions] for s in load_topology().services}


def user_store(client: Callable[[str], Any], table: str) -> UsersPort:
    """The users of a stack's API table, for `ior`: `client` makes a boto3 client for that stack,
    asked only when the table is first used."""
    return UserStore(LazyClient(partial(client, "dynamodb")), table)


def readmodels(client: Callable[[str], Any], table: str) -> ReadModelsPort:
    """The read models of a stack's API table, for `ior`."""
    return ReadModels(LazyClient(partial(client, "dynamodb")), table)
