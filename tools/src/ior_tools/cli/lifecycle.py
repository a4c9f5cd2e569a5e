"""`ior down`: stop the local stack that `ior up` runs (restart a stage = `ior down`, then `ior up`)."""

from __future__ import annotations

import os
import signal
import time
from typing import Annotated

import typer

from ior_tools.cli.common import StackOption, console, err, running
from ior_tools.runtime.state import StackState, home


def down(
    stack: StackOption = "local",
    wait: Annotated[float, typer.Option(help="Seconds to wait for the stack to stop.")] = 30.0,
) -> None:
    """Ask the running `ior up` to stop (SIGTERM) and wait until it has."""
    state = running(stack)
    if state.pid == os.getpid():
        err.print("[red]the stack runs in this process; stop it where it was started[/red]")
        raise typer.Exit(2)
    try:
        os.kill(state.pid, signal.SIGTERM)
    except ProcessLookupError:
        # The process died without cleaning up: what it left says nothing true any more.
        StackState.remove(stack)
        console.print(f"stack {stack!r} was not running (process {state.pid} is gone); cleared its state")
        return
    state_file = home(stack) / "stack.json"
    deadline = time.monotonic() + wait
    while state_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if state_file.exists():
        err.print(f"[red]stack {stack!r} (process {state.pid}) did not stop within {wait:.0f}s[/red]")
        raise typer.Exit(1)
    console.print(f"stopped stack {stack!r} (process {state.pid}); start it again with `ior up`")
