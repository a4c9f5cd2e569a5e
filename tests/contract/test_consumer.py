"""The consumer hands a message to its route only when the message is what its contract says, from
the service that owns the contract."""

from __future__ import annotations

import json

import pytest
from ior_contracts.consumer import Consumer, InvalidEventError, UnroutableEventError
from ior_contracts.customs import CustomsRunRequested
from ior_contracts.envelope import Metadata
from ior_contracts.examples import all_examples


def run_requested(message: CustomsRunRequested, /, *, cause: Metadata, deps: None, publish: object) -> None:
    """A handler of the one signature (unused: only the parse is under test)."""


CONSUMER: Consumer[None] = Consumer("probe", bootstrap=lambda _settings: None)
CONSUMER.route(CustomsRunRequested, run_requested)
EXAMPLE = all_examples()[CustomsRunRequested.DETAIL_TYPE]


def test_a_contract_from_its_owner_is_parsed_into_its_model() -> None:
    route, envelope = CONSUMER.parse(json.dumps(EXAMPLE))
    assert route.name == "run_requested"
    assert isinstance(envelope.data, CustomsRunRequested)


def test_a_contract_from_another_source_is_refused() -> None:
    forged = {**EXAMPLE, "source": "ior.etl"}
    with pytest.raises(InvalidEventError, match=r"comes from ior\.api, not 'ior\.etl'"):
        CONSUMER.parse(json.dumps(forged))


def test_a_contract_without_a_route_or_not_an_event_at_all_is_refused() -> None:
    with pytest.raises(UnroutableEventError):
        CONSUMER.parse(json.dumps({**EXAMPLE, "detail-type": "customs.lines.generated.v1"}))
    with pytest.raises(InvalidEventError, match="not an EventBridge event"):
        CONSUMER.parse(json.dumps({"detail": {}}))
