"""Times as the compare service keeps them, in its table and its audit objects: UTC as fixed-width
text, so that text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(moment: datetime) -> str:
    """A UTC time as fixed-width text."""
    if moment.tzinfo is None:
        raise ValueError("a stored time must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
