"""Secret values reach only their secret version: no other resource input carries them."""

from __future__ import annotations

import json

import pytest
from ior_contracts.topology import SECRETS

from tests.infra.mocks import SENTINEL, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


def test_sentinel_only_in_secret_versions(dev: Recorder) -> None:
    for r in dev.resources:
        text = json.dumps(r.inputs, default=str)
        if r.typ == VERSION:
            continue
        assert SENTINEL not in text, f"{r.typ} {r.name} carries a secret value"


def test_each_secret_has_its_version(dev: Recorder) -> None:
    for key in SECRETS:
        version = dev.named(VERSION, f"secrets-{key}-value")
        value = version.inputs["secretString"]
        # Pulumi's marker for a secret value: it stays encrypted in the state.
        assert value[SECRET_SIG] == SECRET_VALUE, f"{key}: not marked secret"
        assert value["value"] == f"{SENTINEL}-{key}", key
        secret = dev.named("aws:secretsmanager/secret:Secret", f"secrets-{key}")
        assert secret.inputs["name"] == f"ior/dev/{key}", key
