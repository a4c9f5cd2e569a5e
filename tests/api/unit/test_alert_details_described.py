"""Every alert's details are described by the OpenAPI's `AlertDetails`: a detail the model does not
name would be dropped from `GET /api/alerts` without a word."""

from __future__ import annotations

import json

import pytest
from ior_api.declarations import PROJECTED
from ior_api.domain.alerting import Alert
from ior_api.domain.projections import alert_for
from ior_api.entrypoints.projections import consumer
from ior_api.entrypoints.web.schemas import AlertDetails
from ior_contracts import examples


def example_alert(detail_type: str) -> Alert | None:
    return alert_for(consumer.parse(json.dumps(examples.load(detail_type)))[1].data)


ALERTING = [m.DETAIL_TYPE for m in PROJECTED if example_alert(m.DETAIL_TYPE) is not None]


@pytest.mark.parametrize("detail_type", ALERTING)
def test_an_alerts_details_survive_its_response_model(detail_type: str) -> None:
    # GIVEN the contract's example event, WHEN it becomes an alert
    alert = example_alert(detail_type)
    assert alert is not None
    # THEN its details read back through the response model are the same
    described = AlertDetails.model_validate(alert.details).model_dump(mode="json", exclude_none=True)
    assert described == json.loads(json.dumps(alert.details))
