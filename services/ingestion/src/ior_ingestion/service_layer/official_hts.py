"""Which official HTS revision an extract of `USITC_HTS` lands, and the alert when a newer one waits.

The latest release in effect on the run's date lands, unless the stack pins another by name; a
stack given a fixed export location lands that file, whose revision is then only known when the
pin names it. After every attempt, landed or not, the newest release listed is held against the
newest landed: waiting longer than the stack allows is announced (`ingestion.hts_revision.overdue.v1`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ior_contracts.consumer import Publish
from ior_contracts.envelope import deterministic_event_id
from ior_contracts.ingestion import HtsRevisionOverdue

from ior_ingestion.domain.releases import Release, ReleaseError, latest, overdue, pinned, release_named
from ior_ingestion.ports import Deps, ReleaseNotListedError, StagedExtract

USITC_HTS = "USITC_HTS"


@dataclass(frozen=True)
class OfficialPlan:
    """Where the export comes from, the release it is (when known) and the newest one listed."""

    location: str
    target: Release | None
    newest: Release | None


def plan_official(deps: Deps, run_date: date) -> OfficialPlan:
    """The release to land; raises `ReleaseNotListedError` when the pinned one is not listed."""
    config = deps.config
    if config.usitc_location:
        named = release_named(config.usitc_release, run_date) if config.usitc_release else None
        return OfficialPlan(config.usitc_location, named, None)
    releases = deps.usitc.releases()
    newest = latest(releases, run_date)
    try:
        target = pinned(releases, config.usitc_release) if config.usitc_release else newest
    except ReleaseError as exc:
        raise ReleaseNotListedError(str(exc)) from None
    if target is None:
        raise ReleaseNotListedError(f"no HTS release in the USITC's list is in effect on {run_date}")
    return OfficialPlan(target.export_url(config.usitc_export_template), target, newest)


def fetch_official(plan: OfficialPlan, deps: Deps) -> StagedExtract:
    chunks, rows = deps.usitc.export(plan.location)
    return deps.staging.stage_bytes(chunks, rows, "json.gz")


def announce_overdue(newest: Release | None, run_date: date, deps: Deps, publish: Publish) -> None:
    """Say so when `newest` has waited longer than the stack allows without landing."""
    landed = deps.ledger.landed_release(USITC_HTS)
    threshold = deps.config.usitc_overdue_days
    late = overdue(newest, landed, run_date, threshold)
    if late is None:
        return
    event = HtsRevisionOverdue(
        landed_revision=landed.label if landed else None,
        latest_revision=late.release.label,
        latest_release=late.release.name,
        available_since=late.release.available_from,
        days_waiting=late.days_waiting,
        threshold_days=threshold,
        reason="pinned" if deps.config.usitc_release not in ("", late.release.name) else "not_landed",
    )
    # Once per release and day, however often the extract is asked for that day.
    publish(
        event, event_id=deterministic_event_id(event.DETAIL_TYPE, late.release.name, run_date.isoformat())
    )
