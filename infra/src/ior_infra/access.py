"""Every policy document the program writes (service roles, bucket and key policies), as plain
dicts built from resolved ARNs: each grant is readable in one place and testable without a cloud."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ior_contracts.topology import Needs

# Actions that take no resource-level permission: IAM accepts them only on "*".
UNSCOPED_ACTIONS = ("events:ListReplays",)

TABLE_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
]
QUEUE_ACTIONS = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
KMS_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]


@dataclass(frozen=True)
class FunctionRefs:
    """What one function needs (its declaration's `Needs`), with the ARNs its policy names."""

    service: str
    needs: Needs
    table: str
    data_bucket: str
    audit_bucket: str
    key: str
    bus: str
    log_group: str
    queues: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    # Other services' outputs it reads, as object ARN patterns.
    reads: tuple[str, ...] = ()
    # Only for a function that operates the pipeline: every subscription's queue and DLQ (the
    # pipeline view), the stage's rules, the archive and the ARN pattern of the stage's replays.
    pipeline_queues: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    archive: str = ""
    replays: str = ""
    alert_topic: str = ""


def allow(sid: str, actions: list[str], resources: list[str], **more: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources, **more}


def function_policy(refs: FunctionRefs) -> dict[str, Any]:
    """The one inline policy of a function's role: its logs and the stage's key, then each need."""
    needs, own = refs.needs, f"{refs.service}/"
    statements = [
        allow("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{refs.log_group}:*"]),
        allow("Key", KMS_ACTIONS, [refs.key]),
    ]
    if needs.table:
        statements.append(allow("OwnTable", TABLE_ACTIONS, [refs.table, f"{refs.table}/index/*"]))
    if needs.prefixes:
        statements += [
            allow(
                "OwnData",
                ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                [f"{refs.data_bucket}/{own}*"],
            ),
            # Audit records are written once and never deleted by the service (Object Lock keeps them).
            allow("OwnAudit", ["s3:GetObject", "s3:PutObject"], [f"{refs.audit_bucket}/{own}*"]),
            allow(
                "ListOwnPrefix",
                ["s3:ListBucket"],
                [refs.data_bucket, refs.audit_bucket],
                Condition={"StringLike": {"s3:prefix": [f"{own}*"]}},
            ),
        ]
    if needs.publishes:
        statements.append(
            allow(
                "PutOwnEvents",
                ["events:PutEvents"],
                [refs.bus],
                Condition={"StringEquals": {"events:source": f"ior.{refs.service}"}},
            )
        )
    if refs.reads:
        statements.append(allow("PublishedReads", ["s3:GetObject"], list(refs.reads)))
    if refs.queues:
        statements.append(allow("OwnQueue", QUEUE_ACTIONS, list(refs.queues)))
    if refs.secrets:
        statements.append(allow("Secrets", ["secretsmanager:GetSecretValue"], list(refs.secrets)))
    if needs.operates:
        statements += [
            allow(
                "PipelineDepths", ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"], list(refs.pipeline_queues)
            ),
            # A replay is authorised on the archive it reads, the replay it creates and the bus it
            # replays onto; the request names the stage's rules, read first.
            allow("StartReplay", ["events:StartReplay"], [refs.archive, refs.replays, refs.bus]),
            allow("ReplaySource", ["events:DescribeArchive"], [refs.archive]),
            allow("ReplayRules", ["events:DescribeRule"], list(refs.rules)),
            allow("DescribeReplay", ["events:DescribeReplay"], [refs.replays]),
            allow("ListReplays", list(UNSCOPED_ACTIONS), ["*"]),
        ]
    if needs.alerts:
        statements.append(allow("Alert", ["sns:Publish"], [refs.alert_topic]))
    return {"Version": "2012-10-17", "Statement": statements}


def put_events_only(bus_arn: str) -> dict[str, Any]:
    """The policy of the role that forwards the default bus's alarm events to the stage's bus."""
    return {"Version": "2012-10-17", "Statement": [allow("ForwardToBus", ["events:PutEvents"], [bus_arn])]}


def tls_only(bucket_arn: str, *extra: dict[str, Any]) -> dict[str, Any]:
    """A bucket policy refusing any request not made over TLS."""
    deny = {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return {"Version": "2012-10-17", "Statement": [deny, *extra]}


def assume_role(service_principal: str, *, account: str | None = None, source_arn: str | None = None) -> str:
    """A role's trust policy. A service acting for a resource of ours (a schedule, a rule) may assume
    it only for that resource of this account, so no other account's resource can borrow the role
    (the confused deputy)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service_principal},
        "Action": "sts:AssumeRole",
    }
    conditions: dict[str, Any] = {}
    if account:
        conditions["StringEquals"] = {"aws:SourceAccount": account}
    if source_arn:
        conditions["ArnLike"] = {"aws:SourceArn": source_arn}
    if conditions:
        statement["Condition"] = conditions
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def consumer_reads(bucket_arn: str, grants: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Bucket-policy statements letting each consumer account read the objects under its prefixes of
    this bucket (its families' claim checks and reports) and nothing else: no listing, no other key."""
    return [
        {
            "Sid": f"Consumer{account}Reads",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": ["s3:GetObject"],
            "Resource": [f"{bucket_arn}/{prefix}*" for prefix in prefixes],
        }
        for account, prefixes in sorted(grants.items())
        if prefixes
    ]


def key_policy(account: str, region: str, readers: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The key's policy: the account administers it through IAM; CloudWatch may publish alarms to
    the encrypted alert topic, Logs may encrypt the log groups and CloudFront may read the
    frontend (none of which works through IAM); each consumer account (`readers`: account → the
    bucket ARNs it reads objects of) may decrypt through S3 only, for those buckets only."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AlarmsToEncryptedTopic",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            # This account's alarms only.
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:*"},
            },
        },
        {
            "Sid": "EncryptedLogGroups",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            # Only calls that carry a log group of this account as their encryption context (the
            # context is a string, matched as one).
            "Action": ["kms:Decrypt*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": "*",
            "Condition": {
                "StringLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account}:log-group:*"
                }
            },
        },
        {
            "Sid": "DistributionReadsFrontend",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": ["kms:Decrypt"],
            "Resource": "*",
            # The account's distributions only; the frontend bucket policy narrows it to ours.
            "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudfront::{account}:distribution/*"}},
        },
    ]
    for reader, buckets in sorted(readers.items()):
        if not buckets:
            continue
        statements.append(
            {
                "Sid": f"Consumer{reader}Decrypts",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{reader}:root"},
                "Action": ["kms:Decrypt"],
                "Resource": "*",
                # S3 asks on the reader's behalf, for an object of a granted bucket: with S3 Bucket
                # Keys the encryption context is the bucket's ARN (the bucket policy then narrows
                # the read to the granted prefixes).
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": f"s3.{region}.amazonaws.com",
                        "kms:EncryptionContext:aws:s3:arn": sorted(buckets),
                    }
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def distribution_reads(bucket_arn: str, distribution_arn: str) -> dict[str, Any]:
    """Bucket-policy statement letting one CloudFront distribution (through OAC) read the bucket."""
    return {
        "Sid": "DistributionReads",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": ["s3:GetObject"],
        "Resource": [f"{bucket_arn}/*"],
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    }


def access_log_delivery(bucket_arn: str, account: str) -> list[dict[str, Any]]:
    """Bucket-policy statement letting S3 deliver this account's server access logs."""
    return [
        {
            "Sid": "AccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": ["s3:PutObject"],
            "Resource": [f"{bucket_arn}/*"],
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }
    ]
