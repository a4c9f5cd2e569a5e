"""What the API's handlers and routes need from the outside, as small ports; the two bundles of them
the bootstrap wires once per cold start (`Deps` for the event handlers, `Services` for the web app);
and the errors adapters raise that the layers above catch. Tests hand in their own."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event, Metadata

from ior_api.config import Settings
from ior_api.domain.auth.users import UserRecord
from ior_api.domain.line_index import LineIndex, LineKey


class ClaimCheckError(RuntimeError):
    """The object is outside the allowed prefix, missing, or not what its claim check names."""


class ReportNotFoundError(LookupError):
    """The URI names no report the API may serve."""


class UserExistsError(Exception):
    """A user of that name already exists."""


class IncomingChangedError(RuntimeError):
    """A file of a presigned upload was replaced after it was listed; nothing was stored."""


@dataclass(frozen=True)
class Incoming:
    """A file received for a presigned session: its name, and the version of it that is read and kept."""

    name: str
    key: str
    etag: str


@dataclass(frozen=True)
class Hashed:
    """An incoming file's SHA-256 (hex), and the version of it that was hashed."""

    file: Incoming
    sha256: str


class ReadModelsPort(Protocol):
    def put(self, pk: str, sk: str, body: dict[str, Any], *, only_if_new: bool = False) -> bool: ...
    def put_latest(self, pk: str, sk: str, body: dict[str, Any], occurred_at: str) -> None: ...
    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]: ...
    def exists(self, pk: str, sk: str) -> bool: ...
    def query(
        self,
        pk: str,
        *,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]: ...


class NotifierPort(Protocol):
    def publish(self, subject: str, text: str, severity: str) -> None: ...


class UsersPort(Protocol):
    def for_session(self, username: str, sid: str) -> tuple[UserRecord | None, bool]: ...
    def get(self, username: str) -> UserRecord | None: ...
    def add(self, user: UserRecord) -> None: ...
    def delete(self, username: str) -> bool: ...
    def all(self) -> list[UserRecord]: ...
    def rehash(self, username: str, new_hash: str) -> None: ...
    def change_password(self, username: str, new_hash: str, generation: str) -> bool: ...
    def end_sessions(self, username: str, generation: str) -> bool: ...
    def set_active(self, username: str, active: bool, generation: str) -> bool: ...


@dataclass(frozen=True)
class Attempt:
    """A login attempt as counted for its username: whether it may be tried, how many were counted
    (this one included), and until when they count (epoch seconds)."""

    allowed: bool
    counted: int
    until: int


class AttemptsPort(Protocol):
    """Login attempts, counted atomically per username (whether or not it exists) and per source."""

    def reserve(self, username: str, *, now: int, limit: int, window_s: int) -> Attempt: ...
    def clear(self, username: str) -> None: ...
    def from_source(self, source: str, *, now: int, window_s: int) -> int: ...


class RevokedSessionsPort(Protocol):
    def revoke(self, sid: str, expires_at: int) -> None: ...


class LinesPort(Protocol):
    def read(self, claim: ClaimCheck) -> dict[str, Any]: ...


class RunLines(Protocol):
    """One customs run's lines as the dashboard reads them (`domain.line_index`): every line's index
    columns, and the rest only of the entries asked for. `ClaimCheckError` when an object is not the
    one its event announced."""

    @property
    def index(self) -> LineIndex: ...

    def entries(self, entry_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The entries named that the run has, each with its lines, by entry id."""
        ...

    def sourced(self, wanted: str) -> frozenset[LineKey]:
        """The lines one of whose invoice documents or materials is `wanted` (`mentions_in_sources`)."""
        ...

    def head(self) -> dict[str, Any]:
        """The document's fields before its entries: the date, the datasets read, the configuration."""
        ...

    def quarantined(self) -> list[dict[str, Any]]:
        """The run's quarantined invoice lines, as published."""
        ...


class RunLinesPort(Protocol):
    def open(self, run: Mapping[str, Any]) -> RunLines:
        """The lines of the run a `customs.lines.generated.v1` read model (`run`) describes."""
        ...


@dataclass(frozen=True)
class Report:
    """A stored report: its bytes as stored (gzip ones are sent so, the client decompresses), or,
    for one larger than the API may answer with, a short-lived link to it (`body` then empty)."""

    body: bytes
    content_type: str
    content_encoding: str | None = None
    link: str | None = None


class AuditPort(Protocol):
    def read(self, uri: str, *, max_bytes: int) -> Report:
        """The report the URI names: its bytes, or a link to it when it is larger than `max_bytes`."""
        ...


class UploadsPort(Protocol):
    ttl_s: int

    def store(self, upload_id: str, filename: str, body: bytes, rows: int) -> ClaimCheck: ...
    def presign(self, session: str, filename: str, max_bytes: int) -> dict[str, Any]: ...
    def incoming(self, session: str) -> list[Incoming]: ...
    def hashed(self, file: Incoming) -> Hashed: ...
    def adopt(self, file: Incoming, upload_id: str, sha256: str, rows: int) -> ClaimCheck: ...
    def discard(self, files: list[Incoming]) -> None: ...


class OperationsPort(Protocol):
    @property
    def stages(self) -> dict[str, list[str]]: ...
    def depths(self) -> list[tuple[str, int, int]]: ...
    def start_replay(
        self, label: str, stage: str, since: datetime, until: datetime, description: str
    ) -> str: ...
    def replays(self) -> list[dict[str, Any]]: ...


class Publisher(Protocol):
    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> Metadata: ...


@dataclass
class Deps:
    """The event handlers' dependencies."""

    readmodels: ReadModelsPort
    notifier: NotifierPort | None = None
    dashboard_url: str = ""


@dataclass
class Services:
    """The web app's dependencies; tests replace them through `app.dependency_overrides`."""

    settings: Settings
    users: UsersPort
    attempts: AttemptsPort
    revoked: RevokedSessionsPort
    readmodels: ReadModelsPort
    lines: RunLinesPort
    explanations: LinesPort
    uploads: UploadsPort
    operations: OperationsPort
    audit: AuditPort
    publisher: Publisher
    signing_key: Callable[[], str]
    clock: Callable[[], datetime]
    # The origin header values accepted (current, previous); none: the check is off (no edge).
    origin: Callable[[], tuple[str, ...]] | None = None
