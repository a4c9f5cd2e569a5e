"""The compare service on the real local stack: moto's server, the provisioned topology, a worker
per subscription and the event log, as `ior up` runs them (required streak: 2 business days)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from ior_contracts.envelope import Metadata
from ior_tools.runtime.stack import LocalStack

from tests.compare.documents import document, lines_generated, put_document
from tests.support.stack import running_stack, stack_fixture, wait_for

REQUIRED_STREAK = 2


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    env = {"IOR_COMPARE_REQUIRED_STREAK": str(REQUIRED_STREAK)}
    with running_stack(tmp_path_factory.mktemp("ior-home"), env=env) as running:
        yield running


def publish_run(
    stack: LocalStack, business_date: date, mode: str, doc: dict[str, Any] | None = None
) -> Metadata:
    """Store a run's lines in the customs prefix and announce them as the customs service would."""
    claims = put_document(stack.client("s3"), doc or document(business_date), mode, stack.naming.data_bucket)
    event = lines_generated(business_date, mode, claims)
    return stack.publisher().publish(event, business_date=business_date)


def answer_to(stack: LocalStack, causes: list[str], detail_type: str, timeout: float = 20) -> dict[str, Any]:
    """The first event of `detail_type` caused by one of `causes`."""
    found: list[dict[str, Any]] = []

    def arrived() -> bool:
        found[:] = [logged.event for logged in stack.event_log.caused_by(causes, (detail_type,))]
        return bool(found)

    wait_for(arrived, timeout, f"{detail_type} answering {causes}")
    return found[0]
