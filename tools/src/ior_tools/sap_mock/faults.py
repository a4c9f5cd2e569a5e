"""Faults the mock SAP injects on demand, per entity set or for all, and its request counts.

A fault fires on the requests it matches (its entity set, or any; its page, or any) as often as
`times` says (None: until cleared), then is spent. Set from tests through `SapMock.set_fault`
and from outside through `POST /__mock/faults`."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, get_args

FaultMode = Literal["503", "429", "slow", "malformed", "break", "auth"]
MODES: tuple[str, ...] = get_args(FaultMode)


class FaultError(ValueError):
    """A fault description the mock cannot apply."""


@dataclass
class Fault:
    """`503`: Service Unavailable. `429`: Too Many Requests with `Retry-After: retry_after`.
    `slow`: hold the answer `seconds` (longer than the client's timeout). `malformed`: a page that is
    not JSON. `break`: half the page, then the connection drops. `auth`: refuse good credentials."""

    mode: FaultMode
    entity_set: str | None = None
    times: int | None = None
    page: int | None = None
    retry_after: int = 1
    seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise FaultError(f"unknown fault mode {self.mode!r}; one of {', '.join(MODES)}")
        if self.entity_set is not None:
            if not isinstance(self.entity_set, str):
                raise FaultError("entity_set must be a name like ZSDR002, or null for every entity set")
            self.entity_set = entity_name(self.entity_set)
        if self.times is not None and (type(self.times) is not int or self.times < 1):
            raise FaultError("times must be a positive integer, or null for always")
        if self.page is not None and (type(self.page) is not int or self.page < 1):
            raise FaultError("page must be a positive integer, or null for every page")
        if type(self.retry_after) is not int or self.retry_after < 0:
            raise FaultError("retry_after must be a non-negative integer (seconds)")
        if not isinstance(self.seconds, int | float) or self.seconds <= 0:
            raise FaultError("seconds must be positive")

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        if not isinstance(data, dict):
            raise FaultError("a fault is a JSON object")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise FaultError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        if "mode" not in data:
            raise FaultError("a fault needs a mode")
        return cls(**{**data, "mode": str(data["mode"])})

    def matches(self, entity: str, page: int) -> bool:
        return (self.entity_set in (None, entity)) and (self.page in (None, page))


def entity_name(value: str) -> str:
    """`ZSDR002`, `ZSDR002Set` or `ZSDR002_SRV` → `ZSDR002`."""
    return value.removesuffix("Set").removesuffix("_SRV")


class FaultBoard:
    """The active faults and the request counts, shared by the server thread and its controller."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._requests: Counter[str] = Counter()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self, entity_set: str | None = None) -> None:
        with self._lock:
            if entity_set is None:
                self._faults.clear()
            else:
                name = entity_name(entity_set)
                self._faults = [f for f in self._faults if f.entity_set != name]

    def active(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def take(self, entity: str, page: int) -> Fault | None:
        """The first fault matching this request, counted as fired."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(entity, page):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def count_request(self, entity: str) -> None:
        with self._lock:
            self._requests[entity] += 1

    def requests(self) -> dict[str, int]:
        with self._lock:
            return dict(self._requests)

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()
