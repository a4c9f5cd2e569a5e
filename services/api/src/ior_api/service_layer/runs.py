"""A date's customs run as the dashboard shows it: the official mode unless one is asked for, its
read-model record, and its lines through their claim checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ior_api.domain.readmodels import CUSTOMS_RUNS, OFFICIAL_RUNS
from ior_api.ports import RunLines, Services

RunMode = Literal["automated", "manual"]


class RunNotFoundError(LookupError):
    """No customs run of that date in that mode."""


@dataclass(frozen=True)
class ShownRun:
    mode: RunMode
    record: dict[str, Any]
    official: bool


def shown_run(services: Services, day: date, mode: RunMode | None) -> ShownRun:
    """The run of `day` in `mode` (default: the date's official mode, else automated)."""
    key = day.isoformat()
    # The designation and both modes' runs in one round trip: the mode shown depends on the first.
    found = services.readmodels.get_many(
        [(OFFICIAL_RUNS, key), (CUSTOMS_RUNS, f"{key}#automated"), (CUSTOMS_RUNS, f"{key}#manual")]
    )
    official = found.get((OFFICIAL_RUNS, key))
    chosen: RunMode = mode or (official["official_mode"] if official else "automated")
    run = found.get((CUSTOMS_RUNS, f"{key}#{chosen}"))
    if run is None:
        raise RunNotFoundError(f"no {chosen} customs run for {key}")
    return ShownRun(chosen, run, official is not None and official.get("run_id") == run["run_id"])


def run_lines(services: Services, run: ShownRun) -> RunLines:
    """The run's lines. `ClaimCheckError` when an object is not the one its event announced."""
    return services.lines.open(run.record)
