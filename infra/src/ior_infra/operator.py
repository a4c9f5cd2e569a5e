"""The operator role: what `ior` assumes for every runbook procedure that changes a stack (emit,
replay, DLQ redrive, users, cutover, uploads, secret rotation, table restore, deploy rollback),
and nothing else. Read-only procedures (status, reports, listings) run with the caller's own
credentials. Who may assume it is the stack's `operators` setting (IAM principal ARNs; by default
the account, whose own IAM policies then decide)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import ROTATED_IN_PLACE, Naming

from ior_infra.access import TABLE_ACTIONS, UNSCOPED_ACTIONS, allow

# A rotation puts a new version and moves the labels; a read shows what is there.
SECRET_ACTIONS = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:ListSecretVersionIds",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecretVersionStage",
]
# The message-move task (and its fallback: receive, send, delete) between a DLQ and its queue.
REDRIVE_SOURCE = [
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ListMessageMoveTasks",
    "sqs:ReceiveMessage",
    "sqs:StartMessageMoveTask",
]


@dataclass(frozen=True)
class OperatorRefs:
    """The resolved ARNs the operator's policy names."""

    account: str
    region: str
    stage: str
    bus: str
    archive: str
    key: str
    data_bucket: str
    rules: tuple[str, ...]
    queues: tuple[str, ...]
    dlqs: tuple[str, ...]
    tables: Mapping[str, str]
    secrets: tuple[str, ...]
    snapshotted: tuple[str, ...]


def operator_policy(refs: OperatorRefs) -> dict[str, Any]:
    replays = f"arn:aws:events:{refs.region}:{refs.account}:replay/ior-{refs.stage}-*"
    tap = f"ior-{refs.stage}-tap-*"
    restored = f"arn:aws:dynamodb:{refs.region}:{refs.account}:table/ior-{refs.stage}-*-restored-*"
    statements = [
        # `ior emit`, cutover requests, customs and comparison requests, uploads: the stage's own
        # contracts only (every source is `ior.<service>`).
        allow(
            "PutStageEvents",
            ["events:PutEvents"],
            [refs.bus],
            Condition={"StringLike": {"events:source": "ior.*"}},
        ),
        allow("StartReplay", ["events:StartReplay"], [refs.archive, replays, refs.bus]),
        allow("ReplaySource", ["events:DescribeArchive"], [refs.archive]),
        allow("ReplayRules", ["events:DescribeRule"], list(refs.rules)),
        allow("DescribeReplay", ["events:DescribeReplay"], [replays]),
        allow("ListReplays", list(UNSCOPED_ACTIONS), ["*"]),
        allow("RedriveFrom", REDRIVE_SOURCE, list(refs.dlqs)),
        allow("RedriveTo", ["sqs:GetQueueAttributes", "sqs:SendMessage"], list(refs.queues)),
        # Users (the API's table) and the gate's answers (compare's).
        allow("Users", TABLE_ACTIONS, [refs.tables["api"], f"{refs.tables['api']}/index/*"]),
        allow(
            "GateAnswers",
            ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"],
            [refs.tables["compare"], f"{refs.tables['compare']}/index/*"],
        ),
        allow("ManualUpload", ["s3:PutObject"], [f"{refs.data_bucket}/api/published/uploads/*"]),
        allow("Rotate", SECRET_ACTIONS, list(refs.secrets)),
        allow("Key", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [refs.key]),
        # Point-in-time restore of a service's table into a new `…-restored-<time>` table.
        allow(
            "RestoreFrom",
            [
                "dynamodb:DescribeContinuousBackups",
                "dynamodb:DescribeTable",
                "dynamodb:RestoreTableToPointInTime",
            ],
            list(refs.tables.values()),
        ),
        allow(
            "RestoreInto",
            [
                "dynamodb:BatchWriteItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:UpdateItem",
                # The restored table brought to its source's standard: PITR and TTL back on.
                "dynamodb:DescribeContinuousBackups",
                "dynamodb:DescribeTimeToLive",
                "dynamodb:UpdateContinuousBackups",
                "dynamodb:UpdateTimeToLive",
            ],
            [restored],
        ),
        # The restored table encrypted with the stage's key, as its source is (DynamoDB's grant).
        allow(
            "RestoreKey",
            ["kms:CreateGrant", "kms:DescribeKey"],
            [refs.key],
            Condition={"StringEquals": {"kms:ViaService": f"dynamodb.{refs.region}.amazonaws.com"}},
        ),
        # Watching the bus for the answers to a request: a temporary rule and queue (`ior_tools.ops.tap`).
        allow(
            "TapRule",
            ["events:DeleteRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"],
            [f"arn:aws:events:{refs.region}:{refs.account}:rule/{bus_name(refs.bus)}/{tap}"],
        ),
        allow(
            "TapQueue",
            [
                "sqs:CreateQueue",
                "sqs:DeleteMessage",
                "sqs:DeleteQueue",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
                "sqs:SetQueueAttributes",
            ],
            [f"arn:aws:sqs:{refs.region}:{refs.account}:{tap}"],
        ),
        # Deploy rollback: the `live` alias back to an earlier published version.
        allow(
            "Rollback",
            ["lambda:GetAlias", "lambda:ListVersionsByFunction", "lambda:UpdateAlias"],
            [*refs.snapshotted, *(f"{f}:*" for f in refs.snapshotted)],
        ),
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def bus_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def operator_trust(principals: Sequence[str]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": list(principals)}, "Action": "sts:AssumeRole"}
            ],
        }
    )


@dataclass(frozen=True)
class OperatorArgs:
    naming: Naming
    account: pulumi.Output[str]
    region: str
    principals: Sequence[str]  # empty: the account
    bus_arn: pulumi.Input[str]
    archive_arn: pulumi.Input[str]
    key_arn: pulumi.Input[str]
    data_bucket_arn: pulumi.Input[str]
    rule_arns: Sequence[pulumi.Input[str]]
    queue_arns: Sequence[pulumi.Input[str]]
    dlq_arns: Sequence[pulumi.Input[str]]
    table_arns: Mapping[str, pulumi.Input[str]]
    secret_arns: Mapping[str, pulumi.Input[str]]
    snapshotted_arns: Sequence[pulumi.Input[str]]


class Operator(pulumi.ComponentResource):
    role: aws.iam.Role

    def __init__(self, name: str, args: OperatorArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Operator", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        trust = args.account.apply(
            lambda account: operator_trust(list(args.principals) or [f"arn:aws:iam::{account}:root"])
        )
        self.role = aws.iam.Role(
            f"{name}-role", name=args.naming.alarm("operator"), assume_role_policy=trust, opts=child
        )
        policy = pulumi.Output.all(
            account=args.account,
            bus=args.bus_arn,
            archive=args.archive_arn,
            key=args.key_arn,
            data=args.data_bucket_arn,
            rules=list(args.rule_arns),
            queues=list(args.queue_arns),
            dlqs=list(args.dlq_arns),
            tables=dict(args.table_arns),
            secrets=[args.secret_arns[k] for k in ROTATED_IN_PLACE],
            snapshotted=list(args.snapshotted_arns),
        ).apply(
            lambda v: json.dumps(
                operator_policy(
                    OperatorRefs(
                        account=v["account"],
                        region=args.region,
                        stage=args.naming.stage,
                        bus=v["bus"],
                        archive=v["archive"],
                        key=v["key"],
                        data_bucket=v["data"],
                        rules=tuple(v["rules"]),
                        queues=tuple(v["queues"]),
                        dlqs=tuple(v["dlqs"]),
                        tables=v["tables"],
                        secrets=tuple(v["secrets"]),
                        snapshotted=tuple(v["snapshotted"]),
                    )
                )
            )
        )
        aws.iam.RolePolicy(f"{name}-policy", role=self.role.id, policy=policy, opts=child)
        self.register_outputs({"role": self.role.arn})
