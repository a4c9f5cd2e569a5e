"""One example event per contract, as EventBridge delivers it (without `account`, which no consumer
may rely on). Tests load them into the models, the catalogue shows them and `ior emit` sends them.

The JSON files next to this module are the examples; they are data, read through importlib.resources
so they work from a wheel as well as from the source tree."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


class ExampleNotFoundError(LookupError):
    """No example event is committed for this detail-type."""


def _folder() -> Traversable:
    return files(__name__)


def detail_types() -> list[str]:
    """The detail-types that have an example, sorted."""
    return sorted(p.name.removesuffix(".json") for p in _folder().iterdir() if p.name.endswith(".json"))


def load(detail_type: str) -> dict[str, Any]:
    """The whole example event (`version`, `id`, `detail-type`, `source`, `time`, … `detail`)."""
    resource = _folder().joinpath(f"{detail_type}.json")
    if not resource.is_file():
        raise ExampleNotFoundError(f"no example event for {detail_type}; known: {', '.join(detail_types())}")
    event: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return event


def all_examples() -> dict[str, dict[str, Any]]:
    """detail-type → example event, for every example."""
    return {detail_type: load(detail_type) for detail_type in detail_types()}
