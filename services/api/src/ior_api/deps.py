"""Dependencies of the routes, as `Annotated` aliases so a route reads like its signature.

`Services` is wired once per cold start from `Settings`; tests replace `get_services` through
`app.dependency_overrides`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from ior_contracts.bus import EventPublisher
from ior_contracts.envelope import Event, Metadata

from ior_api.adapters.audit import AuditReports
from ior_api.adapters.lines import LinesReader
from ior_api.adapters.operations import Operations
from ior_api.adapters.readmodels import ReadModels
from ior_api.adapters.signing import SigningKey
from ior_api.adapters.uploads import UploadStore
from ior_api.adapters.users import RevokedSessions, UserRecord, UserStore
from ior_api.auth import tokens
from ior_api.auth.errors import CsrfError, ForbiddenError, NoSessionError
from ior_api.settings import Settings

SESSION_COOKIE = "ior_session"
CSRF_COOKIE = "ior_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Publisher(Protocol):
    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> Metadata: ...


@dataclass
class Services:
    settings: Settings
    users: UserStore
    revoked: RevokedSessions
    readmodels: ReadModels
    lines: LinesReader
    uploads: UploadStore
    operations: Operations
    audit: AuditReports
    publisher: Publisher
    signing_key: Callable[[], str]
    clock: Callable[[], datetime]


class LazyClient:
    """A boto3 client made on first use: a cold start pays only for the clients its request needs
    (making one costs tens of milliseconds)."""

    def __init__(self, settings: Settings, name: str) -> None:
        self._settings = settings
        self._name = name
        self._client: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if self._client is None:
            self._client = self._settings.client(self._name)
        return getattr(self._client, attribute)


def wire(settings: Settings) -> Services:
    dynamodb, s3, events = (LazyClient(settings, n) for n in ("dynamodb", "s3", "events"))
    return Services(
        settings=settings,
        users=UserStore(dynamodb, settings.table),
        revoked=RevokedSessions(dynamodb, settings.table),
        readmodels=ReadModels(dynamodb, settings.table),
        lines=LinesReader(s3, settings.data),
        uploads=UploadStore(s3, settings.data),
        audit=AuditReports(s3, settings.audit),
        operations=Operations(
            LazyClient(settings, "sqs"), events, settings.naming, lambda: stages_of(settings)
        ),
        publisher=EventPublisher(events, settings.bus, source="ior.api"),  # type: ignore[arg-type]
        signing_key=SigningKey(
            LazyClient(settings, "secretsmanager"),
            settings.naming.secret("jwt"),
            max_age_s=settings.secret_max_age_s,
        ),
        clock=lambda: datetime.now(UTC),
    )


def stages_of(settings: Settings) -> dict[str, list[str]]:
    if settings.stages is not None:
        return settings.stages
    from ior_contracts.topology import load_topology

    return {s.name: [sub.name for sub in s.subscriptions] for s in load_topology().services}


@lru_cache(maxsize=1)
def get_services() -> Services:
    return wire(Settings())


ServicesDep = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True)
class Principal:
    """The user behind a request's valid session."""

    user: UserRecord
    session: tokens.Session


def current_principal(request: Request, services: ServicesDep) -> Principal:
    """A valid, unrevoked session of an active user; for state-changing methods also its CSRF token."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NoSessionError("not logged in")
    key = services.signing_key()
    session = tokens.decode(key, token)
    # The table, not the token, says who the user is now: a deleted or deactivated user is out at once.
    user, revoked = services.users.for_session(session.username, session.sid)
    if revoked:
        raise NoSessionError("session was logged out")
    if request.method not in SAFE_METHODS and not tokens.csrf_matches(
        key, session.sid, request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)
    ):
        raise CsrfError(f"missing or wrong {CSRF_HEADER} header")
    if user is None or not user.active:
        raise NoSessionError("account no longer active")
    return Principal(user, session)


CurrentUser = Annotated[Principal, Depends(current_principal)]


def admin_principal(principal: CurrentUser) -> Principal:
    if principal.user.role != "admin":
        raise ForbiddenError("admin role required")
    return principal


AdminUser = Annotated[Principal, Depends(admin_principal)]
