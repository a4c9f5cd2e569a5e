"""What the consumer deploys in its own account, with boto3 (any infrastructure tool does the same):
its bus, open to the producer's account for `PutEvents`; a rule on it for the detail-types it
handles, targeting its queue (with a DLQ); the table its handler records events in; and the role
its handler runs as, which may read the producer's objects it was granted (docs/consumers.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Receives before a message moves to the DLQ.
MAX_RECEIVES = 5


@dataclass(frozen=True)
class Subscription:
    """The consumer's side of a subscription, as deployed."""

    bus_arn: str
    rule_arn: str
    queue_url: str
    dlq_url: str
    table: str
    role_arn: str


def subscribe(
    client: Callable[[str], Any],
    *,
    name: str,
    producer_account: str,
    detail_types: Sequence[str],
    reads: Sequence[str],
    bus: str = "default",
    assumed_by: Sequence[str] = (),
) -> Subscription:
    """Deploy the consumer's side. `client` makes boto3 clients in the consumer's account;
    `reads` are the object ARN patterns the producer granted (`arn:aws:s3:::<bucket>/<prefix>*`);
    `assumed_by`, principals of the account that may run the handler as its role besides Lambda
    (to poll from a workstation, `poll.py`)."""
    events, sqs = client("events"), client("sqs")
    if bus != "default":
        events.create_event_bus(Name=bus)
    bus_arn = events.describe_event_bus(Name=bus)["Arn"]
    # The producer's forwarding rule puts events on this bus as the producer's account.
    events.put_permission(
        EventBusName=bus,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "ProducerForwards",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{producer_account}:root"},
                        "Action": "events:PutEvents",
                        "Resource": bus_arn,
                    }
                ],
            }
        ),
    )
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = _queue_arn(sqs, dlq_url)
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVES})
    queue_url = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": redrive})["QueueUrl"]
    queue_arn = _queue_arn(sqs, queue_url)
    pattern = {"source": [{"prefix": "ior."}], "detail-type": sorted(detail_types)}
    rule_arn = events.put_rule(
        Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), State="ENABLED"
    )["RuleArn"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": _queue_policy(queue_arn, rule_arn)})
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
    client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table_arn = client("dynamodb").describe_table(TableName=name)["Table"]["TableArn"]
    role_arn = _handler_role(client("iam"), name, queue_arn, table_arn, reads, assumed_by)
    return Subscription(bus_arn, rule_arn, queue_url, dlq_url, name, role_arn)


def _queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def _queue_policy(queue_arn: str, rule_arn: str) -> str:
    """EventBridge may send to the queue for this rule only."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _handler_role(
    iam: Any, name: str, queue_arn: str, table_arn: str, reads: Sequence[str], assumed_by: Sequence[str]
) -> str:
    principal: dict[str, Any] = {"Service": "lambda.amazonaws.com"}
    if assumed_by:
        principal["AWS"] = list(assumed_by)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }
    role_arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])
    statements = [
        {
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            "Resource": queue_arn,
        },
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": table_arn},
        # The producer's objects it was granted; the producer's bucket and key policies must agree.
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": list(reads)},
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
        },
    ]
    iam.put_role_policy(
        RoleName=name,
        PolicyName="handler",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    return role_arn
