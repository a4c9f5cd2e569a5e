"""Driving the local stack as an operator would: extracts asked of every source, the analysts'
CSVs uploaded per day (a bundle the upload check refuses is fixed as the analysts would, by taking
out the rows it names, and uploaded again), runs and cutovers asked for; then waiting until the
pipeline is quiet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.customs import CustomsRunRequested
from ior_contracts.cutover import CutoverChangeRequested
from ior_contracts.ingestion import ExtractRequested, FeeNoticesRequested
from ior_ingestion.domain.sources import SOURCES
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import Faults, generate
from ior_tools.uploads import BundleRefusedError, sample_bundle, upload

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


INVOICE_LINES = "Invoice_Lines.csv"


@dataclass(frozen=True)
class RefusedRow:
    """An invoice line the upload check refused, with the rule it broke; the analysts took it out."""

    day: date
    document: str
    item: int
    rule: str


def upload_days(stack: LocalStack, sample: Path, days: Iterable[date]) -> list[RefusedRow]:
    """The analysts' reference CSVs and each day's invoice lines, uploaded day by day; the rows the
    upload check refused (each day's bundle then uploaded without them)."""
    refused: list[RefusedRow] = []
    for day in days:
        bundle = sample_bundle(sample / "legacy", day)
        try:
            _upload(stack, bundle, day)
        except BundleRefusedError as refusal:
            fixed, rows = _without_refused_rows(bundle, refusal, sample / "fixed" / day.isoformat(), day)
            refused.extend(rows)
            _upload(stack, fixed, day)
    return refused


def _upload(stack: LocalStack, bundle: list[Path], day: date) -> None:
    upload(stack.client("s3"), stack.publisher(), stack.naming.data_bucket, bundle, by="fault-suite", day=day)


def _without_refused_rows(
    bundle: list[Path], refusal: BundleRefusedError, folder: Path, day: date
) -> tuple[list[Path], list[RefusedRow]]:
    """The bundle with the day's invoice lines less the rows the check named (a row is one CRLF line:
    the sample quotes no line break)."""
    if any(p.file != INVOICE_LINES or p.row is None for p in refusal.problems):
        raise refusal
    source = next(path for path in bundle if path.name == INVOICE_LINES)
    lines = source.read_bytes().split(b"\r\n")
    rules = {p.row: p.rule for p in refusal.problems if p.row is not None}
    rows = []
    for number, rule in sorted(rules.items()):
        (cells,) = csv.reader(io.StringIO(lines[number - 1].decode("utf-8")))
        rows.append(RefusedRow(day, cells[0], int(cells[1]), rule))
    folder.mkdir(parents=True, exist_ok=True)
    fixed = folder / INVOICE_LINES
    fixed.write_bytes(b"\r\n".join(line for i, line in enumerate(lines, start=1) if i not in rules))
    return [fixed if path == source else path for path in bundle], rows


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
