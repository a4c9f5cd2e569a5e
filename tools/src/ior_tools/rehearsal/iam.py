"""IAM in the rehearsal, as far as moto can evaluate it.

The program is deployed by a local administrator (an IAM user with every action); then moto's IAM
enforcement is switched on and every function calls AWS as its own role, assumed through STS, so
a permission the program forgot fails the call, as it would in AWS.

What moto (5.2) evaluates of a policy, read from its `moto/iam/access_control.py`:
- the action, for every service (a batch call by its own name: `sqs:DeleteMessageBatch`, where IAM
  authorises it as `sqs:DeleteMessage`; a DynamoDB transaction as `dynamodb:TransactWriteItems`,
  which IAM does not have: it authorises each item's own action);
- the resource only for S3 (bucket and key ARNs), SQS (the queue ARN; `*` for a queue being
  created and for GetQueueUrl, whose request names the queue in a parameter moto does not read)
  and IAM/STS (the role a caller assumes, with the role's trust policy); every other service is
  asked about `*`, so a statement naming a DynamoDB table, a bus, a topic, a secret or a key never
  matches;
- no condition (a condition's keys get no values, and a condition without values passes);
- of resource policies, only a bucket's, and only its action and resource: a conditional Deny
  (the TLS-only statement every bucket carries) applies to every request, whatever the transport.

So the rehearsal gives moto a view of each policy it can evaluate: in a role's, statements for S3,
SQS, IAM and STS keep their resources and the others name `*`; in a bucket's, a Deny that holds
only under a condition is left out. moto never asks a resource policy for an Allow, so a request
from another account (a downstream consumer) would need only its own account's IAM, and a rule
would deliver to another account's bus unasked: the rehearsal adds AWS's rules that the bucket's
policy must also allow that account the action on the object, and that the receiving bus's policy
must allow the sending account `events:PutEvents` (`resource_policy_allows`). A missing action of
any service, a missing S3 prefix or a missing queue fails a call; the resources of other services,
the conditions and the other resource policies (keys, queues) stay covered by the mocks tests and
the policy linter (`tests/infra`)."""

from __future__ import annotations

import copy
import fnmatch
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# Services whose resource ARNs moto compares with a statement's Resource.
RESOURCE_EVALUATED = frozenset({"s3", "sqs", "iam", "sts"})
# Actions moto asks about `*` even in those services: a queue being created has no ARN to it yet, and
# moto finds a queue's ARN from `QueueUrl` only, which GetQueueUrl's request does not carry.
ASKED_ABOUT_ANY = frozenset({"sqs:CreateQueue", "sqs:GetQueueUrl"})
# moto names the action of a batch call after the call; IAM authorises it by the single action.
BATCH_CALLS = {
    "sqs:DeleteMessage": "sqs:DeleteMessageBatch",
    "sqs:SendMessage": "sqs:SendMessageBatch",
    "sqs:ChangeMessageVisibility": "sqs:ChangeMessageVisibilityBatch",
}
# moto asks about a DynamoDB transaction by the call's name; IAM asks about each item's action, so
# a statement allowing all of these allows any transaction moto might ask about.
TRANSACTIONS = {
    "dynamodb:TransactWriteItems": frozenset(
        {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}
    ),
    "dynamodb:TransactGetItems": frozenset({"dynamodb:GetItem"}),
}
ADMIN_USER = "ior-local-admin"


def moto_view(policy: str) -> str:
    """The policy as moto can evaluate it (see the module's docstring)."""
    document = json.loads(policy)
    statements = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    viewed = []
    for statement in statements:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else list(actions)
        actions += [BATCH_CALLS[a] for a in actions if a in BATCH_CALLS]
        actions += [call for call, needs in TRANSACTIONS.items() if needs <= set(actions)]
        services = {a.split(":", 1)[0] for a in actions}
        if not services <= RESOURCE_EVALUATED:
            viewed.append({**statement, "Action": actions, "Resource": "*"})
            continue
        anywhere = [a for a in actions if a in ASKED_ABOUT_ANY]
        scoped = [a for a in actions if a not in ASKED_ABOUT_ANY]
        if scoped:
            viewed.append({**statement, "Action": scoped})
        if anywhere:
            sid = f"{statement['Sid']}Anywhere" if "Sid" in statement else None
            viewed.append({**statement, **({"Sid": sid} if sid else {}), "Action": anywhere, "Resource": "*"})
    return json.dumps({**document, "Statement": viewed})


def moto_bucket_view(policy: str) -> str:
    """A bucket policy as moto can evaluate it: without the Deny statements that hold only under a
    condition (moto would apply them to every request)."""
    document = json.loads(policy)
    kept = [s for s in document["Statement"] if not (s.get("Effect") == "Deny" and s.get("Condition"))]
    return json.dumps({**document, "Statement": kept})


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None
    principal: str = ""

    def environment(self) -> dict[str, str]:
        found = {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            found["AWS_SESSION_TOKEN"] = self.session_token
        return found

    def client_kwargs(self) -> dict[str, str]:
        found = {"aws_access_key_id": self.access_key_id, "aws_secret_access_key": self.secret_access_key}
        if self.session_token:
            found["aws_session_token"] = self.session_token
        return found


def create_admin(iam: Any) -> Credentials:
    """The local administrator who deploys the program and runs the harness."""
    user = iam.create_user(UserName=ADMIN_USER)["User"]
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(
        UserName=ADMIN_USER, PolicyName="administrator", PolicyDocument=json.dumps(everything)
    )
    key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
    return Credentials(key["AccessKeyId"], key["SecretAccessKey"], principal=user["Arn"])


def assume(sts: Any, role_arn: str, session: str) -> Credentials:
    """The role's temporary credentials, as Lambda (or Scheduler) would get them."""
    got = sts.assume_role(RoleArn=role_arn, RoleSessionName=session[:64])["Credentials"]
    return Credentials(got["AccessKeyId"], got["SecretAccessKey"], got["SessionToken"], principal=role_arn)


@contextmanager
def enforced() -> Iterator[None]:
    """moto's IAM enforcement for the local stack's server, which runs in this process: requests
    addressed to it (loopback) are checked; an in-process mock's (a test's own moto) are not."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.events.models import Rule
    from moto.iam.access_control import IAMRequestBase

    previous = settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count
    authorize = ActionAuthenticatorMixin._authenticate_and_authorize_action
    authorize_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action
    unsigned = IAMRequestBase._create_aws_request
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _served_only(authorize)  # type: ignore[method-assign]
    owner_decides = _owner_grants_other_accounts(authorize_s3)
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = owner_decides  # type: ignore[method-assign]
    send = Rule.send_to_targets
    Rule.send_to_targets = _receiving_bus_decides(send)  # type: ignore[method-assign]
    IAMRequestBase._create_aws_request = _as_signed(unsigned)  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count = previous
        ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize  # type: ignore[method-assign]
        ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = authorize_s3  # type: ignore[method-assign]
        Rule.send_to_targets = send  # type: ignore[method-assign]
        IAMRequestBase._create_aws_request = unsigned  # type: ignore[method-assign]


def resource_policy_allows(policy: str | None, account: str, action: str, resource: str) -> bool:
    """Whether a resource's policy (a bucket's, a bus's) lets principals of `account` (another
    account than the resource's) do `action` on `resource`: an Allow naming the account (its root
    or its id) and matching both, and no Deny naming it that matches."""
    if not policy:
        return False
    statements = json.loads(policy)["Statement"]
    root = f"arn:aws:iam::{account}:root"
    allowed = False
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal")
        names = principal.get("AWS", []) if isinstance(principal, dict) else principal
        names = [names] if isinstance(names, str) else list(names or [])
        if root not in names and "*" not in names and account not in names:
            continue
        if not (_matches(statement.get("Action"), action) and _matches(statement.get("Resource"), resource)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = True
    return allowed


def _receiving_bus_decides(send: Callable[..., None]) -> Callable[..., None]:
    """A rule delivers to a bus of another account only if that bus's policy lets the rule's
    account put events on it; otherwise EventBridge fails the delivery (nothing arrives)."""

    def send_where_allowed(rule: Any, event: Any, transform_input: bool = True) -> None:
        from moto.events.models import events_backends
        from moto.utilities.arns import parse_arn

        allowed = []
        for target in rule.targets:
            arn = parse_arn(target["Arn"])
            other_account = arn.account != rule.account_id
            if arn.service == "events" and arn.resource_type == "event-bus" and other_account:
                bus = events_backends[arn.account][arn.region].event_buses.get(arn.resource_id)
                policy = bus.policy if bus is not None else None
                if not resource_policy_allows(policy, rule.account_id, "events:PutEvents", target["Arn"]):
                    continue
            allowed.append(target)
        if len(allowed) == len(rule.targets):
            send(rule, event, transform_input)
            return
        delivering = copy.copy(rule)
        delivering.targets = allowed
        send(delivering, event, transform_input)

    return send_where_allowed


def _matches(patterns: Any, value: str) -> bool:
    listed = [patterns] if isinstance(patterns, str) else list(patterns or [])
    return any(fnmatch.fnmatchcase(value, pattern) for pattern in listed)


def _owner_grants_other_accounts(authorize_s3: Callable[..., None]) -> Callable[..., None]:
    """An S3 request from another account than the bucket's also needs the bucket policy's Allow."""

    def authorize_with_owner(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        authorize_s3(self, bucket_name=bucket_name, key_name=key_name)
        if not bucket_name or not str(self.headers.get("Host", "")).startswith(("127.0.0.1", "localhost")):
            return
        from moto.s3.exceptions import BucketAccessDeniedError
        from moto.s3.models import s3_backends

        owner = s3_backends.bucket_accounts.get(bucket_name)
        caller = self.current_account
        if owner is None or owner[1] == caller:
            return
        bucket = s3_backends[owner[1]][owner[0]].buckets.get(bucket_name)
        policy = bucket.policy.decode() if bucket is not None and bucket.policy else None
        resource = f"arn:aws:s3:::{bucket_name}" + (f"/{key_name}" if key_name else "")
        action = f"s3:{self.data.get('Action', '')}"
        if not resource_policy_allows(policy, caller, action, resource):
            raise BucketAccessDeniedError(bucket=bucket_name)

    return authorize_with_owner


def _served_only(authorize: Callable[..., None]) -> Callable[..., None]:
    """moto's switch is process-wide; the check applies to the server's requests only."""

    def authorize_served(self: Any, *args: Any, **kwargs: Any) -> None:
        host = str(self.headers.get("Host", ""))
        if host.startswith(("127.0.0.1", "localhost")):
            authorize(self, *args, **kwargs)

    return authorize_served


def _as_signed(create: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """moto 5.2 re-signs a bodiless request (a REST GET such as Scheduler's GetSchedule) with its
    parsed query string as the body, so its signature never matches the client's; the client signed
    an empty body, and so does this."""

    def create_as_sent(self: Any) -> Any:
        request = create(self)
        if self._method in ("GET", "HEAD", "DELETE") and not self._body:
            request.data = b""
        return request

    return create_as_sent


@dataclass
class AccessLedger:
    """Calls allowed and denied per principal, counted as the calls leave their clients: the figures
    the closing note quotes. Installed on the default boto3 session of this process."""

    principals: dict[str, str] = field(default_factory=dict)  # access key id → principal
    allowed: Counter[str] = field(default_factory=Counter)
    denied: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)

    def know(self, credentials: Credentials) -> None:
        self.principals[credentials.access_key_id] = credentials.principal

    def install(self) -> None:
        import boto3

        events = boto3._get_default_session().events
        events.register("before-send", self._sent)
        events.register("after-call", self._answered)

    def uninstall(self) -> None:
        import boto3

        events = boto3._get_default_session().events
        events.unregister("before-send", self._sent)
        events.unregister("after-call", self._answered)

    def _sent(self, request: Any, **_: Any) -> None:
        authorization = request.headers.get("Authorization", b"")
        text = authorization.decode() if isinstance(authorization, bytes) else str(authorization)
        key = text.split("Credential=", 1)[1].split("/", 1)[0] if "Credential=" in text else ""
        self._local.principal = self.principals.get(key, "")

    def _answered(self, http_response: Any = None, parsed: Any = None, **_: Any) -> None:
        principal = getattr(self._local, "principal", "")
        if not principal:
            return
        code = (parsed or {}).get("Error", {}).get("Code", "") if isinstance(parsed, dict) else ""
        status = getattr(http_response, "status_code", 0)
        # moto answers a JSON-protocol service's denial in XML, which the client reads as code "403".
        denied = code in ("AccessDenied", "AccessDeniedException") or (
            status == 403 and code != "SignatureDoesNotMatch"
        )
        with self._lock:
            if denied:
                self.denied[principal] += 1
            else:
                self.allowed[principal] += 1

    def figures(self) -> dict[str, dict[str, int]]:
        roles = sorted(set(self.allowed) | set(self.denied))
        return {role: {"allowed": self.allowed[role], "denied": self.denied[role]} for role in roles}
