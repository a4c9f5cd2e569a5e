"""The fault suite's reference: one fault-free run of a small slice of the sample company on the
local stack, shared by every scenario. On the same stack, once its outcome is read, the faults the
pipeline absorbs without touching its inputs are played: every event delivered twice, then the
run's window replayed from the event log to every stage. A stack per scenario module otherwise;
never two at once, since the services' consumers are process-wide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from ior_tools.ops.redelivery import Replayed, replay
from ior_tools.ops.target import resolve

from tests.faults.drive import (
    FAST_SAP,
    await_extracts,
    put_again,
    request_extracts,
    settle,
    small_company,
    upload_days,
)
from tests.faults.outcome import Outcome, read_outcome
from tests.support.stack import official_hts as require_official_hts
from tests.support.stack import running_stack, stack_fixture

SERVICES = ("ingestion", "etl", "customs", "compare", "api")


@dataclass(frozen=True)
class FaultFree:
    sample: Path
    days: list[date]
    outcome: Outcome
    redelivered: int  # events put on the bus a second time
    after_redelivery: Outcome
    replayed: list[Replayed]
    after_replay: Outcome


@pytest.fixture(scope="session")
def official_hts() -> Path:
    return require_official_hts()


@stack_fixture(scope="package")
def fault_free(tmp_path_factory: pytest.TempPathFactory, official_hts: Path) -> FaultFree:
    sample = tmp_path_factory.mktemp("fault-free")
    days = small_company(sample)
    with running_stack(tmp_path_factory.mktemp("ior-home"), env=FAST_SAP, sap_data=sample / "sap") as stack:
        landed = await_extracts(stack, request_extracts(stack))
        assert all(e["detail-type"] == "ingestion.extract.landed.v1" for e in landed.values()), landed
        upload_days(stack, sample, days)
        settle(stack)
        outcome = read_outcome(stack, days)
        history = stack.event_log.window()

        redelivered = put_again(stack, [e.event for e in history])
        settle(stack)
        after_redelivery = read_outcome(stack, days)

        since, until = history[0].occurred_at, history[-1].occurred_at + timedelta(microseconds=1)
        # As `ior replay --stage SERVICE` does it, as the operator role.
        target = resolve(stack.stage)
        replayed = [replay(target, service, since, until) for service in SERVICES]
        settle(stack)
        after_replay = read_outcome(stack, days)
    return FaultFree(sample, days, outcome, redelivered, after_redelivery, replayed, after_replay)


@pytest.fixture(scope="package")
def baseline(fault_free: FaultFree) -> Outcome:
    return fault_free.outcome
