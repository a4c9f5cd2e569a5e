from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from ior_contracts.customs import CustomsRunRequested
from ior_tools.runtime.stack import LocalStack

from tests.support.probe import PROBE, WITNESS
from tests.support.stack import running_stack, stack_fixture, wait_for

__all__ = ["run_request", "wait_for"]


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(tmp_path_factory.mktemp("ior-home"), extra_services=(PROBE, WITNESS)) as running:
        yield running


def run_request(mode: str = "automated", reason: str = "runtime test") -> CustomsRunRequested:
    return CustomsRunRequested(
        business_date=date(2026, 3, 10), mode=mode, reason=reason, requested_by="tests"
    )
