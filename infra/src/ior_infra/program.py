"""The whole stage, composed from the components: what `__main__` runs and the tests exercise."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts import metrics
from ior_contracts.topology import Naming, Topology, load_topology

from ior_infra.alarms import Alarms, AlarmsArgs
from ior_infra.alerts import AlertRouting, AlertRoutingArgs, Alerts, AlertsArgs
from ior_infra.bus import EventBus, EventBusArgs
from ior_infra.consumers import Consumers, ConsumersArgs, object_grants
from ior_infra.dashboards import Dashboards, DashboardsArgs
from ior_infra.edge import Edge, EdgeArgs
from ior_infra.http_api import HttpApi, HttpApiArgs
from ior_infra.network import Network, NetworkArgs
from ior_infra.operator import Operator, OperatorArgs
from ior_infra.schemas import SchemaRegistry, SchemaRegistryArgs
from ior_infra.secrets import Secrets, SecretsArgs
from ior_infra.services import Services, ServicesArgs
from ior_infra.settings import StackSettings
from ior_infra.storage import Storage, StorageArgs
from ior_infra.subscriptions import Subscriptions, SubscriptionsArgs
from ior_infra.tables import Tables, TablesArgs


@dataclass(frozen=True)
class Stage:
    storage: Storage
    tables: Tables
    bus: EventBus
    alerts: Alerts
    alert_routing: AlertRouting
    alarms: Alarms
    subscriptions: Subscriptions
    secrets: Secrets
    network: Network | None
    services: Services
    api: HttpApi
    edge: Edge
    dashboards: Dashboards
    operator: Operator
    consumers: Consumers
    schemas: SchemaRegistry


def build(settings: StackSettings, topology: Topology, region: str) -> Stage:
    naming = Naming(settings.stage)
    account = aws.get_caller_identity_output().account_id
    storage = Storage(
        "storage",
        StorageArgs(
            naming,
            settings.is_prod,
            account,
            region,
            bucket_suffix=settings.bucket_suffix or account,
            consumer_reads=object_grants(settings.consumers, topology),
        ),
    )
    key = storage.key.arn
    tables = Tables("tables", TablesArgs(naming, topology, key, settings.is_prod, settings.table_overrides))
    bus = EventBus("events", EventBusArgs(naming, topology, account, region))
    alerts = Alerts("alerts", AlertsArgs(naming, settings.alert_emails, key))
    subscriptions = Subscriptions(
        "subscriptions",
        SubscriptionsArgs(naming, topology, bus.bus.name, alerts.topic.arn, alerts.watchdog.arn),
    )
    secrets = Secrets("secrets", SecretsArgs(naming, key, settings.is_prod))
    # Without a NAT gateway the extracts reach SAP from Lambda's own addresses, outside any VPC.
    network = (
        Network("network", NetworkArgs(naming, settings.availability_zones, region))
        if settings.nat_gateway and settings.availability_zones
        else None
    )
    services = Services(
        "services",
        ServicesArgs(
            naming=naming,
            topology=topology,
            artifacts={s.name: settings.artifact(s.name) for s in topology.services},
            layers={s.name: settings.layers(s) for s in topology.services},
            layer_artifacts={
                layer: settings.artifact(layer) for s in topology.services for layer in settings.layers(s)
            },
            key_arn=key,
            bus_arn=bus.bus.arn,
            bus_name=bus.bus.name,
            archive_arn=bus.archive.arn,
            replays_arn=account.apply(lambda a: f"arn:aws:events:{region}:{a}:replay/{naming.replay('')}*"),
            alert_topic_arn=alerts.topic.arn,
            watchdog_topic_arn=alerts.watchdog.arn,
            data_bucket=storage.data,
            audit_bucket=storage.audit,
            tables=tables.tables,
            routes=subscriptions.routes,
            secret_arns={k: s.arn for k, s in secrets.secrets.items()},
            private_subnet_ids=[s.id for s in network.private_subnets] if network else [],
            security_group_id=network.lambda_security_group.id if network else None,
            dashboard_url=settings.dashboard_url,
            service_settings=settings.service_settings,
        ),
    )
    api = HttpApi("http", HttpApiArgs(naming, services.invoked["http"], services.aliases["http"]))
    edge = Edge(
        "edge",
        EdgeArgs(
            naming,
            storage.frontend,
            api.domain,
            origin_secret=secrets.value("origin"),
            upload_bucket=storage.data,
            waf=settings.waf,
            region=region,
        ),
    )
    alert_routing = AlertRouting(
        "alert-routing",
        AlertRoutingArgs(naming, alerts.topic, services.invoked["alerts"], bus.bus.arn, region, account),
    )
    operator = Operator(
        "operator",
        OperatorArgs(
            naming=naming,
            account=account,
            region=region,
            principals=settings.operators,
            bus_arn=bus.bus.arn,
            archive_arn=bus.archive.arn,
            key_arn=key,
            data_bucket_arn=storage.data.arn,
            rule_arns=[r.rule.arn for r in subscriptions.routes.values()],
            queue_arns=[r.queue.arn for r in subscriptions.routes.values()],
            dlq_arns=[r.dlq.arn for r in subscriptions.routes.values()],
            table_arns={s: t.arn for s, t in tables.tables.items()},
            secret_arns={k: s.arn for k, s in secrets.secrets.items()},
            snapshotted_arns=[f.arn for f in services.snapshotted],
        ),
    )
    fees = metrics.FEE_TABLE_DAYS_COVERED
    alarms = Alarms(
        "alarms",
        AlarmsArgs(
            naming,
            topology,
            alerts.topic.arn,
            settings.comparison_fail_rate,
            fee_coverage_days=settings.service_setting(
                fees.service, metrics.FEE_COVERAGE_SETTING, metrics.FEE_COVERAGE_DAYS
            ),
        ),
    )
    dashboards = Dashboards("dashboards", DashboardsArgs(naming, topology, region))
    consumers = Consumers(
        "consumers", ConsumersArgs(naming, topology, settings.consumers, bus.bus.name, account, region)
    )
    schemas = SchemaRegistry("schemas", SchemaRegistryArgs(naming))
    return Stage(
        storage,
        tables,
        bus,
        alerts,
        alert_routing,
        alarms,
        subscriptions,
        secrets,
        network,
        services,
        api,
        edge,
        dashboards,
        operator,
        consumers,
        schemas,
    )


def main(topology: Topology | None = None) -> Stage:
    """The stack: the configuration checked, the stage built from the installed services'
    declarations (or `topology`), and the outputs `ior` operates it by."""
    settings = StackSettings.from_config()
    region = pulumi.Config("aws").require("region")
    stage = build(settings, topology or load_topology(), region)
    for name, value in outputs(stage, settings, region).items():
        pulumi.export(name, value)
    return stage


def outputs(stage: Stage, settings: StackSettings, region: str) -> dict[str, object]:
    """What `pulumi stack output --json` prints: everything `ior --stack STAGE` needs to find."""
    routes = stage.subscriptions.routes
    return {
        "stage": settings.stage,
        "region": region,
        "bus": stage.bus.bus.name,
        "archive": stage.bus.archive.name,
        "dataBucket": stage.storage.data.bucket,
        "auditBucket": stage.storage.audit.bucket,
        "frontendBucket": stage.storage.frontend.bucket,
        "tables": {service: table.name for service, table in stage.tables.tables.items()},
        "queues": {s: r.queue.url for s, r in routes.items()},
        "dlqs": {s: r.dlq.url for s, r in routes.items()},
        "services": {s: r.service for s, r in routes.items()},
        "functions": {s: f.name for s, f in stage.services.functions.items()},
        "secrets": {k: secret.name for k, secret in stage.secrets.secrets.items()},
        "alertTopic": stage.alerts.topic.arn,
        "watchdogTopic": stage.alerts.watchdog.arn,
        "distributionDomain": stage.edge.distribution.domain_name,
        "distributionId": stage.edge.distribution.id,
        "apiFunction": stage.services.invoked["http"].name,
        # Published on every deploy (SnapStart): the deploy workflow prunes their old versions.
        "snapshottedFunctions": [f.name for f in stage.services.snapshotted],
        "rules": {s: r.rule.arn for s, r in routes.items()},
        "archiveArn": stage.bus.archive.arn,
        "busArn": stage.bus.bus.arn,
        "schedules": {name: s.name for name, s in stage.bus.schedules.items()},
        "operatorRole": stage.operator.role.arn,
        "schemaRegistry": stage.schemas.registry.name,
        # Per downstream account, the rule forwarding its families to its bus.
        "consumerRules": {account: rule.arn for account, rule in stage.consumers.rules.items()},
    }
