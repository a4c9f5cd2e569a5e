"""Runs the Pulumi program offline against recording mocks: every resource's inputs, resolved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
from ior_contracts.topology import SECRETS
from ior_infra.config_schema import secret_key
from pulumi.runtime.mocks import MockMonitor

PROJECT = "ior-pipeline"
ACCOUNT = "111122223333"
REGION = "us-east-1"
ALERT_EMAILS = ("oncall@ior.test", "customs-lead@ior.test")
COMPARISON_FAIL_RATE = 0.15
SENTINEL = "sentinel-9f3c1e7a"
# Two downstream accounts: one takes the data-ready families, one the discrepancies.
DATA_CONSUMER = "444455556666"
DISCREPANCY_CONSUMER = "777788889999"
CONSUMERS = [
    {"account": DATA_CONSUMER, "families": ["etl.dataset", "customs.lines"], "bus": "ior-inbox"},
    {"account": DISCREPANCY_CONSUMER, "families": ["compare.discrepancy"]},
]


@dataclass(frozen=True)
class Declared:
    typ: str
    name: str
    inputs: dict[str, Any]
    state: dict[str, Any]
    provider: str | None = None
    # The resource options the engine sees: explicit dependencies (by logical name) and protection.
    depends_on: tuple[str, ...] = ()
    protect: bool = False
    retain_on_delete: bool = False
    # The inputs Pulumi keeps secret in its state (their values are unwrapped in `inputs`).
    secret_inputs: frozenset[str] = frozenset()
    # The inputs whose later changes `pulumi up` leaves alone.
    ignore_changes: tuple[str, ...] = ()


# Pulumi's marker of a secret value on the wire: {SECRET_SIG: SECRET_VALUE, "value": ...}.
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"


def unwrap(value: Any) -> tuple[Any, bool]:
    """A value with Pulumi's secret markers removed, and whether any was found."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) == SECRET_VALUE:
            return unwrap(value["value"])[0], True
        pairs = {k: unwrap(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [unwrap(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


class RecordingMonitor(MockMonitor):
    """The mock engine, also keeping what the mocks' arguments leave out: each registration's
    explicit dependencies and its protection flags."""

    def __init__(self, mocks: Recorder) -> None:
        super().__init__(mocks)
        self.options: dict[tuple[str, str], tuple[tuple[str, ...], bool, bool, tuple[str, ...]]] = {}

    def RegisterResource(self, request: Any) -> Any:
        names = tuple(sorted(urn.rsplit("::", 1)[1] for urn in request.dependencies))
        ignored = tuple(request.ignoreChanges)
        self.options[(request.type, request.name)] = (names, request.protect, request.retainOnDelete, ignored)
        return super().RegisterResource(request)


# ARNs as AWS makes them, so policies naming them read as they would in a deployment.
ARNS = {
    "aws:cloudwatch/eventBus:EventBus": "arn:aws:events:{r}:{a}:event-bus/{n}",
    "aws:cloudwatch/eventArchive:EventArchive": "arn:aws:events:{r}:{a}:archive/{n}",
    "aws:cloudwatch/eventRule:EventRule": "arn:aws:events:{r}:{a}:rule/{bus}{n}",
    "aws:cloudwatch/logGroup:LogGroup": "arn:aws:logs:{r}:{a}:log-group:{n}",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "arn:aws:cloudwatch:{r}:{a}:alarm:{n}",
    "aws:sns/topic:Topic": "arn:aws:sns:{r}:{a}:{n}",
    "aws:kms/key:Key": "arn:aws:kms:{r}:{a}:key/0f1e2d3c-{n}",
    "aws:secretsmanager/secret:Secret": "arn:aws:secretsmanager:{r}:{a}:secret:{n}-AbCdEf",
    "aws:iam/role:Role": "arn:aws:iam::{a}:role/{n}",
    "aws:lambda/function:Function": "arn:aws:lambda:{r}:{a}:function:{n}",
    "aws:lambda/alias:Alias": "arn:aws:lambda:{r}:{a}:function:{function}:{n}",
    "aws:lambda/layerVersion:LayerVersion": "arn:aws:lambda:{r}:{a}:layer:{layer}:1",
    "aws:scheduler/schedule:Schedule": "arn:aws:scheduler:{r}:{a}:schedule/{group}/{n}",
    "aws:scheduler/scheduleGroup:ScheduleGroup": "arn:aws:scheduler:{r}:{a}:schedule-group/{n}",
    "aws:wafv2/webAcl:WebAcl": "arn:aws:wafv2:us-east-1:{a}:global/webacl/{n}/0f1e2d3c",
    "aws:cloudfront/function:Function": "arn:aws:cloudfront::{a}:function/{n}",
}


def _arn_parts(inputs: dict[str, Any]) -> dict[str, str]:
    bus = inputs.get("eventBusName")
    return {
        "bus": f"{bus}/" if bus and bus != "default" else "",
        "function": str(inputs.get("functionName", "")),
        "layer": str(inputs.get("layerName", "")),
        "group": str(inputs.get("groupName", "default")),
    }


@dataclass
class Recorder(pulumi.runtime.Mocks):
    resources: list[Declared] = field(default_factory=list)

    monitor: RecordingMonitor | None = None

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        # A read (`Resource.get`) names the existing resource by its id.
        name = args.resource_id or args.inputs.get("name") or args.inputs.get("bucket") or args.name
        service = args.typ.split(":")[1].split("/")[0]
        state.setdefault("name", name)
        if service == "s3":
            state["arn"] = f"arn:aws:s3:::{name}"
            state.setdefault("bucket", name)
        elif service == "dynamodb":
            state["arn"] = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
        elif service == "sqs":
            state["arn"] = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
            state["url"] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        elif service == "apigatewayv2" and args.typ.endswith(":Api"):
            state["apiEndpoint"] = f"https://{args.name}.execute-api.{REGION}.amazonaws.com"
            state["executionArn"] = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{args.name}"
            state["arn"] = f"arn:aws:apigateway:{REGION}::/apis/{args.name}"
        elif args.typ == "aws:cloudfront/distribution:Distribution":
            state["domainName"] = f"d-{args.name}.cloudfront.net"
            state["arn"] = f"arn:aws:cloudfront::{ACCOUNT}:distribution/{args.name}"
        elif args.typ in ARNS:
            state["arn"] = ARNS[args.typ].format(r=REGION, a=ACCOUNT, n=name, **_arn_parts(args.inputs))
        else:
            state["arn"] = f"arn:aws:{service}:{REGION}:{ACCOUNT}:{args.typ.rsplit(':', 1)[1].lower()}/{name}"
        depends_on, protect, retain, ignored = (
            self.monitor.options.get((args.typ, args.name), ((), False, False, ()))
            if self.monitor
            else ((), False, False, ())
        )
        inputs: dict[str, Any] = {}
        secret: set[str] = set()
        for key, raw in args.inputs.items():
            inputs[key], hidden = unwrap(raw)
            if hidden:
                secret.add(key)
        self.resources.append(
            Declared(
                args.typ,
                args.name,
                inputs,
                state,
                args.provider,
                depends_on,
                protect,
                retain,
                frozenset(secret),
                ignored,
            )
        )
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT,
                "arn": f"arn:aws:iam::{ACCOUNT}:root",
                "userId": ACCOUNT,
                "id": ACCOUNT,
            }, []
        return {}, []

    def of(self, typ: str) -> list[Declared]:
        return [r for r in self.resources if r.typ == typ]

    def named(self, typ: str, name: str) -> Declared:
        found = [r for r in self.of(typ) if r.name == name]
        assert len(found) == 1, f"{typ} {name}: declared {len(found)} times"
        return found[0]


def stack_config(**values: Any) -> dict[str, str]:
    """A complete stack configuration (every secret a sentinel), with `values` set over it; a value
    of None leaves the key out."""
    config: dict[str, Any] = {
        "aws:region": REGION,
        "alertEmails": list(ALERT_EMAILS),
        "comparisonFailRate": COMPARISON_FAIL_RATE,
        "consumers": CONSUMERS,
        "availabilityZones": [f"{REGION}a", f"{REGION}b"],
        **{secret_key(k): json.dumps({"value": f"{SENTINEL}-{k}"}) for k in SECRETS},
        **values,
    }
    return {
        (k if ":" in k else f"{PROJECT}:{k}"): v if isinstance(v, str) else json.dumps(v)
        for k, v in config.items()
        if v is not None
    }


def run_stack(stage: str, recorder: Recorder | None = None, **values: Any) -> Recorder:
    """The program for `stage` under the recording mocks, configured as `stack_config(**values)`."""
    from ior_infra.program import main

    config = stack_config(**values)
    secrets = [f"{PROJECT}:{secret_key(k)}" for k in SECRETS]
    pulumi.runtime.set_all_config(config, [s for s in secrets if s in config])
    recorder = recorder or Recorder()
    recorder.monitor = RecordingMonitor(recorder)
    pulumi.runtime.set_mocks(recorder, project=PROJECT, stack=stage, preview=False, monitor=recorder.monitor)

    # `runtime.test` runs the program and waits for every resource to be registered.
    def program() -> None:
        main()

    pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]
    return recorder
