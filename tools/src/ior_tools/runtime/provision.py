"""Creates on the local AWS the resources the Pulumi program declares for the same topology:
the bus and its archive, a rule → queue (+ DLQ) per subscription, a table and prefixes per
service, the buckets and the secrets. Names come from `Naming`, shared with the Pulumi program."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from ior_contracts.topology import SECRETS, Naming, ServiceDeclaration, Subscription, Topology

from ior_tools.runtime.aws import Endpoint

DLQ_RETENTION_S = 14 * 24 * 3600
ARCHIVE_RETENTION_DAYS = 90
AUDIT_RETENTION_DAYS = 1  # GOVERNANCE locally, as on dev: protected, and still removable by an admin.
# The local event log's own subscription: every event on the bus, for windowed replay.
EVENT_LOG = "event-log"
EVENT_LOG_PATTERN = {"version": ["0"]}


@dataclass(frozen=True)
class QueuePair:
    subscription: str
    service: str
    queue_url: str
    queue_arn: str
    dlq_url: str
    dlq_arn: str
    pattern: dict[str, Any] = field(default_factory=dict)


@dataclass
class Provisioned:
    naming: Naming
    bus_arn: str
    queues: dict[str, QueuePair] = field(default_factory=dict)
    event_log_queue_url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    alert_topic_arn: str = ""


def provision(
    endpoint: Endpoint, topology: Topology, naming: Naming, *, sap: dict[str, str] | None = None
) -> Provisioned:
    events, sqs = endpoint.client("events"), endpoint.client("sqs")
    bus_arn = events.create_event_bus(Name=naming.bus)["EventBusArn"]
    events.create_archive(
        ArchiveName=naming.archive, EventSourceArn=bus_arn, RetentionDays=ARCHIVE_RETENTION_DAYS
    )
    done = Provisioned(naming=naming, bus_arn=bus_arn)
    for service, sub in topology.subscriptions:
        done.queues[sub.name] = _subscription(events, sqs, naming, service, sub)
    log = _queue(sqs, naming.queue(EVENT_LOG), {"MessageRetentionPeriod": str(DLQ_RETENTION_S)})
    _route(events, naming, naming.rule(EVENT_LOG), EVENT_LOG_PATTERN, log[1])
    done.event_log_queue_url = log[0]
    dynamodb = endpoint.client("dynamodb")
    for service in topology.services:
        _table(dynamodb, naming.table(service.name), service)
    _buckets(endpoint.client("s3"), naming)
    done.secrets = _secrets(endpoint.client("secretsmanager"), naming, sap)
    done.alert_topic_arn = endpoint.client("sns").create_topic(Name=naming.alert_topic)["TopicArn"]
    return done


def _subscription(
    events: Any, sqs: Any, naming: Naming, service: ServiceDeclaration, sub: Subscription
) -> QueuePair:
    dlq_url, dlq_arn = _queue(sqs, naming.dlq(sub.name), {"MessageRetentionPeriod": str(DLQ_RETENTION_S)})
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(sub.max_receive_count)}
    attributes = {"VisibilityTimeout": str(sub.visibility_timeout_s), "RedrivePolicy": json.dumps(redrive)}
    queue_url, queue_arn = _queue(sqs, naming.queue(sub.name), attributes)
    _route(events, naming, naming.rule(sub.name), sub.event_pattern(), queue_arn)
    return QueuePair(sub.name, service.name, queue_url, queue_arn, dlq_url, dlq_arn, sub.event_pattern())


def _queue(sqs: Any, name: str, attributes: dict[str, str]) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return url, arn


def _route(events: Any, naming: Naming, rule: str, pattern: dict[str, Any], target_arn: str) -> None:
    events.put_rule(Name=rule, EventBusName=naming.bus, EventPattern=json.dumps(pattern), State="ENABLED")
    events.put_targets(Rule=rule, EventBusName=naming.bus, Targets=[{"Id": "queue", "Arn": target_arn}])


def _table(dynamodb: Any, name: str, service: ServiceDeclaration) -> None:
    keys = [("pk", "HASH"), ("sk", "RANGE")]
    attributes = {"pk", "sk"}
    indexes = []
    for index in service.indexes:
        attributes |= {f"{index}pk", f"{index}sk"}
        indexes.append(
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": f"{index}pk", "KeyType": "HASH"},
                    {"AttributeName": f"{index}sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        )
    kwargs: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in keys],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
    }
    if indexes:
        kwargs["GlobalSecondaryIndexes"] = indexes
    dynamodb.create_table(**kwargs)
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": service.ttl_attribute}
    )
    # Point-in-time recovery, as the Pulumi program declares it: `ior table restore` restores from it.
    dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


def _buckets(s3: Any, naming: Naming) -> None:
    s3.create_bucket(Bucket=naming.data_bucket)
    s3.put_bucket_versioning(Bucket=naming.data_bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket=naming.audit_bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=naming.audit_bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": AUDIT_RETENTION_DAYS}},
        },
    )


def local_sap_credentials(base_url: str) -> dict[str, str]:
    """Fresh credentials for the local SAP on every start: nothing to keep, nothing in the repo."""
    return {"base_url": base_url, "username": "IOR_EXTRACT", "password": secrets.token_urlsafe(18)}


def _secrets(client: Any, naming: Naming, sap: dict[str, str] | None) -> dict[str, str]:
    values = {
        "sap": sap or local_sap_credentials("http://127.0.0.1:1"),
        "jwt": {"signing_key": secrets.token_urlsafe(48)},
        "slack": {"webhook_url": ""},
        "origin": {"value": secrets.token_urlsafe(48)},
    }
    names = {}
    for key in SECRETS:
        name = naming.secret(key)
        client.create_secret(Name=name, SecretString=json.dumps(values[key]), Description=SECRETS[key])
        names[key] = name
    return names
