"""Running the sample company through the whole pipeline of a stack: the SAP extracts (automated path),
the analysts' CSVs per day (manual path), then waiting for each day's comparison."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.bus import EventPublisher
from rich.table import Table

from ior_tools.cli.common import console
from ior_tools.cli.ingest import request_and_report
from ior_tools.ops.extracts import SOURCE_NAMES
from ior_tools.ops.tap import Tap
from ior_tools.ops.target import Target
from ior_tools.uploads import sample_bundle, upload

COMPLETED = "compare.comparison.completed.v1"


def business_dates(sample: Path) -> list[date]:
    manifest = json.loads((sample / "manifest.json").read_text())
    return [date.fromisoformat(d) for d in manifest["business_dates"]]


def run_sample(stack: Target, sample: Path, wait: float = 300) -> bool:
    """Both paths for every business date of the sample; whether every day was compared."""
    started = time.monotonic()
    with Tap(stack) as tap:
        landed = request_and_report(stack, list(SOURCE_NAMES), None, wait)
        days = business_dates(sample)
        publisher = EventPublisher(stack.client("events", operator=True), stack.outputs["bus"])
        s3, bucket = stack.client("s3", operator=True), stack.outputs["dataBucket"]
        for day in days:
            upload(s3, publisher, bucket, sample_bundle(sample / "legacy", day), by="sample-run", day=day)
        console.print(f"uploaded the analysts' CSVs for {len(days)} day(s)")
        results = await_comparisons(tap, days, max(1.0, wait - (time.monotonic() - started)))
    table = Table(
        "business date", "outcome", "lines match/mismatch/missing/extra", "report", title="comparisons"
    )
    for day in days:
        data = results.get(day)
        if data is None:
            table.add_row(day.isoformat(), "[yellow]no comparison yet[/yellow]", "", "")
            continue
        counts = data["counts"]["lines"]
        summary = f"{counts['match']}/{counts['mismatch']}/{counts['missing']}/{counts['extra']}"
        outcome = "[green]passed[/green]" if data["passed"] else "[red]failed[/red]"
        table.add_row(day.isoformat(), outcome, summary, data["report_html_uri"])
    console.print(table)
    console.print(f"pipeline for the sample company: {time.monotonic() - started:.1f} s")
    return landed and len(results) == len(days)


def await_comparisons(tap: Tap, days: list[date], timeout: float) -> dict[date, dict[str, Any]]:
    """The latest comparison of each day that compares both modes' runs, once the bus is quiet (a
    later run of a day may still replace its comparison)."""
    deadline = time.monotonic() + timeout
    found: dict[date, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        for event in tap.drain():
            if event["detail-type"] != COMPLETED:
                continue
            data = event["detail"]["data"]
            day = date.fromisoformat(data["business_date"])
            if day in days and data.get("expected_run_id") and data.get("actual_run_id"):
                found[day] = data
        if len(found) == len(days) and tap.quiet_for(2.0):
            break
    return found
