"""A local stack for a test module or package, with the environment it exports restored after,
so other tests' in-process moto mocks are never pointed at its server."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from ior_tools.paths import OFFICIAL_HTS
from ior_tools.runtime.stack import LocalStack

F = TypeVar("F", bound=Callable[..., Any])

# The fixtures that start a local stack; `tests/conftest.py` marks every test using one `stack`.
STACK_FIXTURES: set[str] = set()


def stack_fixture(*, scope: str) -> Callable[[F], F]:
    """A fixture that starts a local stack. Every test that uses it, directly or through another
    fixture, gets the `stack` marker, so `make test-fast` (`-m "not stack"`) leaves it out."""

    def register(fn: F) -> F:
        STACK_FIXTURES.add(fn.__name__)
        return pytest.fixture(scope=scope)(fn)  # type: ignore[call-overload, no-any-return]

    return register


def _started_by_a_stack_fixture() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name in STACK_FIXTURES:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


EXPORTED = (
    "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION",
    "IOR_STAGE", "IOR_HOME", "IOR_AWS_MAX_ATTEMPTS", "POWERTOOLS_LOG_LEVEL", "IOR_BUCKET_SUFFIX",
    "AWS_REQUEST_CHECKSUM_CALCULATION", "IOR_ORIGIN_SECRET",
)  # fmt: skip


def official_hts() -> Path:
    """The official HTS export beside the repository (the shared reference data); skips without it."""
    if not OFFICIAL_HTS.exists():
        pytest.skip(f"the official HTS export is not beside the repository ({OFFICIAL_HTS})")
    return OFFICIAL_HTS


@contextmanager
def sample_company_stack(home: Path, sample: Path, env: dict[str, str]) -> Iterator[LocalStack]:
    """A local stack whose mock SAP serves a generated sample company (`sample`)."""
    official_hts()
    with running_stack(home, env=env, sap_data=sample / "sap") as stack:
        yield stack


def fast_sap(attempts: int = 3, retry_budget_s: float = 20) -> dict[str, str]:
    """A patient but quick SAP client for tests: few attempts, short backoff, a one-second read
    timeout. (The stack serves the official HTS export from its mock USITC.)"""
    return {
        "IOR_INGESTION_SAP_ATTEMPTS": str(attempts),
        "IOR_INGESTION_SAP_WAIT_INITIAL_S": "0.05",
        "IOR_INGESTION_SAP_WAIT_MAX_S": "0.2",
        "IOR_INGESTION_SAP_RETRY_BUDGET_S": str(retry_budget_s),
        "IOR_INGESTION_SAP_READ_TIMEOUT_S": "1.0",
    }


@contextmanager
def environment(**values: str) -> Iterator[None]:
    keys = set(EXPORTED) | set(values)
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def running_stack(home: Path, env: dict[str, str] | None = None, **kwargs: Any) -> Iterator[LocalStack]:
    if not _started_by_a_stack_fixture():
        raise RuntimeError("start a local stack from a @stack_fixture, so its tests are marked `stack`")
    settings = {
        "IOR_HOME": str(home),
        "IOR_AWS_MAX_ATTEMPTS": "1",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        **(env or {}),
    }
    with environment(**settings), LocalStack(port=0, run_scheduler=False, **kwargs) as stack:
        yield stack


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
