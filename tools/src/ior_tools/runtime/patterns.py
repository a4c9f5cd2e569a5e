"""EventBridge pattern matching, by moto's own matcher (the one that routes `put_events`), so the
local replay and the contract tests agree with what the bus does."""

from __future__ import annotations

import json
from typing import Any

from moto.events.models import EventPattern, EventPatternParser


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    raw = json.dumps(pattern)
    return bool(EventPattern(raw, EventPatternParser(raw).parse()).matches_event(event))  # type: ignore[arg-type]
