"""The operator role `ior` assumes for the procedures that change a stack: assumable only by the
configured principals (the account by default), holding only what those procedures do."""

from __future__ import annotations

import json
from typing import Any

from tests.infra.mocks import ACCOUNT, Recorder, run_stack

ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/rolePolicy:RolePolicy"


def _statements(stack: Recorder) -> dict[str, dict[str, Any]]:
    policy = json.loads(stack.named(POLICY, "operator-policy").inputs["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def test_by_default_the_account_may_assume_it_and_configured_principals_narrow_it(dev: Recorder) -> None:
    role = dev.named(ROLE, "operator-role")
    assert role.inputs["name"] == "ior-dev-operator"
    [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"AWS": [f"arn:aws:iam::{ACCOUNT}:root"]}
    oncall = f"arn:aws:iam::{ACCOUNT}:role/AWSReservedSSO_Operators_0123"
    narrowed = run_stack("dev", operators=[oncall]).named(ROLE, "operator-role")
    [trust] = json.loads(narrowed.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"AWS": [oncall]}


def test_it_changes_the_stack_only_as_the_runbook_does(dev: Recorder) -> None:
    statements = _statements(dev)
    assert set(statements) == {
        "PutStageEvents", "StartReplay", "ReplaySource", "ReplayRules", "DescribeReplay", "ListReplays",
        "RedriveFrom", "RedriveTo", "Users", "GateAnswers", "ManualUpload", "Rotate", "Key",
        "RestoreFrom", "RestoreInto", "RestoreKey", "Rollback", "TapRule", "TapQueue",
    }  # fmt: skip
    assert statements["PutStageEvents"]["Condition"] == {"StringLike": {"events:source": "ior.*"}}
    assert statements["RestoreKey"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}
    }
    dlqs = {q.state["arn"] for q in dev.of("aws:sqs/queue:Queue") if q.inputs["name"].endswith("-dlq")}
    assert set(statements["RedriveFrom"]["Resource"]) == dlqs
    secret = "aws:secretsmanager/secret:Secret"
    secrets = {dev.named(secret, f"secrets-{k}").state["arn"] for k in ("jwt", "sap")}
    assert set(statements["Rotate"]["Resource"]) == secrets
    api = dev.named("aws:dynamodb/table:Table", "tables-api").state["arn"]
    assert statements["Users"]["Resource"] == [api, f"{api}/index/*"]
    # It reads no other service's data and holds no wildcard but the one IAM requires.
    wildcards = [s["Sid"] for s in statements.values() if "*" in s["Resource"]]
    assert wildcards == ["ListReplays"]
    everything = json.dumps(statements)
    assert "s3:GetObject" not in everything
