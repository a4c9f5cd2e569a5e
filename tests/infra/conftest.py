"""The dev and prod stacks, each run once per session against the recording mocks."""

from __future__ import annotations

import pytest

from tests.infra.mocks import Recorder, run_stack


@pytest.fixture(scope="session")
def stacks() -> dict[str, Recorder]:
    return {stage: run_stack(stage) for stage in ("dev", "prod")}


@pytest.fixture(scope="session")
def dev(stacks: dict[str, Recorder]) -> Recorder:
    return stacks["dev"]


@pytest.fixture(scope="session")
def prod(stacks: dict[str, Recorder]) -> Recorder:
    return stacks["prod"]
