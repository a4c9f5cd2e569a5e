"""The Lambda functions and their least-privilege roles: one function per declared subscription
(its declared handler), fed by an event source mapping with partial batch responses, plus each
service's declared entry points (invoked over HTTP or by the alert topic). Each runs its service's
artifact from `make package`; services that declare it add the shared pandas/numpy layer.

Every function has a role of its own holding only what its declaration says it needs (`Needs`):
the API's internet-facing function cannot post to Slack, its Slack poster cannot read the
session-signing key, its event consumers hold neither."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Entrypoint, Naming, Needs, ServiceDeclaration, Topology

from ior_infra.access import FunctionRefs, assume_role, function_policy
from ior_infra.subscriptions import Route

# python3.12 runs on Amazon Linux 2023, whose glibc loads the locked numpy; the artifacts are built
# for it (`ior_tools.packaging`).
RUNTIME = "python3.12"
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
    # The unfiltered e-mail route for alarms about the alerting functions themselves.
    watchdog_topic_arn: pulumi.Output[str]
    data_bucket: aws.s3.Bucket
    audit_bucket: aws.s3.Bucket
    tables: Mapping[str, aws.dynamodb.Table]
    routes: Mapping[str, Route]
    secret_arns: Mapping[str, pulumi.Output[str]]
    private_subnet_ids: Sequence[pulumi.Output[str]] = field(default_factory=list)
    security_group_id: pulumi.Output[str] | None = None
    dashboard_url: str | None = None
    # Service → the settings the stack gives it (`serviceSettings`).
    service_settings: Mapping[str, Mapping[str, str | int | bool]] = field(default_factory=dict)


class Services(pulumi.ComponentResource):
    # Function name (`<subscription>` or `<service>-<entry point>`) → its role.
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
        self.snapshotted: list[aws.lambda_.Function] = []
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
        args = self._args
        log_group = aws.cloudwatch.LogGroup(
            f"{self._name}-{declared.name}-logs",
            name=f"/ior/{args.naming.stage}/{declared.name}",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=args.key_arn,
            opts=self._child,
        )
        for sub in declared.subscriptions:
            route = args.routes[sub.name]
            consumer = self._function(declared, sub.name, sub.handler, sub.timeout_s, log_group, route=route)
            self.functions[sub.name] = consumer
        for entry in declared.entrypoints:
            function = self._function(
                declared,
                f"{declared.name}-{entry.name}",
                entry.handler,
                entry.timeout_s,
                log_group,
                entry=entry,
            )
            self.invoked[entry.trigger] = function
            if entry.snapshot:
                self.snapshotted.append(function)
                # Requests go to the published version through this alias (SnapStart serves versions).
                self.aliases[entry.trigger] = aws.lambda_.Alias(
                    f"{self._name}-{declared.name}-{entry.name}-live",
                    name=LIVE_ALIAS,
                    function_name=function.name,
                    function_version=function.version,
                    opts=self._child,
                )

    def _function(
        self,
        declared: ServiceDeclaration,
        name: str,
        handler: str,
        timeout: int,
        log_group: aws.cloudwatch.LogGroup,
        *,
        route: Route | None = None,
        entry: Entrypoint | None = None,
    ) -> aws.lambda_.Function:
        args, n = self._args, f"{self._name}-{name}"
        own = route.subscription if route is not None else entry
        assert own is not None, "a function is a subscription's or an entry point's"
        needs = declared.needs_of(own)
        role = aws.iam.Role(
            f"{n}-role",
            name=function_name(args.naming, name),
            assume_role_policy=assume_role("lambda.amazonaws.com"),
            opts=self._child,
        )
        self.roles[name] = role
        grant = aws.iam.RolePolicy(
            f"{n}-policy",
            role=role.id,
            policy=self._policy(declared, needs, route, log_group),
            opts=self._child,
        )
        # What must exist before the function is created: its log group and its grant, and in the
        # VPC the role's ENI permissions (Lambda checks them when it creates the function).
        prerequisites: list[pulumi.Resource] = [log_group, grant]
        vpc = None
        if declared.in_vpc and args.security_group_id is not None:
            prerequisites.append(
                aws.iam.RolePolicyAttachment(
                    f"{n}-vpc", role=role.name, policy_arn=VPC_ACCESS, opts=self._child
                )
            )
            vpc = aws.lambda_.FunctionVpcConfigArgs(
                subnet_ids=list(args.private_subnet_ids), security_group_ids=[args.security_group_id]
            )
        snapshot = entry is not None and entry.snapshot
        function = aws.lambda_.Function(
            n,
            name=function_name(args.naming, name),
            # SnapStart restores an initialised snapshot (imports done) instead of a cold start;
            # clients and secrets are made on first use, so none is restored stale.
            publish=snapshot,
            snap_start=aws.lambda_.FunctionSnapStartArgs(apply_on="PublishedVersions") if snapshot else None,
            handler=lambda_handler(handler),
            timeout=timeout,
            role=role.arn,
            runtime=RUNTIME,
            code=pulumi.FileArchive(args.artifacts[declared.name]),
            memory_size=own.memory_mb,
            layers=[self.layers[layer].arn for layer in args.layers.get(declared.name, ())],
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=self._environment(declared, needs)),
            kms_key_arn=args.key_arn,
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=log_group.name),
            vpc_config=vpc,
            opts=pulumi.ResourceOptions(parent=self, depends_on=prerequisites),
        )
        if route is not None:
            self._consume(route, function, grant)
        else:
            self._errors_alarm(name, function, watchdog=entry is not None and entry.trigger == "alerts")
        return function

    def _environment(self, declared: ServiceDeclaration, needs: Needs) -> dict[str, pulumi.Input[str]]:
        args = self._args
        environment: dict[str, pulumi.Input[str]] = {
            "IOR_SERVICE": declared.name,
            "IOR_STAGE": args.naming.stage,
            "IOR_EVENT_BUS": args.bus_name,
            "IOR_TABLE_NAME": args.tables[declared.name].name,
            "IOR_DATA_BUCKET": args.data_bucket.bucket,
            "IOR_AUDIT_BUCKET": args.audit_bucket.bucket,
        }
        if needs.alerts:
            environment["IOR_ALERT_TOPIC_ARN"] = args.alert_topic_arn
        if needs.operates:
            # The API's artifact holds no other service's code: it learns the stages (for queue depths
            # and replays) from here.
            environment["IOR_STAGES"] = json.dumps(
                {s.name: [sub.name for sub in s.subscriptions] for s in args.topology.services},
                sort_keys=True,
            )
        if args.dashboard_url and (needs.alerts or needs.operates):
            environment["IOR_DASHBOARD_URL"] = args.dashboard_url
        for name, value in sorted(args.service_settings.get(declared.name, {}).items()):
            environment[f"IOR_{declared.name.upper()}_{name.upper()}"] = (
                str(value).lower() if isinstance(value, bool) else str(value)
            )
        if "origin" in needs.secrets:
            # The secret's name, never its value: the function reads its current and previous values.
            environment["IOR_ORIGIN_SECRET"] = args.naming.secret("origin")
        return environment

    def _policy(
        self,
        declared: ServiceDeclaration,
        needs: Needs,
        route: Route | None,
        log_group: aws.cloudwatch.LogGroup,
    ) -> pulumi.Output[str]:
        args = self._args
        operates = needs.operates
        return pulumi.Output.all(
            table=args.tables[declared.name].arn,
            data=args.data_bucket.arn,
            audit=args.audit_bucket.arn,
            key=args.key_arn,
            bus=args.bus_arn,
            logs=log_group.arn,
            queues=[route.queue.arn] if route else [],
            secrets=[args.secret_arns[k] for k in needs.secrets],
            pipeline=[a for r in args.routes.values() for a in (r.queue.arn, r.dlq.arn)] if operates else [],
            rules=[r.rule.arn for r in args.routes.values()] if operates else [],
            archive=args.archive_arn if operates else "",
            replays=args.replays_arn if operates else "",
            topic=args.alert_topic_arn if needs.alerts else "",
        ).apply(
            lambda v: json.dumps(
                function_policy(
                    FunctionRefs(
                        service=declared.name,
                        needs=needs,
                        table=v["table"],
                        data_bucket=v["data"],
                        audit_bucket=v["audit"],
                        key=v["key"],
                        bus=v["bus"],
                        log_group=v["logs"],
                        queues=tuple(v["queues"]),
                        secrets=tuple(v["secrets"]),
                        reads=tuple(f"{v[r.bucket]}/{r.prefix}*" for r in needs.reads),
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
        sub = route.subscription
        aws.lambda_.EventSourceMapping(
            f"{self._name}-{sub.name}-source",
            event_source_arn=route.queue.arn,
            function_name=function.arn,
            batch_size=sub.batch_size,
            function_response_types=["ReportBatchItemFailures"],
            # The mapping is validated against the role's SQS permissions when created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[grant]),
        )
        # An error escaping the batch processor fails the whole batch: the ETL failing, SAP
        # unreachable from the extract, a comparison that cannot run.
        self._errors_alarm(sub.name, function, watchdog=route.watched)

    def _errors_alarm(self, name: str, function: aws.lambda_.Function, *, watchdog: bool) -> None:
        """An alarm when the function fails. A function that turns failures into alerts is watched by
        the watchdog route too: if it fails, no alert about it can reach anyone through it."""
        args = self._args
        actions = [args.alert_topic_arn, *([args.watchdog_topic_arn] if watchdog else [])]
        aws.cloudwatch.MetricAlarm(
            f"{self._name}-{name}-errors",
            name=f"{function_name(args.naming, name)}-errors",
            alarm_description=f"{name}: the function failed",
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions={"FunctionName": function.name},
            statistic="Sum",
            period=300,
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=actions,
            opts=self._child,
        )
