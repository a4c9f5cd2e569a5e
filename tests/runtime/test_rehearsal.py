"""The local stack is the program deployed: its workers are exactly the program's functions and event
source mappings, its scheduler fires exactly the program's schedules, its outputs are the
program's, what moto cannot hold is reported with the reason, and every call a function makes is
checked against its own role's policy."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from ior_tools.rehearsal.cloud import WHY_RECORDED
from ior_tools.rehearsal.deployment import FUNCTION, MAPPING, SCHEDULE
from ior_tools.runtime.stack import OUTPUTS, LocalStack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _declared(stack: LocalStack, typ: str) -> list[Any]:
    assert stack.deployment is not None
    return stack.deployment.declared.of(typ)


def test_each_worker_is_a_declared_event_source_mapping_and_its_function(stack: LocalStack) -> None:
    functions = {f.state["arn"]: f for f in _declared(stack, FUNCTION)}
    mappings = _declared(stack, MAPPING)
    assert len(mappings) == len(stack.workers) > 0
    for mapping in mappings:
        function = functions[mapping.inputs["functionName"]]
        [worker] = [w for w in stack.workers.values() if w.route.function.name == function.state["name"]]
        route = worker.route
        assert route.queue.arn == mapping.inputs["eventSourceArn"]
        assert route.batch_size == mapping.inputs["batchSize"]
        assert route.reports_item_failures == (
            "ReportBatchItemFailures" in mapping.inputs["functionResponseTypes"]
        )
        assert route.function.handler == function.inputs["handler"]
        assert route.function.timeout_s == function.inputs["timeout"]
        assert route.function.role_arn == function.inputs["role"]
        # The handler runs in the function's environment, with its role's credentials added.
        declared = function.inputs["environment"]["variables"]
        assert {k: worker.environment[k] for k in declared} == declared
        assert worker.environment["AWS_SESSION_TOKEN"]
        # The queue as the subscription declares it.
        [subscription] = [sub for _, sub in stack.topology.subscriptions if sub.name == route.subscription]
        assert route.queue.visibility_timeout_s == subscription.visibility_timeout_s
        assert route.queue.max_receive_count == subscription.max_receive_count


def test_the_scheduler_fires_exactly_the_declared_schedules(stack: LocalStack) -> None:
    declared = {s.state["name"]: s.inputs["scheduleExpression"] for s in _declared(stack, SCHEDULE)}
    assert stack.scheduler is not None
    assert {name: s.expression for name, s in stack.scheduler.schedules.items()} == declared
    assert declared  # the ingestion extracts, at least


def test_the_outputs_and_the_report_are_written_beside_the_stack(stack: LocalStack) -> None:
    assert stack.deployment is not None
    outputs = json.loads(stack.report_path.with_name(OUTPUTS).read_text())
    assert outputs == stack.deployment.outputs
    assert set(outputs["queues"]) == set(stack.workers)
    report = json.loads(stack.report_path.read_text())
    recorded = {(r["type"], r["name"]) for r in report["recorded"]}
    # Everything the program declared is either held by moto or recorded with why it is not.
    for resource in stack.deployment.declared.resources:
        if resource.typ.startswith("aws:"):
            assert resource.held or (resource.typ, resource.name) in recorded, resource.typ
    assert all(r["why"] == WHY_RECORDED[r["type"]] for r in report["recorded"])
    assert {"aws:cloudfront/distribution:Distribution", MAPPING} <= {r["type"] for r in report["recorded"]}


def test_a_function_is_refused_what_its_role_does_not_grant(stack: LocalStack) -> None:
    # GIVEN the probe's role, which owns a table and nothing else
    worker = stack.workers["probe-runs"]
    environment = worker.environment
    session = {
        "aws_access_key_id": environment["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": environment["AWS_SECRET_ACCESS_KEY"],
        "aws_session_token": environment["AWS_SESSION_TOKEN"],
    }

    def as_probe(name: str) -> Any:
        return boto3.client(name, endpoint_url=stack.endpoint.url, region_name="us-east-1", **session)

    # THEN another service's prefix, a secret and the bus are refused to it
    refusals = {
        "s3:PutObject": lambda: as_probe("s3").put_object(
            Bucket=stack.naming.data_bucket, Key="customs/published/forged.json", Body=b"{}"
        ),
        "secretsmanager:GetSecretValue": lambda: as_probe("secretsmanager").get_secret_value(
            SecretId=stack.naming.secret("sap")
        ),
        "sqs:ReceiveMessage": lambda: as_probe("sqs").receive_message(
            QueueUrl=stack.routes["customs-runs"].queue.url, WaitTimeSeconds=0
        ),
    }
    for action, call in refusals.items():
        with pytest.raises(ClientError) as refused:
            call()
        error = refused.value.response["Error"]
        assert "AccessDenied" in error.get("Code", "") + error.get("Message", ""), action
    # AND what its own subscription needs is allowed
    as_probe("sqs").get_queue_attributes(QueueUrl=worker.route.queue.url, AttributeNames=["All"])
    # AND the ledger counted the refusals against the probe's role
    assert stack.access.figures()[worker.route.function.role_arn]["denied"] >= len(refusals)


def test_the_api_function_reads_every_subscriptions_depths_as_its_role(stack: LocalStack) -> None:
    # GIVEN the HTTP function's credentials, as the pipeline page uses them
    environment = stack.function_environment(stack.http_function)
    sqs = boto3.client(
        "sqs",
        endpoint_url=stack.endpoint.url,
        region_name="us-east-1",
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=environment["AWS_SESSION_TOKEN"],
    )
    # THEN it finds and reads every subscription's queue and DLQ by name
    for subscription in stack.routes:
        for queue in (stack.naming.queue(subscription), stack.naming.dlq(subscription)):
            url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
