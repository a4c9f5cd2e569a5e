"""`ior versions prune` on a deployed stack's snapshotted function: the aliased versions and the
newest few stay, the rest go (moto's Lambda, decorator mode)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from ior_tools.cli.main import app
from ior_tools.ops.versions import prune_versions
from moto import mock_aws
from typer.testing import CliRunner

FUNCTION = "ior-dev-api-http"


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        iam = boto3.client("iam")
        role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        client = boto3.client("lambda")
        client.create_function(
            FunctionName=FUNCTION, Runtime="python3.12", Role=role, Handler="handler.handler",
            Code={"ZipFile": _code()},
        )  # fmt: skip
        # Seven deploys, each a published version; `live` on the newest, a rollback alias on the 2nd.
        for deploy in range(1, 8):
            client.update_function_configuration(FunctionName=FUNCTION, Description=f"deploy {deploy}")
            client.publish_version(FunctionName=FUNCTION)
        client.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion="7")
        client.create_alias(FunctionName=FUNCTION, Name="rollback", FunctionVersion="2")
        yield client


def _versions(client: object) -> list[str]:
    found = client.list_versions_by_function(FunctionName=FUNCTION)["Versions"]  # type: ignore[attr-defined]
    return [v["Version"] for v in found if v["Version"] != "$LATEST"]


def test_the_newest_and_the_aliased_versions_stay(deployed: object) -> None:
    pruned = prune_versions(deployed, FUNCTION, keep=3)
    assert pruned.kept == ("2", "5", "6", "7")
    assert pruned.deleted == ("1", "3", "4")
    assert sorted(_versions(deployed), key=int) == ["2", "5", "6", "7"]
    # Pruning again deletes nothing more.
    assert prune_versions(deployed, FUNCTION, keep=3).deleted == ()


def test_the_command_reads_the_functions_from_the_stacks_outputs(deployed: object, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"snapshottedFunctions": [FUNCTION], "bus": "ior-dev"}))
    result = CliRunner().invoke(app, ["versions", "prune", "--outputs", str(outputs), "--keep", "1"])
    assert result.exit_code == 0, result.output
    assert "deleted 5" in result.output
    assert sorted(_versions(deployed), key=int) == ["2", "7"]
