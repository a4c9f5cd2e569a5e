from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from ior_contracts.customs import CustomsRunRequested
from ior_tools.runtime.stack import LocalStack

from tests.support.probe import PROBE, WITNESS

# What the stack exports for its in-process handlers; restored afterwards so other tests' moto
# mocks are not pointed at this server.
_EXPORTED = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "IOR_STAGE", "IOR_HOME",
             "IOR_AWS_MAX_ATTEMPTS", "POWERTOOLS_LOG_LEVEL")  # fmt: skip


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    saved = {k: os.environ.get(k) for k in _EXPORTED}
    os.environ["IOR_HOME"] = str(tmp_path_factory.mktemp("ior-home"))
    os.environ["IOR_AWS_MAX_ATTEMPTS"] = "1"
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    try:
        with LocalStack(port=0, extra_services=(PROBE, WITNESS), run_scheduler=False) as running:
            yield running
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def run_request(mode: str = "automated", reason: str = "runtime test") -> CustomsRunRequested:
    return CustomsRunRequested(
        business_date=date(2026, 3, 10), mode=mode, reason=reason, requested_by="tests"
    )
