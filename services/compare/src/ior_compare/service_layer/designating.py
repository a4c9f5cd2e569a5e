"""Announcing each date's official run whenever its lines or the gate change.

The designation is recomputed from the table (the latest runs, every gate change) and announced
only when it differs from the one last announced for the date; its event id names the cause (a
run or a change), so a later designation with equal content still supersedes an intermediate one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ior_contracts.consumer import Publish
from ior_contracts.cutover import OfficialRunDesignated
from ior_contracts.envelope import deterministic_event_id

from ior_compare.domain.designation import OfficialRun, designate_official_run
from ior_compare.domain.records import DayState
from ior_compare.ports import Deps
from ior_compare.service_layer.announcing import announce

# Concurrent writers of one date's designation retry this often before giving up (and retrying
# the whole message through the queue).
_ATTEMPTS = 5


class DesignationConflictError(RuntimeError):
    """The date's designation kept changing under this writer."""


def designate(
    business_date: date, *, cause: str, deps: Deps, publish: Publish, day: DayState | None = None
) -> OfficialRun:
    """The date's official run, announced if it changed. `day` is the date as just read, if the
    caller read it: the first attempt decides from it, a retry reads the date again."""
    for attempt in range(_ATTEMPTS):
        if attempt or day is None:
            day = deps.ledger.day(business_date)
        official = designate_official_run(
            business_date,
            changes=deps.gate.changes(),
            manual_run_id=day.manual.run_id if day.manual else None,
            automated_run_id=day.automated.run_id if day.automated else None,
        )
        stored = deps.gate.designation(business_date)
        if stored is not None and stored.official == official:
            return official
        event_id = deterministic_event_id(
            OfficialRunDesignated.DETAIL_TYPE,
            business_date.isoformat(),
            cause,
            official.state,
            official.official_mode,
            official.run_id or "-",
            "incomplete" if official.incomplete else "complete",
        )
        event = OfficialRunDesignated.model_validate(official.event_data())
        announce(deps, publish, event, event_id=event_id, business_date=business_date)
        if deps.gate.put_designation(official, cause=cause, version=stored.version + 1 if stored else 1):
            return official
    raise DesignationConflictError(f"the designation of {business_date} kept changing; try again")


def designate_all(dates: Iterable[date], *, cause: str, deps: Deps, publish: Publish) -> list[OfficialRun]:
    return [designate(day, cause=cause, deps=deps, publish=publish) for day in sorted(set(dates))]
