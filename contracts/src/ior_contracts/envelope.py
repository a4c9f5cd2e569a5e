"""The envelope every event carries in its EventBridge `detail`, and the base of every payload."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SCHEMA_ID_BASE = "https://ior-pipeline.local/contracts/"


class Metadata(BaseModel):
    """Who said what, when, and in answer to which event."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1, max_length=128, description="Unique per event; the idempotency key.")
    event_version: int = Field(ge=1, description="Major version of the contract, as in the detail-type.")
    occurred_at: AwareDatetime = Field(description="When the producer made the event; always with an offset.")
    producer: str = Field(pattern=r"^ior\.[a-z]+$", description="The producing service, `ior.<service>`.")
    correlation_id: str = Field(
        min_length=1, max_length=128, description="Shared by every event of one flow."
    )
    causation_id: str | None = Field(
        default=None, description="The event_id of the event that caused this one."
    )
    business_date: date | None = Field(
        default=None, description="The arrival date the event concerns, if any."
    )


@dataclass(frozen=True)
class Deprecation:
    """A major version on its way out. Its producer emits it beside `successor` (made from each
    successor event by `Event.previous`) from `announced` through `sunset`, then only the successor;
    the contract itself stays (a published major version is never removed)."""

    successor: str  # the detail-type of the next major version
    announced: date
    sunset: date  # the last day it is emitted

    def emitted_on(self, day: date) -> bool:
        return day <= self.sunset


class Event(BaseModel):
    """Base of every payload. A subclass names its detail-type and the one source allowed to emit it.

    Readers are tolerant (unknown fields are ignored) so a v1 can gain optional fields; `ior emit`
    checks unknown fields separately before anything is put on the bus."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    DETAIL_TYPE: ClassVar[str]
    SOURCE: ClassVar[str]
    DESCRIPTION: ClassVar[str] = ""
    # Set on a major version being replaced: it is emitted beside its successor until the sunset.
    DEPRECATION: ClassVar[Deprecation | None] = None

    def previous(self) -> Event | None:
        """This event in the words of the previous major version, which its producer also emits
        while that version's deprecation window lasts; None for a first major version."""
        return None

    @classmethod
    def major_version(cls) -> int:
        """The contract's major version, from its detail-type. (Not `version`: a payload may have a
        field of that name, as `etl.dataset.published.v1` does.)"""
        return int(cls.DETAIL_TYPE.rsplit(".v", 1)[1])


E = TypeVar("E", bound=Event)


class Envelope(BaseModel, Generic[E]):
    """The EventBridge `detail` of every event: metadata plus the typed payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    metadata: Metadata
    data: E


def new_metadata(
    event_type: type[Event],
    *,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    business_date: date | None = None,
    event_id: str | None = None,
    occurred_at: datetime | None = None,
) -> Metadata:
    """Metadata for a new event. Pass `event_id` to make it deterministic (derived from the output's
    key), so that a re-run producing the same output announces it under the same id."""
    event_id = event_id or str(uuid.uuid4())
    return Metadata(
        event_id=event_id,
        event_version=event_type.major_version(),
        occurred_at=occurred_at or datetime.now(UTC),
        producer=event_type.SOURCE,
        correlation_id=correlation_id or event_id,
        causation_id=causation_id,
        business_date=business_date,
    )


def deterministic_event_id(*parts: str) -> str:
    """A stable event id for an output identified by `parts` (its inputs and version)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, SCHEMA_ID_BASE + "/".join(parts)))


def envelope_type(event_type: type[E]) -> type[Envelope[E]]:
    """`Envelope[event_type]` for a payload type known only at run time (pydantic caches the class)."""
    return Envelope[event_type]  # type: ignore[valid-type]
