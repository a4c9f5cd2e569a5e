"""The projection handler: an event's writes applied to the read models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ior_contracts.envelope import Envelope

from ior_api.adapters.readmodels import ReadModels
from ior_api.projections import project


@dataclass
class Deps:
    readmodels: ReadModels


def apply(message: Envelope[Any], deps: Deps) -> int:
    """Project one event; how many documents it touched."""
    writes = project(message)
    for w in writes:
        if w.mode == "latest":
            deps.readmodels.put_latest(w.pk, w.sk, w.body, w.occurred_at)
        else:
            deps.readmodels.put(w.pk, w.sk, w.body, only_if_new=w.mode == "new")
    return len(writes)
