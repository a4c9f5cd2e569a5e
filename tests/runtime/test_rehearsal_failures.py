"""A resource the local cloud refuses fails the rehearsal, named, rather than leaving a stage
deployed without it."""

from __future__ import annotations

from typing import Any

import pytest
from ior_tools.rehearsal.cloud import LocalCloud, State
from ior_tools.rehearsal.deploy import SECRET_KEYS
from ior_tools.rehearsal.engine import RehearsalError, run_program
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION, Endpoint
from ior_tools.runtime.stack import local_sap_credentials, stack_config
from moto import mock_aws

from tests.support.deployed import ENVIRONMENT, STAGE

REFUSED = "aws:sqs/queue:Queue"
REASON = "QueueDeletedRecently: wait 60 seconds after deleting a queue"


class RefusingOneQueue(LocalCloud):
    """The local cloud, but the first queue the program declares is refused as AWS might refuse it."""

    refused: str | None = None

    def create(self, typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, State, bool]:
        if typ == REFUSED and self.refused is None:
            self.refused = name
            raise RuntimeError(REASON)
        return super().create(typ, name, inputs)


def test_a_resource_the_cloud_refuses_fails_the_deploy_and_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the program and a cloud that refuses one of its queues
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    config = stack_config(local_sap_credentials("http://127.0.0.1:1"), f"arn:aws:iam::{LOCAL_ACCOUNT}:root")
    with mock_aws():
        cloud = RefusingOneQueue(Endpoint(None).client, LOCAL_ACCOUNT, REGION)
        # WHEN the program is deployed
        with pytest.raises(RehearsalError) as refused:
            run_program(STAGE, config, cloud, set(SECRET_KEYS))
    # THEN the deploy fails with that queue named and the cloud's reason
    assert cloud.refused is not None
    assert refused.value.failures == [f"{REFUSED} {cloud.refused}: RuntimeError: {REASON}"]
