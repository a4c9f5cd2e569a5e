"""Driving the local stack as an operator would: extracts asked of every source, the analysts'
CSVs uploaded per day, runs and cutovers asked for; then waiting until the pipeline is quiet."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.customs import CustomsRunRequested
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.ingestion import ExtractRequested, FeeNoticesRequested
from ior_ingestion.domain.sources import SOURCES
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import Faults, generate
from ior_tools.uploads import sample_bundle, upload

from tests.support.stack import fast_sap, wait_for

SEED = 7
DAYS = 2
# Enough lines a day that one malformed row stays under the 1 % reject rate that holds a dataset.
LINES_PER_DAY = 110
OUTCOMES = ("ingestion.extract.landed.v1", "ingestion.extract.failed.v1")
FEES_LANDED = "ingestion.fee_notices.landed.v1"
STATE_CHANGED = "cutover.state.changed.v1"

FAST_SAP = fast_sap()


def small_company(out: Path, faults: Faults | None = None) -> list[date]:
    """The sample company over a few short days; its business dates."""
    manifest = generate(
        out,
        seed=SEED,
        days=DAYS,
        lines_per_day=LINES_PER_DAY,
        faults=faults or Faults(),
        fiscal_year_boundary=False,
    )
    return list(manifest.business_dates)


def request_extracts(stack: LocalStack, sources: Iterable[str] | None = None) -> list[str]:
    """Every source (or `sources`) asked for from its watermark, as the schedules do; the request ids.
    The fee notices land first, as their daily schedule would have: customs needs the fee table."""
    names = list(sources) if sources is not None else [s.name for s in SOURCES]
    publisher = stack.publisher()
    fees = publisher.publish(FeeNoticesRequested(trigger="cli")).event_id
    wait_for(lambda: bool(stack.event_log.caused_by([fees], (FEES_LANDED,))), 60, "the fee notices")
    return [publisher.publish(ExtractRequested(source=n, trigger="cli")).event_id for n in names]


def await_extracts(stack: LocalStack, requests: list[str], timeout: float = 60) -> dict[str, dict[str, Any]]:
    """The landed or failed event answering each request, by source."""
    found: dict[str, dict[str, Any]] = {}

    def answered() -> bool:
        for logged in stack.event_log.caused_by(requests, OUTCOMES):
            found[logged.event["detail"]["data"]["source"]] = logged.event
        return len(found) == len(requests)

    wait_for(answered, timeout, "every extract's outcome")
    return found


def upload_days(stack: LocalStack, sample: Path, days: Iterable[date]) -> None:
    """The analysts' reference CSVs and each day's invoice lines, uploaded day by day."""
    for day in days:
        bundle = sample_bundle(sample / "legacy", day)
        upload(
            stack.client("s3"), stack.publisher(), stack.naming.data_bucket, bundle, by="fault-suite", day=day
        )


def ask_run(stack: LocalStack, day: date, mode: str, reason: str) -> str:
    request = CustomsRunRequested(business_date=day, mode=mode, reason=reason, requested_by="fault-suite")
    return stack.publisher().publish(request, business_date=day).event_id


def cut_over(stack: LocalStack, effective: date) -> None:
    """Cut over from `effective` on (forced: the sample's days do not pass parity by design)."""
    request = CutoverChangeRequested(
        action="cutover",
        effective_date=effective,
        reason="fault suite: the automated lines become official",
        force=True,
        requested_by="fault-suite",
        request_id=f"fault-suite-{effective.isoformat()}",
    )
    stack.publisher().publish(request)
    wait_for(
        lambda: any(e.detail_type == STATE_CHANGED for e in stack.event_log.last(50)),
        15,
        "the cutover to be applied",
    )


def settle(stack: LocalStack, timeout: float = 90) -> None:
    """Until every queue has been empty, with nothing in flight, for a second."""
    stack.wait_idle(timeout=timeout, settle=1.0)


def put_again(stack: LocalStack, events: list[dict[str, Any]]) -> int:
    """Each event put on the bus once more, unchanged (same envelope, same event id)."""
    client = stack.client("events")
    entries = [
        {
            "Source": e["source"],
            "DetailType": e["detail-type"],
            "Detail": json.dumps(e["detail"]),
            "EventBusName": stack.naming.bus,
        }
        for e in events
    ]
    for start in range(0, len(entries), 10):
        answer = client.put_events(Entries=entries[start : start + 10])
        assert answer["FailedEntryCount"] == 0, answer
    return len(entries)
