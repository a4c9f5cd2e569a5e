"""`ior secrets rotate` puts a new version as AWSPENDING and moves AWSCURRENT onto it; the old one
is AWSPREVIOUS. The JWT key is generated; the SAP credentials come from the environment or a prompt."""

from __future__ import annotations

import json

from ior_tools.ops.secrets import CURRENT, PREVIOUS
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior


def stages(stack: LocalStack, name: str) -> dict[str, list[str]]:
    listed = stack.client("secretsmanager").list_secret_version_ids(SecretId=name)["Versions"]
    return {v["VersionId"]: v.get("VersionStages", []) for v in listed}


def value(stack: LocalStack, name: str, stage: str) -> dict[str, str]:
    got = stack.client("secretsmanager").get_secret_value(SecretId=name, VersionStage=stage)
    return json.loads(got["SecretString"])  # type: ignore[no-any-return]


def test_rotating_the_jwt_key_moves_awscurrent_to_a_fresh_random_key(stack: LocalStack) -> None:
    name = stack.naming.secret("jwt")
    before = value(stack, name, CURRENT)
    rotated = ior("secrets", "rotate", "jwt", "--yes")
    assert rotated.exit_code == 0, rotated.output
    after = value(stack, name, CURRENT)
    assert after["signing_key"] != before["signing_key"]
    assert len(after["signing_key"]) >= 64
    assert value(stack, name, PREVIOUS) == before
    labels = stages(stack, name)
    # One version current, one previous; versions older than that (earlier rotations) keep no label.
    assert sorted(tuple(v) for v in labels.values() if v) == [(CURRENT,), (PREVIOUS,)]
    assert before["signing_key"] not in rotated.output
    assert after["signing_key"] not in rotated.output
    shown = ior("secrets", "versions", "jwt")
    assert all(version in shown.output for version in labels)


def test_rotating_sap_takes_the_credentials_from_the_environment_or_a_prompt(stack: LocalStack) -> None:
    name = stack.naming.secret("sap")
    original = value(stack, name, CURRENT)
    # From the environment; the base URL is kept.
    env = {"IOR_SAP_USERNAME": "IOR_EXTRACT2", "IOR_SAP_PASSWORD": "n3w-pa55-from-env"}
    rotated = ior("secrets", "rotate", "sap", "--yes", env=env)
    assert rotated.exit_code == 0, rotated.output
    assert value(stack, name, CURRENT) == {
        **original,
        "username": "IOR_EXTRACT2",
        "password": "n3w-pa55-from-env",
    }
    assert "n3w-pa55-from-env" not in rotated.output
    # Back to the original through the prompt (the mock SAP knows only those).
    prompt = f"{original['username']}\n{original['password']}\n{original['password']}\n"
    restored = ior(
        "secrets",
        "rotate",
        "sap",
        "--yes",
        stdin=prompt,
        env={"IOR_SAP_USERNAME": "", "IOR_SAP_PASSWORD": ""},
    )
    assert restored.exit_code == 0, restored.output
    assert value(stack, name, CURRENT) == original
    assert value(stack, name, PREVIOUS)["username"] == "IOR_EXTRACT2"


def test_only_sap_and_jwt_are_rotated(stack: LocalStack) -> None:
    refused = ior("secrets", "rotate", "slack", "--yes")
    assert refused.exit_code == 2
    assert "only jwt and sap are rotated here" in refused.output
