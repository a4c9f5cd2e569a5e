"""What the customs service does with each message: keep the dataset and fee-table versions it is
told of, and run the dates whose inputs changed. Dependencies come in by name; no AWS client is
created here. Events go out through `publish`, so a test collects them without a bus."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, get_args

from ior_contracts.customs import CustomsRunRequested
from ior_contracts.datasets import FEE_TABLE
from ior_contracts.envelope import Metadata
from ior_contracts.etl import DatasetHeld, DatasetPublished, FeeTablePublished
from ior_contracts.vocabulary import Mode

from ior_customs.domain import FeeTable
from ior_customs.ports import DatasetVersion, Deps, HeldDataset, SnapshotError, Trigger, stamp
from ior_customs.service_layer.loading import FEES_MODE, load_fee_table
from ior_customs.service_layer.runs import RunOutcome, execute

if TYPE_CHECKING:
    from ior_contracts.consumer import Publish

TRANSACTIONS = "transactions"
MODES: tuple[Mode, ...] = get_args(Mode)


def dataset_published(
    event: DatasetPublished, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """Keep the version; run the dates of a transactions version, or, for any other dataset, every
    date: each reads the dataset's current version. An open date (or one never run) gets new official
    lines; a closed date keeps its own and the run is a correction candidate, proposed with an alert
    when a reported figure would change (DOMAIN §4, closed dates). Nothing here names a dataset but
    transactions, so a new reference dataset (fees) is covered as it is published."""
    listed = None if event.business_dates is None else tuple(sorted(set(event.business_dates)))
    deps.catalogue.record_published(
        DatasetVersion(
            dataset=event.dataset,
            mode=event.mode,
            version=event.version,
            snapshot=event.snapshot,
            published_at=stamp(cause.occurred_at),
            business_dates=listed,
        )
    )
    days: Iterable[date] = (
        (listed or ()) if event.dataset == TRANSACTIONS else deps.catalogue.dates(event.mode, date.min)
    )
    reason = f"{event.dataset} version {event.version} published"
    return _run_each(days, event.mode, Trigger(cause.event_id, event.DETAIL_TYPE, reason), deps, publish)


def dataset_held(event: DatasetHeld, *, cause: Metadata, deps: Deps, publish: Publish) -> None:
    """Remember the hold: runs keep the last good version and report the fallback. Nothing is
    announced; `publish` is there because every handler has the one signature."""
    detail = (
        f"{event.rejected_rows} of {event.total_rows} rows rejected (rate {event.reject_rate} over "
        f"{event.threshold}), most by {event.rule}"
    )
    deps.catalogue.record_held(
        HeldDataset(event.dataset, event.mode, event.run_id, stamp(cause.occurred_at), detail)
    )


def fee_table_published(
    event: FeeTablePublished, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """Keep the version; in both modes, run every date whose MPF or HMF row changed and every date
    without a run yet. A closed date with official lines gets a correction candidate (a formal
    entry flagged `fee_rate_missing` now charged, say); an open one is run again."""
    previous = deps.catalogue.current(FEE_TABLE.name, FEES_MODE)
    new = DatasetVersion(FEE_TABLE.name, FEES_MODE, event.version, event.snapshot, stamp(cause.occurred_at))
    deps.catalogue.record_published(new)
    if previous is not None and previous.version == event.version:
        return []
    before, after = _fee_table(previous, deps), _fee_table(new, deps)
    reason = f"fee table version {event.version} published"
    trigger = Trigger(cause.event_id, event.DETAIL_TYPE, reason)
    outcomes = []
    for mode in MODES:
        days = [
            d
            for d in deps.catalogue.dates(mode, date.min)
            if after is None
            or before is None
            or before.in_force(d) != after.in_force(d)
            or deps.ledger.current(mode, d) is None
        ]
        outcomes += _run_each(days, mode, trigger, deps, publish)
    return outcomes


def _fee_table(version: DatasetVersion | None, deps: Deps) -> FeeTable | None:
    """The table of `version`, or None when there is none or it cannot be read (every date is then
    tried, and each run says why it waits)."""
    if version is None:
        return None
    try:
        return load_fee_table(version, deps.snapshots)
    except SnapshotError:
        return None


def run_requested(
    command: CustomsRunRequested, *, cause: Metadata, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    reason = f"asked by {command.requested_by}: {command.reason}"
    trigger = Trigger(cause.event_id, command.DETAIL_TYPE, reason)
    return _run_each([command.business_date], command.mode, trigger, deps, publish)


def _run_each(
    days: Iterable[date], mode: str, trigger: Trigger, deps: Deps, publish: Publish
) -> list[RunOutcome]:
    """Every date is run; one the processor refuses ends as `failed` and does not stop the others. An
    error of the world (a bucket, the table) fails the message, so SQS retries it and the dates
    already run are then found done."""
    return [execute(day, mode, trigger, deps, publish) for day in days]
