"""A date's customs run as the dashboard shows it: the official mode unless one is asked for, its
read-model record, and its lines document through the claim check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fastapi import HTTPException, status
from ior_contracts.claims import ClaimCheck

from ior_api.adapters.lines import ClaimCheckError
from ior_api.adapters.readmodels import CUSTOMS_RUNS, OFFICIAL_RUNS
from ior_api.deps import Services

RunMode = Literal["automated", "manual"]


@dataclass(frozen=True)
class ShownRun:
    mode: RunMode
    record: dict[str, Any]
    official: bool

    def document(self, services: Services) -> dict[str, Any]:
        try:
            return services.lines.read(ClaimCheck.model_validate(self.record["lines"]))
        except ClaimCheckError as exc:
            raise HTTPException(status.HTTP_502_BAD_GATEWAY, str(exc)) from None


def shown_run(services: Services, day: date, mode: RunMode | None) -> ShownRun:
    """The run of `day` in `mode` (default: the date's official mode, else automated); 404 if none."""
    key = day.isoformat()
    official = _first(services.readmodels.query(OFFICIAL_RUNS, prefix=key))
    chosen: RunMode = mode or (official["official_mode"] if official else "automated")
    run = _first(services.readmodels.query(CUSTOMS_RUNS, prefix=f"{key}#{chosen}"))
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {chosen} customs run for {key}")
    return ShownRun(chosen, run, official is not None and official.get("run_id") == run["run_id"])


def _first(docs: list[dict[str, Any]]) -> dict[str, Any] | None:
    return docs[0] if docs else None
