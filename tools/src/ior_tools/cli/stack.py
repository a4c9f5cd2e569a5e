"""`ior stack init STAGE`: a new Pulumi stack with every value and secret the program checks for.

Printed, it is a shell script to read and run: the secrets it generates (the session-signing key,
the origin header) are made by the shell when it runs, and the SAP and Slack values are read from
the environment, so no secret is ever printed or put on a command line. With `--run` it runs the
same steps itself through the Pulumi CLI, passing each secret on standard input."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer
from ior_infra.config_schema import default_on, secret_key

from ior_tools.cli.common import console, err

app = typer.Typer(
    help="Pulumi stacks: create one with every value and secret it needs.", no_args_is_help=True
)

# Where the secrets' values come from when the script runs (never the command line).
SAP_ENV = {"base_url": "IOR_SAP_BASE_URL", "username": "IOR_SAP_USERNAME", "password": "IOR_SAP_PASSWORD"}
SLACK_ENV = "IOR_SLACK_WEBHOOK_URL"


@dataclass(frozen=True)
class SecretValue:
    """A secret's JSON document: made by `make` when run here, by `shell` (a command whose output is
    the document) in the printed script."""

    make: Callable[[], str]
    shell: str


def _env_document(fields: dict[str, str]) -> SecretValue:
    def make() -> str:
        return json.dumps({field: _from_env_or_prompt(var) for field, var in fields.items()})

    pairs = ", ".join(f'"{field}": os.environ["{var}"]' for field, var in fields.items())
    return SecretValue(make, f"python3 -c 'import json, os; print(json.dumps({{{pairs}}}))'")


def _generated(field: str) -> SecretValue:
    def make() -> str:
        return json.dumps({field: secrets.token_urlsafe(48)})

    command = f'import json, secrets; print(json.dumps({{"{field}": secrets.token_urlsafe(48)}}))'
    return SecretValue(make, f"python3 -c '{command}'")


SECRET_VALUES: dict[str, SecretValue] = {
    "sap": _env_document(SAP_ENV),
    "jwt": _generated("signing_key"),
    "slack": _env_document({"webhook_url": SLACK_ENV}),
    "origin": _generated("value"),
}


def _from_env_or_prompt(var: str) -> str:
    value = os.environ.get(var)
    if value:
        return value
    return str(typer.prompt(var, hide_input="PASSWORD" in var or "WEBHOOK" in var))


@dataclass(frozen=True)
class Step:
    """One Pulumi command; `secret` names the stack secret it sets from standard input."""

    argv: tuple[str, ...]
    secret: str | None = None

    def script_line(self) -> str:
        line = shlex.join(self.argv)
        return f"{SECRET_VALUES[self.secret].shell} | {line}" if self.secret else line


def steps(
    stage: str,
    *,
    region: str,
    alert_emails: list[str],
    nat_gateway: bool,
    waf: bool,
    bucket_suffix: str | None,
) -> list[Step]:
    """Every command a new stack needs, in order: the stack, its plain values, its secrets."""
    cfg = ("pulumi", "config", "set", "--stack", stage)
    found = [
        Step(("pulumi", "stack", "init", stage, "--secrets-provider", "passphrase")),
        Step((*cfg, "aws:region", region)),
        *(Step((*cfg, "--path", f"alertEmails[{i}]", email)) for i, email in enumerate(alert_emails)),
        Step((*cfg, "natGateway", json.dumps(nat_gateway))),
        Step((*cfg, "waf", json.dumps(waf))),
    ]
    if nat_gateway:
        found += [
            Step((*cfg, "--path", f"availabilityZones[{i}]", f"{region}{z}")) for i, z in enumerate("ab")
        ]
    if bucket_suffix:
        found.append(Step((*cfg, "bucketSuffix", bucket_suffix)))
    found += [Step((*cfg, "--secret", secret_key(name)), secret=name) for name in SECRET_VALUES]
    return found


@app.command("init")
def init(
    stage: Annotated[str, typer.Argument(help="The stack: dev, staging or prod.")],
    alert_email: Annotated[
        list[str], typer.Option("--alert-email", help="An on-call address for the alert topics (repeatable).")
    ],
    region: Annotated[str, typer.Option(help="The stack's AWS region.")] = "us-east-1",
    nat: Annotated[
        bool | None,
        typer.Option("--nat/--no-nat", help="The VPC and NAT gateway (default: on for prod only)."),
    ] = None,
    waf: Annotated[
        bool | None, typer.Option("--waf/--no-waf", help="The WAF (default: on for prod only).")
    ] = None,
    bucket_suffix: Annotated[
        str | None, typer.Option(help="Makes bucket names global (default: the account id).")
    ] = None,
    run: Annotated[bool, typer.Option("--run", help="Run the commands instead of printing them.")] = False,
) -> None:
    """Create a stack and set every value and secret the program checks for. Its passphrase is
    PULUMI_CONFIG_PASSPHRASE (one per stack); SAP and Slack values come from IOR_SAP_BASE_URL,
    IOR_SAP_USERNAME, IOR_SAP_PASSWORD and IOR_SLACK_WEBHOOK_URL, or a prompt."""
    planned = steps(
        stage,
        region=region,
        alert_emails=alert_email,
        nat_gateway=default_on(stage) if nat is None else nat,
        waf=default_on(stage) if waf is None else waf,
        bucket_suffix=bucket_suffix,
    )
    if not run:
        console.print("#!/usr/bin/env bash", highlight=False)
        console.print(
            "set -euo pipefail  # export PULUMI_CONFIG_PASSPHRASE and the IOR_* values first", highlight=False
        )
        for step in planned:
            console.print(step.script_line(), highlight=False, soft_wrap=True)
        return
    if shutil.which("pulumi") is None:
        err.print("[red]the Pulumi CLI is not on PATH; run without --run and execute the script[/red]")
        raise typer.Exit(2)
    for step in planned:
        value = SECRET_VALUES[step.secret].make() if step.secret else None
        done = subprocess.run(step.argv, input=value, text=True, check=False)
        if done.returncode != 0:
            err.print(f"[red]failed: {shlex.join(step.argv)}[/red]")
            raise typer.Exit(done.returncode)
    console.print(f"stack {stage} is configured; `pulumi preview --stack {stage}` checks it")
