"""The program's stage deployed into moto in process (no server, no workers, no IAM enforcement),
for tests that call a service's handlers directly against the resources the program declares.

Deploying takes seconds, so a test package deploys once and each test starts from emptied tables,
buckets and queues (`Deployed.empty`): the resources stay the program's, only their data goes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from ior_contracts.topology import Naming, Topology
from ior_tools.rehearsal.deploy import rehearse
from ior_tools.rehearsal.deployment import Deployment
from ior_tools.runtime.aws import LOCAL_ACCOUNT, REGION, Endpoint
from ior_tools.runtime.eventlog import attach_event_log
from ior_tools.runtime.stack import local_sap_credentials, stack_config
from moto import mock_aws

from tests.support.bus import drain

STAGE = "local"
NAMING = Naming(STAGE, LOCAL_ACCOUNT)
ENVIRONMENT = {
    "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing", "IOR_STAGE": STAGE, "IOR_BUCKET_SUFFIX": NAMING.bucket_suffix,
    "IOR_AWS_MAX_ATTEMPTS": "1", "POWERTOOLS_LOG_LEVEL": "ERROR",
}  # fmt: skip


@dataclass(frozen=True)
class Deployed:
    endpoint: Endpoint
    deployment: Deployment
    # Every event put on the bus lands here too (the local event log's route).
    event_log_queue_url: str

    def client(self, name: str) -> Any:
        return self.endpoint.client(name)

    @property
    def outputs(self) -> dict[str, Any]:
        return self.deployment.outputs

    def empty(self) -> None:
        """Every table, bucket and queue of the stage emptied; the resources themselves kept."""
        dynamodb, s3, sqs = self.client("dynamodb"), self.client("s3"), self.client("sqs")
        for table in self.outputs["tables"].values():
            _empty_table(dynamodb, table)
        for bucket in (self.outputs[k] for k in ("dataBucket", "auditBucket", "frontendBucket")):
            _empty_bucket(s3, bucket)
        queues = [self.event_log_queue_url]
        for route in self.deployment.routes.values():
            queues += [route.queue.url, route.queue.dlq_url]
        for url in queues:
            drain(sqs, url)  # SQS allows one purge a minute per queue


def _empty_table(dynamodb: Any, table: str) -> None:
    keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
    for page in dynamodb.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression=", ".join(keys)
    ):
        for item in page["Items"]:
            dynamodb.delete_item(TableName=table, Key=item)


def _empty_bucket(s3: Any, bucket: str) -> None:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            # The audit bucket's GOVERNANCE lock yields to an administrator's bypass, as in AWS.
            s3.delete_object(
                Bucket=bucket,
                Key=version["Key"],
                VersionId=version["VersionId"],
                BypassGovernanceRetention=True,
            )


@contextmanager
def deployed_in_process(topology: Topology | None = None) -> Iterator[Deployed]:
    """The stage deployed into an in-process moto, with the environment its functions would see."""
    with pytest.MonkeyPatch.context() as env, mock_aws():
        env.delenv("AWS_ENDPOINT_URL", raising=False)
        for name, value in ENVIRONMENT.items():
            env.setenv(name, value)
        endpoint = Endpoint(None)
        config = stack_config(
            local_sap_credentials("http://127.0.0.1:1"), f"arn:aws:iam::{LOCAL_ACCOUNT}:root"
        )
        deployment = rehearse(
            endpoint.client,
            account=LOCAL_ACCOUNT,
            region=REGION,
            stage=STAGE,
            config=config,
            topology=topology,
        )
        log = attach_event_log(endpoint.client("events"), endpoint.client("sqs"), NAMING.bus, STAGE)
        yield Deployed(endpoint, deployment, log)
