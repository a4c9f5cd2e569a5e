"""A stack `ior` operates, known by its outputs (`pulumi stack output --json`), with AWS reached
through the usual credential chain. The same code serves a deployed stack and the local one: the
local stack is the program deployed into moto (the rehearsal), which writes the same outputs, and
`ior` reaches it through the same chain pointed at moto (its endpoint and administrator).

Procedures that change a stack call AWS as the operator role the program defines
(`operatorRole`); the others as the caller."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.config import Config

from ior_tools.runtime.state import NoStackError, StackState, home

LOCAL_OUTPUTS = "outputs.json"


class NoOutputsError(RuntimeError):
    """Neither an outputs file, a running local stack nor the Pulumi CLI says what the stack is."""


@dataclass
class Target:
    stage: str
    outputs: dict[str, Any]
    # Where AWS answers when it is not AWS itself (the local stack's moto), and as whom.
    endpoint_url: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)
    _operator: dict[str, str] | None = None
    _clients: dict[tuple[str, bool], Any] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return str(self.outputs.get("region") or os.environ.get("AWS_REGION") or "us-east-1")

    @property
    def rehearsal(self) -> bool:
        """Whether this is the local stack (moto): a few AWS features are missing there, and the
        procedures that need them say so and fall back."""
        host = urlparse(self.endpoint_url).hostname if self.endpoint_url else None
        return host in ("127.0.0.1", "localhost")

    @property
    def home(self) -> Path:
        """Where the local stack keeps what moto cannot (its event log)."""
        return home(self.stage)

    def client(self, name: str, *, operator: bool = False) -> Any:
        """A boto3 client as the caller, or as the operator role for a change."""
        key = (name, operator)
        if key not in self._clients:
            credentials = self._operator_credentials() if operator else self.credentials
            self._clients[key] = boto3.client(  # type: ignore[call-overload]
                name,
                region_name=self.region,
                endpoint_url=self.endpoint_url,
                config=Config(retries={"max_attempts": 3, "mode": "standard"}),
                **credentials,
            )
        return self._clients[key]

    def _operator_credentials(self) -> dict[str, str]:
        if self._operator is None:
            role = self.outputs["operatorRole"]
            got = self.client("sts").assume_role(RoleArn=role, RoleSessionName=f"ior-{os.getpid()}")
            c = got["Credentials"]
            self._operator = {
                "aws_access_key_id": c["AccessKeyId"],
                "aws_secret_access_key": c["SecretAccessKey"],
                "aws_session_token": c["SessionToken"],
            }
        return self._operator

    def table(self, service: str) -> str:
        return str(self.outputs["tables"][service])

    def services(self) -> dict[str, str]:
        """Subscription → the service it belongs to (a stage's rules are its service's)."""
        return {str(k): str(v) for k, v in self.outputs["services"].items()}


def queue_arn(url: str) -> str:
    """An SQS queue's ARN from its URL (`…/<account>/<name>`), in the URL's region."""
    parsed = urlparse(url)
    account, name = parsed.path.strip("/").split("/")[-2:]
    host = parsed.hostname or ""
    region = host.split(".")[1] if host.startswith("sqs.") else os.environ.get("AWS_REGION", "us-east-1")
    return f"arn:aws:sqs:{region}:{account}:{name}"


def resolve(stage: str, outputs: Path | None = None) -> Target:
    """The stack `stage`: its outputs from `outputs`, else from the local stack running it, else
    from `pulumi stack output --json`; AWS through the usual chain (the local stack's when it is
    the one running)."""
    local = _local_state(stage)
    if outputs is not None:
        found = json.loads(outputs.read_text())
    elif local is not None:
        found = json.loads((home(stage) / LOCAL_OUTPUTS).read_text())
    else:
        found = _pulumi_outputs(stage)
    if local is not None:
        credentials = {"aws_access_key_id": local.admin_key, "aws_secret_access_key": local.admin_secret}
        return Target(stage, found, endpoint_url=local.endpoint, credentials=credentials)
    return Target(stage, found, endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))


def _local_state(stage: str) -> StackState | None:
    try:
        return StackState.read(stage)
    except NoStackError:
        return None


def _pulumi_outputs(stage: str) -> dict[str, Any]:
    if shutil.which("pulumi") is None:
        raise NoOutputsError(
            f"no local stack {stage!r} is running and the Pulumi CLI is not on PATH: give the stack's "
            f"outputs with --outputs FILE (`pulumi stack output --json --stack {stage} > FILE`)"
        )
    done = subprocess.run(
        ["pulumi", "stack", "output", "--json", "--stack", stage], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise NoOutputsError(f"pulumi stack output --stack {stage}: {done.stderr.strip()}")
    found: dict[str, Any] = json.loads(done.stdout)
    return found
