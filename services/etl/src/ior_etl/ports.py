"""What the ETL's logic needs from the world, as small ports, and the dependencies a handler gets;
with what crosses them: the records its table keeps (the extracts landed, each dataset's current
version per mode, the runs made, the rows waiting for master data) and the errors an object read
raises. The adapters implement the ports against DynamoDB and S3; tests may pass fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, Protocol

from ior_contracts.claims import ClaimCheck
from ior_contracts.vocabulary import Mode

from ior_etl.domain.hold_policy import HoldPolicy

Pointer = Literal["made", "already", "stale"]
RunStatus = Literal["published", "held", "superseded"]


def instant(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC text, so instants sort as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class LandedExtract:
    """One landed extract's claim check, with the window it covers and when it landed."""

    source: str
    claim: ClaimCheck
    window_from: date
    window_to: date
    landed_at: str  # `instant` text
    run_id: str
    revision: str | None = None
    """For the official HTS: the revision ingestion says landed (`2026 Rev. 10`)."""

    @property
    def order(self) -> tuple[str, str]:
        """Landing order: newer extracts come later (ties broken by checksum, to stay total)."""
        return (self.landed_at, self.claim.sha256)


@dataclass(frozen=True)
class Input:
    """One object a run read, verified against its checksum, and when it arrived."""

    name: str
    uri: str
    sha256: str
    at: str  # `instant` text


@dataclass(frozen=True)
class CurrentVersion:
    dataset: str
    mode: Mode
    version: str
    as_of: str  # the newest arrival among the version's inputs
    run_id: str
    snapshot: ClaimCheck
    manifest_uri: str


@dataclass(frozen=True)
class RunRecord:
    dataset: str
    mode: Mode
    run_id: str
    status: RunStatus
    as_of: str
    total_rows: int
    rejected_rows: int
    reevaluable_rows: int
    version: str | None = None
    quarantine_uri: str | None = None
    rule: str | None = None
    cause: str = ""


@dataclass(frozen=True)
class PendingRows:
    """Rows of a dataset's latest run rejected only for master data that has not arrived yet."""

    dataset: str
    mode: Mode
    run_id: str
    rows: int
    quarantine_uri: str | None
    sources: tuple[str, ...]


class ObjectError(Exception):
    """An object the ETL reads cannot be used as its claim check describes."""


class MissingObjectError(ObjectError):
    """No object at the claim check's URI."""


class ChecksumMismatchError(ObjectError):
    """The object's bytes are not the ones its claim check names."""


class CatalogPort(Protocol):
    """The ETL table."""

    def record_extract(self, extract: LandedExtract) -> None: ...
    def extracts(self, source: str) -> list[LandedExtract]:
        """Every extract of `source` recorded, oldest first."""
        ...

    def current(self, dataset: str, mode: Mode) -> CurrentVersion | None: ...
    def make_current(self, version: CurrentVersion) -> Pointer:
        """`made` current; `already` current; or `stale`: a version of newer inputs is current."""
        ...

    def run(self, dataset: str, mode: Mode, run_id: str) -> RunRecord | None: ...
    def record_run(self, run: RunRecord) -> None: ...
    def record_pending(self, pending: PendingRows) -> None: ...
    def pending(self, dataset: str, mode: Mode) -> PendingRows | None: ...


class ObjectsPort(Protocol):
    """Objects read (verified against their claim checks) and the ETL's own objects written."""

    def read(self, uri: str, sha256: str) -> bytes:
        """The object's bytes; raises `MissingObjectError`, or `ChecksumMismatchError` for other bytes."""
        ...

    def put_version(
        self, dataset: str, mode: Mode, version: str, data: bytes, manifest: bytes, *, origins: bytes | None
    ) -> tuple[str, str]:
        """(data URI, manifest URI) of the version, with the origins of its rows when given, each
        written unless it exists."""
        ...

    def put_quarantine(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str: ...
    def put_revision_changes(self, body: bytes) -> str:
        """The URI of an HTS revision comparison, stored under its checksum for others to read."""
        ...

    def put_audit(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str: ...


@dataclass
class Deps:
    """What every handler is given, wired once per cold start by `bootstrap`."""

    policy: HoldPolicy
    code_version: str
    catalog: CatalogPort
    objects: ObjectsPort
    # Days ahead the fee table must cover before its events ask for an alert.
    fee_coverage_days: int = 45
