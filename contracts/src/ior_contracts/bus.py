"""Putting events on the bus: one entry per event, checked against EventBridge's limits first."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from ior_contracts.envelope import Envelope, Event, Metadata, deterministic_event_id, new_metadata

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient

# EventBridge refuses an entry over 256 KB (Source + DetailType + Detail + Resources + Time, in UTF-8
# bytes). moto does not enforce it, so the publisher does, before anything is sent.
MAX_ENTRY_BYTES = 256 * 1024


class PublishError(RuntimeError):
    """The bus did not accept an event."""


class EventTooLargeError(PublishError):
    """The entry is over EventBridge's 256 KB limit; send a claim check instead."""


class WrongSourceError(PublishError):
    """A service tried to emit a contract owned by another source."""


def entry_size(entry: dict[str, Any]) -> int:
    size = sum(len(str(entry.get(k, "")).encode()) for k in ("Source", "DetailType", "Detail"))
    size += sum(len(r.encode()) for r in entry.get("Resources", []))
    return size + (14 if "Time" in entry else 0)


def detail_json(envelope: Envelope[Any]) -> str:
    """The `detail` text, canonical (sorted keys, no spaces) so equal envelopes give equal bytes."""
    return json.dumps(envelope.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def build_entry(bus_name: str, event: Event, metadata: Metadata) -> dict[str, Any]:
    envelope: Envelope[Event] = Envelope(metadata=metadata, data=event)
    entry = {
        "EventBusName": bus_name,
        "Source": type(event).SOURCE,
        "DetailType": type(event).DETAIL_TYPE,
        "Detail": detail_json(envelope),
    }
    size = entry_size(entry)
    if size > MAX_ENTRY_BYTES:
        raise EventTooLargeError(
            f"{type(event).DETAIL_TYPE} is {size} bytes, over EventBridge's {MAX_ENTRY_BYTES}-byte limit: "
            "put the content in an object and send its claim check"
        )
    return entry


class EventPublisher:
    """Publishes the events of one service (`source`), which may emit only its own contracts."""

    def __init__(self, client: EventBridgeClient, bus_name: str, source: str | None = None) -> None:
        self._client = client
        self._bus_name = bus_name
        self._source = source

    def publish(
        self,
        event: Event,
        *,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        business_date: date | None = None,
        event_id: str | None = None,
    ) -> Metadata:
        metadata = new_metadata(
            type(event),
            correlation_id=correlation_id,
            causation_id=causation_id,
            business_date=business_date,
            event_id=event_id,
        )
        self.publish_with(event, metadata)
        return metadata

    def publish_with(self, event: Event, metadata: Metadata) -> None:
        """Put `event` on the bus, with each previous major version of it still in its deprecation
        window (`versions_of`), in one request."""
        if self._source is not None and self._source != type(event).SOURCE:
            raise WrongSourceError(
                f"{self._source} may not emit {type(event).DETAIL_TYPE} ({type(event).SOURCE})"
            )
        versions = versions_of(event, metadata)
        entries = [build_entry(self._bus_name, e, m) for e, m in versions]
        response = self._client.put_events(Entries=entries)  # type: ignore[arg-type]
        if response.get("FailedEntryCount", 0):
            refused = [
                f"{type(e).DETAIL_TYPE}: {r.get('ErrorCode')} {r.get('ErrorMessage')}"
                for (e, _), r in zip(versions, response["Entries"], strict=False)
                if r.get("ErrorCode")
            ]
            raise PublishError(f"refused by {self._bus_name}: {'; '.join(refused)}")


def versions_of(event: Event, metadata: Metadata) -> list[tuple[Event, Metadata]]:
    """The event, then each previous major version of it its producer still emits (the version is
    deprecated and its sunset has not passed on the day the event occurred). A previous version's
    event id is derived from the event's, so a re-publication repeats both ids."""
    found = [(event, metadata)]
    day = metadata.occurred_at.date()
    previous = event.previous()
    while previous is not None:
        deprecation = type(previous).DEPRECATION
        if deprecation is None or not deprecation.emitted_on(day):
            break
        found.append(
            (
                previous,
                metadata.model_copy(
                    update={
                        "event_id": deterministic_event_id(metadata.event_id, type(previous).DETAIL_TYPE),
                        "event_version": type(previous).major_version(),
                    }
                ),
            )
        )
        previous = previous.previous()
    return found
