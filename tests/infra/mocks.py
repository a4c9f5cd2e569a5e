"""Runs the Pulumi program offline against recording mocks: every resource's inputs, resolved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
from ior_contracts.topology import SECRETS
from ior_infra.secrets import config_key

PROJECT = "ior-pipeline"
ACCOUNT = "111122223333"
REGION = "us-east-1"
ALERT_EMAILS = ("oncall@ior.test", "customs-lead@ior.test")
COMPARISON_FAIL_RATE = 0.15
SENTINEL = "sentinel-9f3c1e7a"
READER_ACCOUNT = "444455556666"


@dataclass(frozen=True)
class Declared:
    typ: str
    name: str
    inputs: dict[str, Any]
    state: dict[str, Any]
    provider: str | None = None


@dataclass
class Recorder(pulumi.runtime.Mocks):
    resources: list[Declared] = field(default_factory=list)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        name = args.inputs.get("name") or args.inputs.get("bucket") or args.name
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
        else:
            state["arn"] = f"arn:aws:{service}:{REGION}:{ACCOUNT}:{args.typ.rsplit(':', 1)[1].lower()}/{name}"
        self.resources.append(Declared(args.typ, args.name, dict(args.inputs), state, args.provider))
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


def run_stack(stage: str) -> Recorder:
    from ior_infra.program import main

    config = {
        "aws:region": REGION,
        f"{PROJECT}:alertEmails": json.dumps(list(ALERT_EMAILS)),
        f"{PROJECT}:comparisonFailRate": str(COMPARISON_FAIL_RATE),
        f"{PROJECT}:crossAccountId": READER_ACCOUNT,
        f"{PROJECT}:availabilityZones": json.dumps([f"{REGION}a", f"{REGION}b"]),
        **{f"{PROJECT}:{config_key(k)}": f"{SENTINEL}-{k}" for k in SECRETS},
    }
    pulumi.runtime.set_all_config(config, [f"{PROJECT}:{config_key(k)}" for k in SECRETS])
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project=PROJECT, stack=stage, preview=False)

    # `runtime.test` runs the program and waits for every resource to be registered.
    def program() -> None:
        main()

    pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]
    return recorder
