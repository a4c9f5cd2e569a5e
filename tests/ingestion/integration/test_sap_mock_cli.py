"""`ior sap-mock serve`: credentials from the command line or from the SAP secret, never defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ior_tools.runtime.aws import Endpoint
from ior_tools.sap_mock import cli
from typer.testing import CliRunner

from tests.support.deployed import NAMING

SAP = NAMING.secret("sap")


def test_reads_the_password_from_the_sap_secret(provisioned: Endpoint) -> None:
    secret = {"base_url": "http://127.0.0.1:50000", "username": "IOR_EXTRACT", "password": "from-the-secret"}
    provisioned.client("secretsmanager").put_secret_value(SecretId=SAP, SecretString=json.dumps(secret))
    assert cli._secret(SAP, None, "us-east-1")["password"] == "from-the-secret"


def test_a_secret_without_a_password_is_refused(provisioned: Endpoint) -> None:
    provisioned.client("secretsmanager").put_secret_value(
        SecretId=SAP, SecretString=json.dumps({"base_url": "", "username": "u", "password": ""})
    )
    with pytest.raises(Exception, match="no password"):
        cli._secret(SAP, None, "us-east-1")


@pytest.mark.parametrize(
    "credentials",
    [[], ["--password", "p", "--password-from-secret", "ior/local/sap"], ["--password", "p"]],
)
def test_serve_wants_one_source_of_credentials_and_a_user(tmp_path: Path, credentials: list[str]) -> None:
    result = CliRunner().invoke(cli.app, ["serve", "--data", str(tmp_path), *credentials])
    assert result.exit_code == 2
    assert "--password" in result.output or "username" in result.output
