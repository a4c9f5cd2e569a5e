"""Each service's role grants exactly its own resources, the `published/` prefixes it reads, the
key and `events:PutEvents` for its own source (the API also its operator extras): never `*`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_contracts.topology import Naming, load_topology
from ior_infra.access import KMS_ACTIONS, QUEUE_ACTIONS, TABLE_ACTIONS

from tests.infra.mocks import ACCOUNT, REGION, Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = "arn:aws:s3:::ior-dev-data-111122223333"
AUDIT = "arn:aws:s3:::ior-dev-audit-111122223333"
READS = {
    "ingestion": set(),
    "etl": {f"{DATA}/ingestion/published/*", f"{DATA}/api/published/uploads/*"},
    "customs": {f"{DATA}/etl/published/*"},
    "compare": {f"{DATA}/customs/published/*"},
    "api": {
        f"{DATA}/customs/published/*",
        f"{DATA}/compare/published/*",
        f"{AUDIT}/customs/*",
        f"{AUDIT}/compare/*",
    },
}
SECRETS = {"ingestion": {"sap"}, "api": {"jwt", "slack"}}
SERVICES = [s.name for s in load_topology().services]


def _statements(stack: Recorder, service: str) -> list[dict[str, Any]]:
    policy = stack.named("aws:iam/rolePolicy:RolePolicy", f"services-{service}-policy").inputs["policy"]
    statements: list[dict[str, Any]] = json.loads(policy)["Statement"]
    return statements


def _resources(statements: list[dict[str, Any]], action: str) -> set[str]:
    return {r for s in statements if action in s["Action"] for r in s["Resource"]}


def test_there_is_one_role_per_service(dev: Recorder) -> None:
    roles = {r.inputs["name"] for r in dev.of("aws:iam/role:Role") if r.name.startswith("services-")}
    assert roles == {f"ior-dev-{s}" for s in SERVICES}


def test_no_wildcard_action_or_resource(dev: Recorder) -> None:
    for service in SERVICES:
        for s in _statements(dev, service):
            assert all("*" not in a for a in s["Action"]), f"{service}: {s['Sid']}"
            if "*" in s["Resource"]:
                # Only actions IAM cannot scope to a resource, and never one touching data.
                assert s["Resource"] == ["*"], f"{service}: {s['Sid']}"
                assert set(s["Action"]) <= {"events:ListReplays"}, f"{service}: {s['Sid']}"
            assert s["Effect"] == "Allow", f"{service}: {s['Sid']}"


@pytest.mark.parametrize("service", SERVICES)
def test_role_grants_exactly_its_own(dev: Recorder, service: str) -> None:
    naming = Naming("dev")
    statements = _statements(dev, service)
    table = dev.named("aws:dynamodb/table:Table", f"tables-{service}").state["arn"]
    key = dev.named("aws:kms/key:Key", "storage-key").state["arn"]
    bus = dev.named("aws:cloudwatch/eventBus:EventBus", "events-bus").state["arn"]

    assert _resources(statements, "dynamodb:PutItem") == {table, f"{table}/index/*"}, service
    assert _resources(statements, "s3:PutObject") == {f"{DATA}/{service}/*", f"{AUDIT}/{service}/*"}, service
    assert _resources(statements, "s3:DeleteObject") == {f"{DATA}/{service}/*"}, service
    assert (
        _resources(statements, "s3:GetObject")
        == {f"{DATA}/{service}/*", f"{AUDIT}/{service}/*"} | READS[service]
    ), service
    assert _resources(statements, "kms:Decrypt") == {key}, service

    [put] = [s for s in statements if "events:PutEvents" in s["Action"]]
    assert put["Resource"] == [bus], service
    assert put["Condition"] == {"StringEquals": {"events:source": f"ior.{service}"}}, service

    queues = {
        dev.named("aws:sqs/queue:Queue", f"subscriptions-{sub.name}-queue").state["arn"]
        for d in load_topology().services
        if d.name == service
        for sub in d.subscriptions
    }
    assert _resources(statements, "sqs:ReceiveMessage") == queues, service

    secrets = {
        dev.named("aws:secretsmanager/secret:Secret", f"secrets-{k}").state["arn"]
        for k in SECRETS.get(service, set())
    }
    assert _resources(statements, "secretsmanager:GetSecretValue") == secrets, service

    operator = service == "api"
    # The pipeline view: every subscription's queue and DLQ.
    pipeline = {q.state["arn"] for q in dev.of("aws:sqs/queue:Queue")}
    archive = dev.named("aws:cloudwatch/eventArchive:EventArchive", "events-archive").state["arn"]
    replays = f"arn:aws:events:{REGION}:{ACCOUNT}:replay/ior-dev-*"
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    assert _resources(statements, "sqs:GetQueueAttributes") == (pipeline if operator else queues), service
    assert _resources(statements, "events:StartReplay") == ({archive, replays} if operator else set()), (
        service
    )
    assert _resources(statements, "events:DescribeReplay") == ({replays} if operator else set()), service
    assert _resources(statements, "events:ListReplays") == ({"*"} if operator else set()), service
    assert _resources(statements, "events:DescribeArchive") == ({archive} if operator else set()), service
    assert _resources(statements, "sqs:GetQueueUrl") == (pipeline if operator else set()), service
    assert _resources(statements, "sns:Publish") == ({topic} if operator else set()), service
    assert bus.endswith(naming.bus), service


PIPELINE_ACTIONS = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl")


def test_api_role_has_exactly_its_operator_extras(dev: Recorder) -> None:
    """Nothing beyond the common grants and the operator's: the exact action set per resource."""
    statements = _statements(dev, "api")
    granted = {(a, r) for s in statements for a in s["Action"] for r in s["Resource"]}
    table = dev.named("aws:dynamodb/table:Table", "tables-api").state["arn"]
    key = dev.named("aws:kms/key:Key", "storage-key").state["arn"]
    bus = dev.named("aws:cloudwatch/eventBus:EventBus", "events-bus").state["arn"]
    logs = dev.named("aws:cloudwatch/logGroup:LogGroup", "services-api-logs").state["arn"]
    queues = {
        dev.named("aws:sqs/queue:Queue", f"subscriptions-{sub.name}-queue").state["arn"]
        for sub in load_topology().service("api").subscriptions
    }
    archive = dev.named("aws:cloudwatch/eventArchive:EventArchive", "events-archive").state["arn"]
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    replays = f"arn:aws:events:{REGION}:{ACCOUNT}:replay/ior-dev-*"
    secrets = {
        dev.named("aws:secretsmanager/secret:Secret", f"secrets-{k}").state["arn"] for k in ("jwt", "slack")
    }
    expected = (
        {(a, r) for a in TABLE_ACTIONS for r in (table, f"{table}/index/*")}
        | {(a, f"{DATA}/api/*") for a in ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")}
        | {(a, f"{AUDIT}/api/*") for a in ("s3:GetObject", "s3:PutObject")}
        | {("s3:ListBucket", DATA), ("s3:ListBucket", AUDIT)}
        | {(a, key) for a in KMS_ACTIONS}
        | {("events:PutEvents", bus)}
        | {(a, f"{logs}:*") for a in ("logs:CreateLogStream", "logs:PutLogEvents")}
        | {("s3:GetObject", r) for r in READS["api"]}
        | {(a, q) for a in QUEUE_ACTIONS for q in queues}
        | {("secretsmanager:GetSecretValue", s) for s in secrets}
        | {(a, q.state["arn"]) for a in PIPELINE_ACTIONS for q in dev.of("aws:sqs/queue:Queue")}
        | {("events:StartReplay", archive), ("events:StartReplay", replays)}
        | {("events:DescribeArchive", archive)}
        | {
            ("events:DescribeRule", r.state["arn"])
            for r in dev.of("aws:cloudwatch/eventRule:EventRule")
            if r.inputs["eventBusName"] == "ior-dev"
        }
        | {("events:DescribeReplay", replays), ("events:ListReplays", "*")}
        | {("sns:Publish", topic)}
    )
    assert granted == expected
    # Presigned uploads land under api/incoming/, inside the API's own prefix.
    assert ("s3:PutObject", f"{DATA}/api/*") in granted


def test_api_functions_know_the_alert_topic(dev: Recorder) -> None:
    topic = dev.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    for function in dev.of("aws:lambda/function:Function"):
        variables = function.inputs["environment"]["variables"]
        if variables["IOR_SERVICE"] == "api":
            assert variables["IOR_ALERT_TOPIC_ARN"] == topic, function.name
        else:
            assert "IOR_ALERT_TOPIC_ARN" not in variables, function.name


def test_api_functions_know_every_stage_and_its_subscriptions(dev: Recorder) -> None:
    from ior_contracts.topology import load_topology

    expected = {s.name: [sub.name for sub in s.subscriptions] for s in load_topology().services}
    for function in dev.of("aws:lambda/function:Function"):
        variables = function.inputs["environment"]["variables"]
        if variables["IOR_SERVICE"] == "api":
            assert json.loads(variables["IOR_STAGES"]) == expected, function.name
        else:
            assert "IOR_STAGES" not in variables, function.name


def test_only_ingestion_runs_in_the_private_subnets(prod: Recorder) -> None:
    subnets = [prod.named("aws:ec2/subnet:Subnet", f"network-private-{i}") for i in range(2)]
    assert len({s.inputs["availabilityZone"] for s in subnets}) == 2
    private = {f"{s.name}-id" for s in subnets}  # the mocks' resource ids
    for function in prod.of("aws:lambda/function:Function"):
        vpc = function.inputs.get("vpcConfig") or {}
        if function.inputs["environment"]["variables"]["IOR_SERVICE"] == "ingestion":
            assert set(vpc["subnetIds"]) == private, function.name
        else:
            assert not vpc, function.name


def test_a_function_in_the_vpc_is_created_after_its_roles_eni_permissions(prod: Recorder) -> None:
    attachment = prod.named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "services-ingestion-vpc")
    assert attachment.inputs["policyArn"].endswith("AWSLambdaVPCAccessExecutionRole")
    in_vpc = [f for f in prod.of("aws:lambda/function:Function") if f.inputs.get("vpcConfig")]
    assert in_vpc
    for function in in_vpc:
        assert attachment.name in function.depends_on, function.name


def test_a_non_prod_stack_goes_without_the_nat_gateway_and_its_vpc_unless_asked(dev: Recorder) -> None:
    assert not dev.of("aws:ec2/natGateway:NatGateway")
    assert not dev.of("aws:ec2/vpc:Vpc")
    assert not any(f.inputs.get("vpcConfig") for f in dev.of("aws:lambda/function:Function"))
    asked = run_stack("dev", natGateway=True)
    assert len(asked.of("aws:ec2/natGateway:NatGateway")) == 1
