"""Each function's role grants exactly what its declaration says it needs: its service's table and
prefixes, the `published/` prefixes it reads, its secrets, the key and `events:PutEvents` for its
own source; the pipeline view and replays only to the function that operates it, the alert topic
only to the functions that raise alerts. Never `*`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_contracts.topology import Entrypoint, ServiceDeclaration, Subscription, load_topology
from ior_infra.access import KMS_ACTIONS, QUEUE_ACTIONS, TABLE_ACTIONS

from tests.infra.mocks import ACCOUNT, REGION, Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = "arn:aws:s3:::ior-dev-data-111122223333"
AUDIT = "arn:aws:s3:::ior-dev-audit-111122223333"
TOPOLOGY = load_topology()
FUNCTIONS: list[tuple[ServiceDeclaration, Subscription | Entrypoint, str]] = [
    (s, f, f.name if isinstance(f, Subscription) else f"{s.name}-{f.name}")
    for s in TOPOLOGY.services
    for f in s.functions
]
NAMES = [name for _, _, name in FUNCTIONS]


def _statements(stack: Recorder, function: str) -> list[dict[str, Any]]:
    policy = stack.named("aws:iam/rolePolicy:RolePolicy", f"services-{function}-policy").inputs["policy"]
    statements: list[dict[str, Any]] = json.loads(policy)["Statement"]
    return statements


def _granted(stack: Recorder, function: str) -> set[tuple[str, str]]:
    return {(a, r) for s in _statements(stack, function) for a in s["Action"] for r in s["Resource"]}


def _arn(stack: Recorder, typ: str, name: str) -> str:
    return str(stack.named(typ, name).state["arn"])


def test_there_is_one_role_per_function(dev: Recorder) -> None:
    roles = {r.inputs["name"] for r in dev.of("aws:iam/role:Role") if r.name.startswith("services-")}
    assert roles == {f"ior-dev-{name}" for name in NAMES}
    for function in dev.of("aws:lambda/function:Function"):
        role = dev.named("aws:iam/role:Role", f"{function.name}-role")
        assert function.inputs["role"] == role.state["arn"], function.name


def test_no_wildcard_action_or_resource(dev: Recorder) -> None:
    for name in NAMES:
        for s in _statements(dev, name):
            assert all("*" not in a for a in s["Action"]), f"{name}: {s['Sid']}"
            if "*" in s["Resource"]:
                # Only actions IAM cannot scope to a resource, and never one touching data.
                assert s["Resource"] == ["*"], f"{name}: {s['Sid']}"
                assert set(s["Action"]) <= {"events:ListReplays"}, f"{name}: {s['Sid']}"
            assert s["Effect"] == "Allow", f"{name}: {s['Sid']}"


def _expected(
    stack: Recorder, service: ServiceDeclaration, function: Subscription | Entrypoint, name: str
) -> set[tuple[str, str]]:
    needs, own = service.needs_of(function), service.name
    table = _arn(stack, "aws:dynamodb/table:Table", f"tables-{own}")
    logs = _arn(stack, "aws:cloudwatch/logGroup:LogGroup", f"services-{own}-logs")
    key = _arn(stack, "aws:kms/key:Key", "storage-key")
    bus = _arn(stack, "aws:cloudwatch/eventBus:EventBus", "events-bus")
    buckets = {"data": DATA, "audit": AUDIT}
    expected = {(a, f"{logs}:*") for a in ("logs:CreateLogStream", "logs:PutLogEvents")}
    expected |= {(a, key) for a in KMS_ACTIONS}
    if needs.table:
        expected |= {(a, r) for a in TABLE_ACTIONS for r in (table, f"{table}/index/*")}
    if needs.prefixes:
        expected |= {(a, f"{DATA}/{own}/*") for a in ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")}
        expected |= {(a, f"{AUDIT}/{own}/*") for a in ("s3:GetObject", "s3:PutObject")}
        expected |= {("s3:ListBucket", DATA), ("s3:ListBucket", AUDIT)}
    if needs.publishes:
        expected.add(("events:PutEvents", bus))
    expected |= {("s3:GetObject", f"{buckets[r.bucket]}/{r.prefix}*") for r in needs.reads}
    if isinstance(function, Subscription):
        queue = _arn(stack, "aws:sqs/queue:Queue", f"subscriptions-{function.name}-queue")
        expected |= {(a, queue) for a in QUEUE_ACTIONS}
    expected |= {
        ("secretsmanager:GetSecretValue", _arn(stack, "aws:secretsmanager/secret:Secret", f"secrets-{k}"))
        for k in needs.secrets
    }
    if needs.operates:
        archive = _arn(stack, "aws:cloudwatch/eventArchive:EventArchive", "events-archive")
        replays = f"arn:aws:events:{REGION}:{ACCOUNT}:replay/ior-dev-*"
        expected |= {
            (a, q.state["arn"])
            for a in ("sqs:GetQueueAttributes", "sqs:GetQueueUrl")
            for q in stack.of("aws:sqs/queue:Queue")
        }
        expected |= {("events:StartReplay", r) for r in (archive, replays, bus)}
        expected |= {("events:DescribeArchive", archive), ("events:DescribeReplay", replays)}
        expected |= {("events:ListReplays", "*")}
        expected |= {
            ("events:DescribeRule", r.state["arn"])
            for r in stack.of("aws:cloudwatch/eventRule:EventRule")
            # A stage replays its subscriptions, never what it forwards to consumer accounts.
            if r.inputs["eventBusName"] == "ior-dev" and r.name.startswith("subscriptions-")
        }
    if needs.alerts:
        expected.add(("sns:Publish", _arn(stack, "aws:sns/topic:Topic", "alerts-topic")))
    return expected


@pytest.mark.parametrize(("service", "function", "name"), FUNCTIONS, ids=NAMES)
def test_each_role_grants_exactly_what_its_function_needs(
    dev: Recorder, service: ServiceDeclaration, function: Subscription | Entrypoint, name: str
) -> None:
    assert _granted(dev, name) == _expected(dev, service, function, name)
    [put] = [s for s in _statements(dev, name) if "events:PutEvents" in s["Action"]] or [None]
    if put is not None:
        assert put["Condition"] == {"StringEquals": {"events:source": f"ior.{service.name}"}}, name


def test_the_api_functions_hold_only_their_own_part() -> None:
    """A consumer cannot forge a session and the web function cannot post to Slack."""
    api = TOPOLOGY.service("api")
    needs = {f.name: api.needs_of(f) for f in api.functions}
    assert needs["http"].secrets == ("jwt", "origin")
    assert (needs["http"].operates, needs["http"].alerts) == (True, False)
    assert needs["slack"].secrets == ("slack",)
    assert (needs["slack"].table, needs["slack"].publishes, needs["slack"].operates) == (False, False, False)
    for consumer in ("api-projections", "api-alarms"):
        assert needs[consumer].secrets == ()
        assert (needs[consumer].alerts, needs[consumer].operates, needs[consumer].publishes) == (
            True,
            False,
            False,
        )


def test_only_the_functions_that_raise_alerts_know_the_alert_topic(dev: Recorder) -> None:
    topic = _arn(dev, "aws:sns/topic:Topic", "alerts-topic")
    raising = {f"ior-dev-{name}" for s, f, name in FUNCTIONS if s.needs_of(f).alerts}
    for function in dev.of("aws:lambda/function:Function"):
        variables = function.inputs["environment"]["variables"]
        if function.inputs["name"] in raising:
            assert variables["IOR_ALERT_TOPIC_ARN"] == topic, function.name
        else:
            assert "IOR_ALERT_TOPIC_ARN" not in variables, function.name


def test_only_the_internet_facing_function_checks_the_origin_header(dev: Recorder) -> None:
    # By the secret's name: the value stays in Secrets Manager (and CloudFront's origin config).
    for function in dev.of("aws:lambda/function:Function"):
        variables = function.inputs["environment"]["variables"]
        if function.inputs["name"] == "ior-dev-api-http":
            assert variables["IOR_ORIGIN_SECRET"] == "ior/dev/origin"
        else:
            assert "IOR_ORIGIN_SECRET" not in variables, function.name


def test_only_the_operating_function_knows_every_stage_and_its_subscriptions(dev: Recorder) -> None:
    expected = {s.name: [sub.name for sub in s.subscriptions] for s in TOPOLOGY.services}
    operating = {f"ior-dev-{name}" for s, f, name in FUNCTIONS if s.needs_of(f).operates}
    assert operating == {"ior-dev-api-http"}
    for function in dev.of("aws:lambda/function:Function"):
        variables = function.inputs["environment"]["variables"]
        if function.inputs["name"] in operating:
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
    in_vpc = [f for f in prod.of("aws:lambda/function:Function") if f.inputs.get("vpcConfig")]
    assert in_vpc
    for function in in_vpc:
        # Its own role's attachment of the ENI permissions, and nothing broader.
        attachment = prod.named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"{function.name}-vpc")
        assert attachment.inputs["policyArn"].endswith("AWSLambdaVPCAccessExecutionRole")
        assert attachment.name in function.depends_on, function.name


def test_a_non_prod_stack_goes_without_the_nat_gateway_and_its_vpc_unless_asked(dev: Recorder) -> None:
    assert not dev.of("aws:ec2/natGateway:NatGateway")
    assert not dev.of("aws:ec2/vpc:Vpc")
    assert not any(f.inputs.get("vpcConfig") for f in dev.of("aws:lambda/function:Function"))
    asked = run_stack("dev", natGateway=True)
    assert len(asked.of("aws:ec2/natGateway:NatGateway")) == 1
