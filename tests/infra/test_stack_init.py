"""`ior stack init STAGE` configures a new stack so completely that the program's own check passes,
and never prints a secret or puts one on a command line."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from ior_infra.config_schema import check
from ior_tools.cli.main import app
from typer.testing import CliRunner

FAKE_PULUMI = """#!{python}
import json, sys
with open({log!r}, "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "stdin": sys.stdin.read()}}) + "\\n")
"""
SAP = {
    "IOR_SAP_BASE_URL": "https://sap.example/odata",
    "IOR_SAP_USERNAME": "IOR_EXTRACT",
    "IOR_SAP_PASSWORD": "pw-never-on-argv",
    "IOR_SLACK_WEBHOOK_URL": "https://hooks.example/x",
}


def _configured(calls: list[dict[str, Any]]) -> dict[str, Any]:
    """The stack configuration the recorded `pulumi config set` calls leave behind."""
    values: dict[str, Any] = {}
    for call in calls:
        argv = call["argv"]
        if argv[:2] != ["config", "set"]:
            continue
        rest = [a for a in argv[2:] if a not in ("--secret", "--path")]
        rest = rest[2:]  # --stack STAGE
        key, value = rest[0], rest[1] if len(rest) > 1 else call["stdin"]
        if "[" in key:
            name, index = key.rstrip("]").split("[")
            values.setdefault(name, []).insert(int(index), value)
        else:
            values[key] = json.loads(value) if value in ("true", "false") else value
    return values


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_run_sets_every_key_the_program_checks_with_secrets_on_stdin_only(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.jsonl"
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(FAKE_PULUMI.format(python=sys.executable, log=str(log)))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    result = CliRunner().invoke(
        app, ["stack", "init", stage, "--alert-email", "oncall@example.com", "--run"], env=SAP
    )
    assert result.exit_code == 0, result.output
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[0]["argv"] == ["stack", "init", stage, "--secrets-provider", "passphrase"]
    values = _configured(calls)
    check(stage, values)  # the program's own check passes
    assert json.loads(values["secret-sap"]) == {
        "base_url": SAP["IOR_SAP_BASE_URL"], "username": "IOR_EXTRACT", "password": "pw-never-on-argv"
    }  # fmt: skip
    assert len(json.loads(values["secret-jwt"])["signing_key"]) >= 48
    assert json.loads(values["secret-origin"])["value"] != json.loads(values["secret-jwt"])["signing_key"]
    for call in calls:
        assert not any("pw-never-on-argv" in a or "signing_key" in a for a in call["argv"]), call
    assert (stage == "prod") == ("availabilityZones" in values)


def test_the_printed_script_makes_its_secrets_when_it_runs_and_prints_none() -> None:
    result = CliRunner().invoke(app, ["stack", "init", "staging", "--alert-email", "a@example.com"], env=SAP)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    secret_lines = [line for line in lines if "--secret " in line]
    assert len(secret_lines) == 4
    for line in secret_lines:
        producer, command = line.split(" | ")
        assert producer.startswith("python3 -c '"), line
        assert command.split()[-1].startswith("secret-"), line
    assert "pw-never-on-argv" not in result.output
