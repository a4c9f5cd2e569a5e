"""`ior up`: the whole local stack on this machine, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from ior_api.entrypoints.operations import UserOperations

from ior_tools.cli.common import console
from ior_tools.cli.pipeline import run_sample
from ior_tools.cli.status import render
from ior_tools.ops.target import Target, resolve
from ior_tools.runtime.api_server import BUILD_HINT, ApiServer
from ior_tools.runtime.stack import LocalStack
from ior_tools.runtime.state import home


def local_admin(stack: Target) -> str:
    """An admin for this run of the local stack, with a fresh password (nothing kept, nothing in the repo)."""
    return UserOperations(lambda name: stack.client(name, operator=True), stack.table("api")).first_admin()


def up(
    port: Annotated[
        int, typer.Option(help="Port of the local AWS (moto) on 127.0.0.1; 0 picks a free one.")
    ] = 4566,
    scheduler: Annotated[bool, typer.Option(help="Fire the declared schedules.")] = True,
    sample: Annotated[bool, typer.Option(help="Serve the sample company from the mock SAP.")] = True,
    run: Annotated[
        bool, typer.Option(help="Run the pipeline for the sample company once the stack is up.")
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed of the sample company.")] = 7,
    lines_per_day: Annotated[
        int | None,
        typer.Option(
            help="Billing lines a day of the sample company (up to a million); default a few hundred."
        ),
    ] = None,
    api_port: Annotated[int, typer.Option(help="Port of the API on 127.0.0.1.")] = 8000,
) -> None:
    """Start the local AWS, the mock SAP, provision the topology, start the workers, the event log
    and the scheduler."""
    from ior_tools.sample import generate

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sap_data: Path | None = None
    sample_dir: Path | None = None
    if sample:
        sample_dir = home("local") / "sample"
        size = f", {lines_per_day:,} lines a day" if lines_per_day else ""
        with console.status(f"generating the sample company (seed {seed}{size})…"):
            generate(sample_dir, seed=seed, lines_per_day=lines_per_day)
        sap_data = sample_dir / "sap"
    # The services' own structured logs go to stderr at WARNING unless asked for more.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    stack = LocalStack(port=port, run_scheduler=scheduler, sap_data=sap_data)
    api = ApiServer(api_port, stack=stack)
    with console.status("deploying the program into the local cloud and starting the stack…"):
        stack.start()
        api_url = api.start()
        operated = resolve(stack.stage)
        login = local_admin(operated)
    try:
        render(operated)
        console.print(
            f"rehearsal report: {stack.report_path} (what the local cloud holds, what it only records)"
        )
        if sample_dir is not None and run:
            console.print("\n[bold]running the pipeline for the sample company[/bold]")
            run_sample(operated, sample_dir)
        dashboard = f"{api_url}/" if api.dashboard else f"not built; build it with {BUILD_HINT}"
        console.print(
            f"\n[bold]ready.[/bold] API: {api_url}/api/health (OpenAPI at {api_url}/api/openapi.json)\n"
            f"dashboard: {dashboard}\n"
            f"log in as [bold]admin[/bold] with password [bold]{login}[/bold] "
            "(made for this run; add users with `uv run ior users add NAME --role operator`)\n"
            "In another terminal:\n"
            "  uv run ior status\n"
            "  uv run ior ingest                       # every source, from its watermark\n"
            "  uv run ior emit customs.run.requested.v1 --example\n"
            "Ctrl-C stops the stack."
        )
        stop.wait()
    finally:
        with console.status("stopping…"):
            if api is not None:
                api.stop()
            stack.stop()
        console.print(f"stopped. Every role's AWS calls, allowed and denied: {stack.access_path}")
