"""One least-privilege role per service and its Lambda functions: one per declared subscription
(its declared handler), fed by an event source mapping with partial batch responses, plus the
service's declared entry points (invoked over HTTP or by the alert topic). Each runs its service's
artifact from `make package`; services that declare it add the shared pandas/numpy layer. What a
role holds beyond its own table and prefixes comes from its service's declaration."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, ServiceDeclaration, Topology

from ior_infra.access import ServiceRefs, assume_role, service_policy
from ior_infra.subscriptions import Route

# python3.12 runs on Amazon Linux 2023, whose glibc loads the locked numpy; the artifacts are built
# for it (`ior_tools.packaging`).
RUNTIME = "python3.12"
MEMORY_MB = 1024
LOG_RETENTION_DAYS = 90
VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
# Snapshotted entry points are invoked through this alias (SnapStart serves published versions).
LIVE_ALIAS = "live"


def function_name(naming: Naming, subscription: str) -> str:
    return f"ior-{naming.stage}-{subscription}"


def lambda_handler(declared: str) -> str:
    """`package.module:function` (the declaration) → `package.module.function` (Lambda)."""
    module, function = declared.split(":")
    return f"{module}.{function}"


@dataclass(frozen=True)
class ServicesArgs:
    naming: Naming
    topology: Topology
    artifacts: Mapping[str, str]  # service → zip path
    layers: Mapping[str, Sequence[str]]  # service → the layers (by name) its function uses
    layer_artifacts: Mapping[str, str]  # layer name → zip path
    key_arn: pulumi.Output[str]
    bus_arn: pulumi.Output[str]
    bus_name: pulumi.Output[str]
    archive_arn: pulumi.Output[str]
    replays_arn: pulumi.Output[str]  # the ARN pattern of the stage's replays
    alert_topic_arn: pulumi.Output[str]
    data_bucket: aws.s3.Bucket
    audit_bucket: aws.s3.Bucket
    tables: Mapping[str, aws.dynamodb.Table]
    routes: Mapping[str, Route]
    secret_arns: Mapping[str, pulumi.Output[str]]
    private_subnet_ids: Sequence[pulumi.Output[str]] = field(default_factory=list)
    security_group_id: pulumi.Output[str] | None = None
    dashboard_url: str | None = None


class Services(pulumi.ComponentResource):
    roles: dict[str, aws.iam.Role]
    # Subscription → its consumer function.
    functions: dict[str, aws.lambda_.Function]
    # Entry-point trigger (`http`, `alerts`) → the function it invokes, and its alias if snapshotted.
    invoked: dict[str, aws.lambda_.Function]
    aliases: dict[str, aws.lambda_.Alias]
    layers: dict[str, aws.lambda_.LayerVersion]

    def __init__(self, name: str, args: ServicesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Services", name, None, opts)
        self._child = pulumi.ResourceOptions(parent=self)
        self._name, self._args = name, args
        self.roles, self.functions, self.invoked, self.aliases = {}, {}, {}, {}
        self.layers = {
            layer: aws.lambda_.LayerVersion(
                f"{name}-{layer}",
                layer_name=f"ior-{args.naming.stage}-{layer}",
                code=pulumi.FileArchive(path),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=["x86_64"],
                opts=self._child,
            )
            for layer, path in args.layer_artifacts.items()
        }
        for service in args.topology.services:
            self._service(service)
        self.register_outputs({n: f.arn for n, f in self.functions.items()})

    def _service(self, declared: ServiceDeclaration) -> None:
        service = declared.name
        args, n = self._args, f"{self._name}-{service}"
        log_group = aws.cloudwatch.LogGroup(
            f"{n}-logs",
            name=f"/ior/{args.naming.stage}/{service}",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=args.key_arn,
            opts=self._child,
        )
        role = aws.iam.Role(
            f"{n}-role",
            name=f"ior-{args.naming.stage}-{service}",
            assume_role_policy=assume_role("lambda.amazonaws.com"),
            opts=self._child,
        )
        self.roles[service] = role
        routes = [r for r in args.routes.values() if r.service == service]
        grant = aws.iam.RolePolicy(
            f"{n}-policy", role=role.id, policy=self._policy(declared, routes, log_group), opts=self._child
        )
        vpc = None
        # What must exist before a function is created: its log group, and in the VPC the role's
        # ENI permissions (Lambda checks them when it creates the function).
        prerequisites: list[pulumi.Resource] = [log_group]
        if declared.in_vpc and args.security_group_id is not None:
            prerequisites.append(
                aws.iam.RolePolicyAttachment(
                    f"{n}-vpc", role=role.name, policy_arn=VPC_ACCESS, opts=self._child
                )
            )
            vpc = aws.lambda_.FunctionVpcConfigArgs(
                subnet_ids=list(args.private_subnet_ids), security_group_ids=[args.security_group_id]
            )
        environment: dict[str, pulumi.Input[str]] = {
            "IOR_SERVICE": service,
            "IOR_STAGE": args.naming.stage,
            "IOR_EVENT_BUS": args.bus_name,
            "IOR_TABLE_NAME": args.tables[service].name,
            "IOR_DATA_BUCKET": args.data_bucket.bucket,
            "IOR_AUDIT_BUCKET": args.audit_bucket.bucket,
        }
        if declared.operates:
            environment["IOR_ALERT_TOPIC_ARN"] = args.alert_topic_arn
            # The API's artifact holds no other service's code: it learns the stages (for queue depths
            # and replays) from here.
            environment["IOR_STAGES"] = json.dumps(
                {s.name: [sub.name for sub in s.subscriptions] for s in args.topology.services},
                sort_keys=True,
            )
            if args.dashboard_url:
                environment["IOR_DASHBOARD_URL"] = args.dashboard_url
        layers = [self.layers[layer].arn for layer in args.layers.get(service, ())]

        def function(
            resource: str, name: str, handler: str, timeout: int, *, snapshot: bool = False
        ) -> aws.lambda_.Function:
            return aws.lambda_.Function(
                resource,
                name=function_name(args.naming, name),
                # SnapStart restores an initialised snapshot (imports done) instead of a cold start;
                # clients and secrets are made on first use, so none is restored stale.
                publish=snapshot,
                snap_start=aws.lambda_.FunctionSnapStartArgs(apply_on="PublishedVersions")
                if snapshot
                else None,
                handler=lambda_handler(handler),
                timeout=timeout,
                role=role.arn,
                runtime=RUNTIME,
                code=pulumi.FileArchive(args.artifacts[service]),
                memory_size=MEMORY_MB,
                layers=layers,
                environment=aws.lambda_.FunctionEnvironmentArgs(variables=environment),
                kms_key_arn=args.key_arn,
                logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                    log_format="JSON", log_group=log_group.name
                ),
                vpc_config=vpc,
                opts=pulumi.ResourceOptions(parent=self, depends_on=prerequisites),
            )

        for route in routes:
            sub = route.subscription
            consumer = function(f"{self._name}-{sub.name}", sub.name, sub.handler, sub.timeout_s)
            self.functions[sub.name] = consumer
            self._consume(route, consumer, grant)
        for declared_entry in declared.entrypoints:
            suffix = declared_entry.name
            entry = function(
                f"{n}-{suffix}",
                f"{service}-{suffix}",
                declared_entry.handler,
                declared_entry.timeout_s,
                snapshot=declared_entry.snapshot,
            )
            self.invoked[declared_entry.trigger] = entry
            if declared_entry.snapshot:
                # Requests go to the published version through this alias (SnapStart serves versions).
                self.aliases[declared_entry.trigger] = aws.lambda_.Alias(
                    f"{n}-{suffix}-live",
                    name=LIVE_ALIAS,
                    function_name=entry.name,
                    function_version=entry.version,
                    opts=pulumi.ResourceOptions(parent=self),
                )

    def _policy(
        self, declared: ServiceDeclaration, routes: list[Route], log_group: aws.cloudwatch.LogGroup
    ) -> pulumi.Output[str]:
        args = self._args
        operator = declared.operates
        return pulumi.Output.all(
            table=args.tables[declared.name].arn,
            data=args.data_bucket.arn,
            audit=args.audit_bucket.arn,
            key=args.key_arn,
            bus=args.bus_arn,
            logs=log_group.arn,
            queues=[r.queue.arn for r in routes],
            secrets=[args.secret_arns[k] for k in declared.secrets],
            pipeline=[a for r in args.routes.values() for a in (r.queue.arn, r.dlq.arn)] if operator else [],
            rules=[r.rule.arn for r in args.routes.values()] if operator else [],
            archive=args.archive_arn if operator else "",
            replays=args.replays_arn if operator else "",
            topic=args.alert_topic_arn if operator else "",
        ).apply(
            lambda v: json.dumps(
                service_policy(
                    ServiceRefs(
                        service=declared.name,
                        table=v["table"],
                        data_bucket=v["data"],
                        audit_bucket=v["audit"],
                        key=v["key"],
                        bus=v["bus"],
                        log_group=v["logs"],
                        queues=tuple(v["queues"]),
                        secrets=tuple(v["secrets"]),
                        reads=tuple(f"{v[r.bucket]}/{r.prefix}*" for r in declared.reads),
                        operates=operator,
                        pipeline_queues=tuple(v["pipeline"]),
                        rules=tuple(v["rules"]),
                        archive=v["archive"],
                        replays=v["replays"],
                        alert_topic=v["topic"],
                    )
                )
            )
        )

    def _consume(self, route: Route, function: aws.lambda_.Function, grant: aws.iam.RolePolicy) -> None:
        """The queue feeding the function, and an alarm when the function fails."""
        sub, n = route.subscription, f"{self._name}-{route.subscription.name}"
        aws.lambda_.EventSourceMapping(
            f"{n}-source",
            event_source_arn=route.queue.arn,
            function_name=function.arn,
            batch_size=sub.batch_size,
            function_response_types=["ReportBatchItemFailures"],
            # The mapping is validated against the role's SQS permissions when created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[grant]),
        )
        # An error escaping the batch processor fails the whole batch: the ETL failing, SAP
        # unreachable from the extract, a comparison that cannot run.
        aws.cloudwatch.MetricAlarm(
            f"{n}-errors",
            name=f"{function_name(self._args.naming, sub.name)}-errors",
            alarm_description=f"{sub.name}: the function failed",
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions={"FunctionName": function.name},
            statistic="Sum",
            period=300,
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[self._args.alert_topic_arn],
            opts=self._child,
        )
