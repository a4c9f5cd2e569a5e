"""`ior down` stops the stack `ior up` runs in another process (restarting a stage locally is
`ior down`, then `ior up`), and clears what a dead stack left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from ior_tools.runtime.aws import free_port
from ior_tools.runtime.state import StackState

from tests.ops.conftest import ior
from tests.support.stack import environment, wait_for


def test_down_stops_a_running_up_and_it_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "IOR_HOME": str(tmp_path), "POWERTOOLS_LOG_LEVEL": "ERROR"}
    up = subprocess.Popen(
        [sys.executable, "-m", "ior_tools.cli.main", "up", "--port", "0", "--no-sample", "--no-run",
         "--no-scheduler", "--api-port", str(free_port())],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        state_file = tmp_path / "local" / "stack.json"
        wait_for(state_file.exists, timeout=60, what="the stack to start")
        with environment(IOR_HOME=str(tmp_path)):
            stopped = ior("down")
        assert stopped.exit_code == 0, stopped.output
        assert f"process {up.pid}" in stopped.output
        assert up.wait(timeout=30) == 0
        assert not state_file.exists()
        # AND what IAM let through is kept: every role that called AWS, none refused
        access = json.loads((tmp_path / "local" / "iam-access.json").read_text())
        assert access
        assert all(calls["denied"] == 0 for calls in access.values()), access
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()


def test_down_clears_the_state_of_a_stack_whose_process_is_gone(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with environment(IOR_HOME=str(tmp_path)):
        StackState("local", "http://127.0.0.1:1", gone.pid, time.strftime("%Y-%m-%dT%H:%M:%S")).write()
        cleared = ior("down")
    assert cleared.exit_code == 0, cleared.output
    assert "was not running" in cleared.output
    assert not (tmp_path / "local" / "stack.json").exists()


def test_down_without_a_stack_says_so(tmp_path: Path) -> None:
    with environment(IOR_HOME=str(tmp_path)):
        missing = ior("down")
    assert missing.exit_code == 2
    assert "no local stack is running" in missing.output
