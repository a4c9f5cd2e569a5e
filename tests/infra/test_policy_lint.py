"""Every IAM policy the program renders passes parliament, a maintained IAM policy linter: no
unknown action, no malformed ARN, no condition key that does not apply to its action, no wildcard
resource on an action that takes one. What parliament cannot judge of a resource policy is named
with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from parliament import analyze_policy_string

from tests.infra.mocks import ACCOUNT, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:pkg_resources:UserWarning")

# Where each kind of resource keeps its policy documents.
IDENTITY = {"aws:iam/rolePolicy:RolePolicy": "policy"}
RESOURCE = {
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:kms/key:Key": "policy",
}
TRUST = {"aws:iam/role:Role": "assumeRolePolicy"}
# Findings that do not apply to a kind of document, and why.
NOT_APPLICABLE = {
    # A key policy's Resource is always "*": the key it is attached to.
    "aws:kms/key:Key": {"RESOURCE_STAR"},
    # A trust policy has a Principal and no Resource by definition.
    "aws:iam/role:Role": {"MALFORMED"},
}


def documents(stack: Recorder, kinds: dict[str, str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for typ, field in kinds.items():
        for resource in stack.of(typ):
            yield typ, resource.name, json.loads(resource.inputs[field])


def findings(typ: str, document: dict[str, Any]) -> list[tuple[str, Any]]:
    found = analyze_policy_string(json.dumps(document)).findings
    # Principals name accounts of the test stack; parliament only knows real account patterns.
    ignored = NOT_APPLICABLE.get(typ, set()) | {"UNKNOWN_PRINCIPAL"}
    return [(f.issue, f.detail) for f in found if f.issue not in ignored]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_role_policy_passes_the_linter(stacks: dict[str, Recorder], stage: str) -> None:
    checked = 0
    for typ, name, document in documents(stacks[stage], IDENTITY):
        assert findings(typ, document) == [], name
        checked += 1
    assert checked >= 7


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_resource_and_trust_policy_passes_the_linter(stacks: dict[str, Recorder], stage: str) -> None:
    for typ, name, document in documents(stacks[stage], {**RESOURCE, **TRUST}):
        assert findings(typ, document) == [], name


def test_the_linter_catches_what_it_is_here_for() -> None:
    bad = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:Queryy"], "Resource": ["*"]},
            {"Effect": "Allow", "Action": ["dynamodb:Query"], "Resource": ["arn:aws:dynamodb:us-east-1:1:t"]},
            {
                "Effect": "Allow",
                "Action": ["sqs:SendMessage"],
                "Resource": ["*"],
                "Condition": {"StringEquals": {"s3:prefix": ["x/"]}},
            },
        ],
    }
    issues = {issue for issue, _ in findings("aws:iam/rolePolicy:RolePolicy", bad)}
    assert {"UNKNOWN_ACTION", "INVALID_ARN", "UNKNOWN_CONDITION_FOR_ACTION", "RESOURCE_STAR"} <= issues


SERVICE_PRINCIPALS_ACTING_FOR_OUR_RESOURCES = ("scheduler.amazonaws.com", "events.amazonaws.com")


def test_a_service_may_assume_a_role_only_for_this_accounts_own_resource(dev: Recorder) -> None:
    """No confused deputy: a schedule or rule of another account cannot borrow our roles."""
    checked = 0
    for role in dev.of("aws:iam/role:Role"):
        [statement] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        if statement["Principal"].get("Service") not in SERVICE_PRINCIPALS_ACTING_FOR_OUR_RESOURCES:
            continue
        condition = statement["Condition"]
        assert condition["StringEquals"] == {"aws:SourceAccount": ACCOUNT}, role.name
        assert condition["ArnLike"]["aws:SourceArn"].split(":")[4] == ACCOUNT, role.name
        checked += 1
    # The scheduler's, the alarm forwarding's and the consumers' forwarding role.
    assert checked == 3


def test_every_service_principal_in_the_key_policy_is_bound_to_this_account(dev: Recorder) -> None:
    policy = json.loads(dev.named("aws:kms/key:Key", "storage-key").inputs["policy"])
    for statement in policy["Statement"]:
        if "Service" not in statement["Principal"]:
            continue
        bound = json.dumps(statement.get("Condition", {}))
        assert ACCOUNT in bound, statement["Sid"]
        assert "aws:SourceArn" in bound or "kms:EncryptionContext" in bound, statement["Sid"]
