"""The runbook walked on the rehearsed stack through the deployed-stack path: every procedure of
`docs/runbook.md` is called with `--stack local --outputs FILE`, as an operator calls it with a
deployed stack's `pulumi stack output --json`, while a day of the sample company runs through.

Each procedure has its own detailed test beside this one; this walk shows that all of them work
from the outputs alone, in the order an operator meets them on a new stack."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
import pytest
from ior_contracts import examples
from ior_contracts.fees import fiscal_year_period
from ior_tools.runtime.stack import LocalStack
from typer.testing import Result

from tests.ops.conftest import ior
from tests.ops.test_fees import TEST_CITATION


@pytest.fixture
def deployed(outputs: str) -> Any:
    """`ior` against the stack known by its outputs file only."""

    def call(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
        return ior(*args, "--stack", "local", "--outputs", outputs, stdin=stdin, env=env)

    return call


def second_day(sample: Path) -> date:
    return date.fromisoformat(json.loads((sample / "manifest.json").read_text())["business_dates"][1])


def test_every_runbook_procedure_works_from_the_stacks_outputs(
    stack: LocalStack, sample: Path, deployed: Any, tmp_path: Path
) -> None:
    day = second_day(sample)

    # First-stack bootstrap: the first admin, the legacy users migrated, the list, one locked out.
    added = deployed(
        "users",
        "add",
        "runbook.admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long runbook passphrase\n",
    )
    assert added.exit_code == 0, added.output
    legacy = tmp_path / "users.json"
    legacy.write_text(json.dumps({"users": [_legacy_user()]}))
    assert deployed("users", "import", str(legacy)).exit_code == 0
    listed = deployed("users", "list")
    assert "runbook.admin" in listed.output
    assert "legacy.lee" in listed.output
    locked = deployed("users", "deactivate", "legacy.lee")
    assert locked.exit_code == 0, locked.output
    assert re.search(r"legacy\.lee\s+│\s+operator\s+│\s+no", deployed("users", "list").output)

    # Reference data: the fee notices landed, the next fiscal years recorded (test figures), listed.
    assert deployed("ingest", "--source", "CBP_FEES", "--wait", "60").exit_code == 0
    for year in _fiscal_years_through(datetime.now(UTC).date() + timedelta(days=45)):
        recorded = deployed(
            "fees", "add", "--fiscal-year", str(year), "--mpf-rate", "0.003464", "--mpf-min", "34.00",
            "--mpf-max", "660.00", "--hmf-rate", "0.00125", "--citation", TEST_CITATION, "--by", "runbook",
        )  # fmt: skip
        assert recorded.exit_code == 0, recorded.output
    assert "90 FR 34665" in deployed("fees", "list").output

    # A day of the sample through both paths, to its comparison report.
    ran = deployed("run", "--date", day.isoformat(), "--legacy", str(sample / "legacy"), "--wait", "240")
    assert ran.exit_code == 0, ran.output
    stack.wait_idle(timeout=120)

    # Health.
    checked = deployed("status", "--check")
    assert checked.exit_code == 0, checked.output
    assert "healthy" in checked.output

    # emit, validated against its contract.
    emitted = deployed(
        "emit", "customs.run.requested.v1",
        "--data", json.dumps({"business_date": day.isoformat(), "mode": "automated", "reason": "runbook",
                              "requested_by": "runbook"}),
    )  # fmt: skip
    assert emitted.exit_code == 0, emitted.output

    # Replay a window to one stage.
    replayed = deployed(
        "replay",
        "--stage",
        "compare",
        "--since",
        (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "--wait",
        "60",
    )
    assert replayed.exit_code == 0, replayed.output

    # DLQ: a comparison request that gave up is shown, then redriven to its queue and handled.
    subscription, queue = _compare_requests(stack)
    event = examples.load("compare.comparison.requested.v1")
    event["detail"]["data"]["business_date"] = day.isoformat()
    stack.client("sqs").send_message(QueueUrl=queue.dlq_url, MessageBody=json.dumps(event))
    shown = deployed("dlq", "show", subscription)
    assert shown.exit_code == 0, shown.output
    assert "compare.comparison.requested.v1" in shown.output
    redriven = deployed("dlq", "redrive", subscription)
    assert redriven.exit_code == 0, redriven.output
    stack.wait_idle(timeout=120)

    # Cutover: the gate's state, a request below the streak refused, a forced one rolled back.
    assert re.search(r"state\s+│\s+shadow", deployed("cutover", "status").output)
    refused = deployed(
        "cutover", "cutover", "--effective-date", "2031-01-06", "--reason", "runbook", "--as", "lead"
    )
    assert refused.exit_code == 1, refused.output
    assert "refused" in refused.output
    forced = deployed(
        "cutover",
        "cutover",
        "--effective-date",
        "2031-01-06",
        "--reason",
        "runbook drill",
        "--force",
        "--as",
        "lead",
    )
    assert forced.exit_code == 0, forced.output
    back = deployed(
        "cutover", "rollback", "--effective-date", "2031-01-07", "--reason", "runbook drill", "--as", "lead"
    )
    assert back.exit_code == 0, back.output

    # The sign-off and the shadow validation, from what the stack published.
    report = tmp_path / "signoff.md"
    signed = deployed(
        "parity-report", "--from", day.isoformat(), "--to", day.isoformat(), "--out", str(report)
    )
    assert signed.exit_code == 0, signed.output
    assert day.isoformat() in report.read_text()
    shadow = deployed("shadow-report", "--date", day.isoformat())
    assert shadow.exit_code == 0, shadow.output
    assert "product-master" in shadow.output
    assert "transactions" in shadow.output

    # Secrets: versions shown without values, the JWT key rotated.
    assert "AWSCURRENT" in deployed("secrets", "versions", "sap").output
    rotated = deployed("secrets", "rotate", "jwt", "--yes")
    assert rotated.exit_code == 0, rotated.output

    # A table restored next to its source, with the switch explained.
    to = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)
    restored = deployed("table", "restore", "customs", "--to", to.isoformat())
    assert restored.exit_code == 0, restored.output
    target = f"{stack.naming.table('customs')}-restored-{to.strftime('%Y%m%dT%H%M%SZ')}"
    assert f"tableOverrides.customs' {target}" in restored.output
    stack.client("dynamodb").delete_table(TableName=target)

    # Deploy rollback: with `live` on the newest published version, it goes back to the one before.
    client, function = stack.client("lambda"), stack.outputs["apiFunction"]
    client.update_function_configuration(FunctionName=function, Description="runbook deploy")
    client.publish_version(FunctionName=function)
    versions = sorted(
        int(v["Version"]) for v in client.list_versions_by_function(FunctionName=function)["Versions"]
        if v["Version"] != "$LATEST"
    )  # fmt: skip
    client.update_alias(FunctionName=function, Name="live", FunctionVersion=str(versions[-1]))
    rolled = deployed("deploy", "rollback")
    assert rolled.exit_code == 0, rolled.output
    assert client.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == str(versions[-2])
    client.update_alias(FunctionName=function, Name="live", FunctionVersion=str(versions[-1]))


def _legacy_user() -> dict[str, Any]:
    hashed = bcrypt.hashpw(b"legacy lee's password", bcrypt.gensalt(rounds=4)).decode()
    return {"username": "legacy.lee", "password_hash": hashed, "role": "operator", "active": True}


def _fiscal_years_through(last: date) -> list[int]:
    years, year = [], 2027
    while fiscal_year_period(year)[0] <= last:
        years.append(year)
        year += 1
    return years


def _compare_requests(stack: LocalStack) -> tuple[str, Any]:
    """The subscription that takes comparison requests, and its queue."""
    for name, route in stack.routes.items():
        if "compare.comparison.requested.v1" in route.pattern.get("detail-type", []):
            return name, route.queue
    raise AssertionError("no subscription takes compare.comparison.requested.v1")
