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
    # The designation and both modes' runs in one round trip: the mode shown depends on the first.
    found = services.readmodels.get_many(
        [(OFFICIAL_RUNS, key), (CUSTOMS_RUNS, f"{key}#automated"), (CUSTOMS_RUNS, f"{key}#manual")]
    )
    official = found.get((OFFICIAL_RUNS, key))
    chosen: RunMode = mode or (official["official_mode"] if official else "automated")
    run = found.get((CUSTOMS_RUNS, f"{key}#{chosen}"))
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {chosen} customs run for {key}")
    return ShownRun(chosen, run, official is not None and official.get("run_id") == run["run_id"])
