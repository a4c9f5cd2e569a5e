"""`ior up`: the whole local stack on this machine, until Ctrl-C."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from ior_tools.cli.common import console
from ior_tools.cli.status import render


def up(
    port: Annotated[
        int, typer.Option(help="Port of the local AWS (moto) on 127.0.0.1; 0 picks a free one.")
    ] = 4566,
    scheduler: Annotated[bool, typer.Option(help="Fire the declared schedules.")] = True,
) -> None:
    """Start the local AWS, provision the topology, start the workers, the event log and the scheduler."""
    from ior_tools.runtime.stack import LocalStack

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stack = LocalStack(port=port, run_scheduler=scheduler)
    with console.status("starting the local stack…"):
        stack.start()
    try:
        assert stack.state is not None
        render(stack.topology, stack.state)
        console.print(
            "\n[bold]ready.[/bold] In another terminal:\n"
            "  uv run ior status\n"
            "  uv run ior emit customs.run.requested.v1 --example\n"
            "Ctrl-C stops the stack."
        )
        stop.wait()
    finally:
        with console.status("stopping…"):
            stack.stop()
        console.print("stopped.")
