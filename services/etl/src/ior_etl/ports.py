"""What the ETL's logic needs from the world, as small ports, and the dependencies a handler gets.
The adapters implement them against DynamoDB and S3; tests may pass fakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Mode

from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.records import CurrentVersion, LandedExtract, PendingRows, RunRecord

Pointer = Literal["made", "already", "stale"]


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

    def read(self, uri: str, sha256: str) -> bytes: ...
    def put_version(
        self, dataset: str, mode: Mode, version: str, data: bytes, manifest: bytes
    ) -> tuple[str, str]:
        """(data URI, manifest URI) of the version, written unless it exists."""
        ...

    def put_quarantine(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str: ...
    def put_audit(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str: ...


@dataclass(frozen=True)
class Outgoing:
    """An event to announce, under an id derived from what it announces."""

    event: Event
    event_id: str
    business_date: date | None = None


Publish = Callable[[Outgoing], None]


@dataclass
class Deps:
    policy: HoldPolicy
    code_version: str
    catalog: CatalogPort
    objects: ObjectsPort
