"""What the ingestion service's handlers need from the outside, as small ports; the values and the
error that cross them; and the bundle of them the bootstrap wires once per cold start. Tests may
hand in fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Protocol

from ior_contracts.claims import ClaimCheck

from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.fee_notices import FeeNotice
from ior_ingestion.domain.releases import Release
from ior_ingestion.domain.sources import SapSource
from ior_ingestion.domain.windows import ExtractWindow

Row = dict[str, Any]


class SourceError(Exception):
    """A source could not be read; `retryable` says whether trying again may help."""

    reason: ClassVar[str] = "source_error"
    retryable: bool = False
    # The server's minimum wait before the next attempt, in seconds, when it said so.
    retry_after: float | None = None
    # Attempts made when the error was finally raised (set by the retry policy).
    attempts: int = 1


class ReleaseNotListedError(SourceError):
    """The official HTS release asked for is not in the USITC's release list (or none is in effect)."""

    reason = "not_found"


@dataclass(frozen=True)
class Claim:
    """Whether this run took its window, and else who holds it and in which state."""

    won: bool
    holder: str = ""
    status: str = ""


@dataclass(frozen=True)
class StagedExtract:
    """A complete extract on local disk, not yet stored."""

    path: Path
    sha256: str
    rows: int
    pages: int
    schema_version: str
    suffix: str


@dataclass(frozen=True)
class Landed:
    extract: ClaimCheck
    audit_uri: str


class SapPort(Protocol):
    def iter_source(self, source: SapSource, window: ExtractWindow | None) -> Iterator[list[Row]]: ...
    def close(self) -> None: ...


class UsitcPort(Protocol):
    """The USITC's HTS: its list of releases and a release's JSON export."""

    def releases(self) -> list[Release]:
        """The landable releases the USITC lists, oldest first."""
        ...

    def export(self, location: str) -> tuple[Iterable[bytes], int]:
        """The export at `location` (a path or an URL), validated, and its row count."""
        ...


class LedgerPort(Protocol):
    def claim(self, source: str, window: str, run_id: str, *, now: int, lease_s: int) -> Claim: ...
    def finish(self, source: str, window: str, run_id: str, status: str, details: dict[str, str]) -> None: ...
    def watermark(self, source: str) -> date | None: ...
    def advance_watermark(self, source: str, to: date) -> None: ...
    def landed_release(self, source: str) -> Release | None: ...
    def record_release(self, source: str, release: Release) -> None: ...


class FeeNoticesPort(Protocol):
    """The fee notices admins recorded: kept in the service's table, each with an audit copy."""

    def record(self, notice: FeeNotice) -> None:
        """Keep `notice` (once: a re-delivered notice is the same record)."""
        ...

    def recorded(self) -> list[FeeNotice]: ...


class StagingPort(Protocol):
    """Where an extract waits, complete, before it is landed: nothing is stored from half a source."""

    def stage_pages(self, pages: Iterable[list[Row]]) -> StagedExtract: ...
    def stage_bytes(self, chunks: Iterable[bytes], rows: int, suffix: str) -> StagedExtract: ...
    def discard(self, staged: StagedExtract) -> None: ...


class LandingPort(Protocol):
    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed: ...


@dataclass
class Deps:
    config: IngestionConfig
    sap: Callable[[], SapPort]
    usitc: UsitcPort
    ledger: LedgerPort
    fee_notices: FeeNoticesPort
    staging: StagingPort
    landing: LandingPort
    clock: Callable[[], int]
