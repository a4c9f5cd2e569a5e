"""`ior upload`: the analysts' legacy CSVs into the manual path when SAP is down, as the dashboard's
upload does: every file checked first (a bundle over the API's direct limit only by name, as its
presigned upload, the ETL checking it in full), and only a clean bundle stored unchanged and announced
with `manual.upload.received.v1`; then the ETL's answer. A refused bundle lists every problem by file,
row and column, and nothing is stored."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from ior_contracts.bus import EventPublisher
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops.tap import Tap, caused_by
from ior_tools.uploads import KINDS, BundleRefusedError
from ior_tools.uploads import upload as store_and_announce

ANSWERS = ("etl.dataset.published.v1", "etl.dataset.held.v1", "etl.rows.quarantined.v1")


def upload(
    files: Annotated[list[Path], typer.Argument(help=f"Legacy CSVs: {', '.join(KINDS)}.", exists=True)],
    day: Annotated[str | None, typer.Option("--date", help="The business date of the invoice lines.")] = None,
    by: Annotated[str, typer.Option("--as", help="Who uploads, kept in the audit trail.")] = "ior-cli",
    wait: Annotated[float, typer.Option(help="Seconds to wait for the ETL's answers; 0 = don't.")] = 60.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Upload legacy CSVs for the manual path and show what the ETL made of them."""
    business_date = date.fromisoformat(day) if day else None
    found = target(stack, outputs)
    publisher = EventPublisher(found.client("events", operator=True), found.outputs["bus"])
    with Tap(found, list(ANSWERS)) as tap:
        try:
            done = store_and_announce(
                found.client("s3", operator=True), publisher, found.outputs["dataBucket"], files,
                by=by, day=business_date,
            )  # fmt: skip
        except BundleRefusedError as refused:
            problems = Table("file", "row", "column", "rule", "problem", title=f"Upload refused: {refused}")
            for p in refused.problems:
                row = "" if p.row is None else str(p.row)
                problems.add_row(p.file, row, p.column or "", p.rule, p.message)
            err.print(problems)
            raise typer.Exit(2) from None
        console.print(f"uploaded {len(files)} file(s) as {done.upload_id} (event {done.metadata.event_id})")
        if not done.checked:
            console.print(
                "over the API's direct limit: stored unchecked, as its presigned upload; the ETL checks it"
            )
        if wait <= 0:
            return
        cause = {done.metadata.event_id}
        deadline = time.monotonic() + wait
        # One answer per dataset the files feed; wait until they stop coming.
        while time.monotonic() < deadline:
            tap.drain()
            if caused_by(tap.seen, cause, ANSWERS) and tap.quiet_for(1.0):
                break
        answers = caused_by(tap.seen, cause, ANSWERS)
    if not answers:
        err.print(
            f"[yellow]no answer from the ETL within {wait:.0f}s "
            "(the same files uploaded before are not built again)[/yellow]"
        )
        raise typer.Exit(1)
    table = Table("dataset", "mode", "outcome", "detail", title="ETL")
    for a in answers:
        data = a["detail"]["data"]
        outcome = a["detail-type"].split(".")[2]
        detail = (
            data.get("version") or f"{data.get('rejected_rows')} of {data.get('total_rows')} rows rejected"
        )
        table.add_row(data["dataset"], data["mode"], outcome, str(detail))
    console.print(table)
