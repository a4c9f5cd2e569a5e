"""Secret values reach only their secret version: no other resource input carries them."""

from __future__ import annotations

import json

import pytest
from ior_contracts.topology import ROTATED_IN_PLACE, SECRETS

from tests.infra.mocks import SENTINEL, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


DISTRIBUTION = "aws:cloudfront/distribution:Distribution"


def test_sentinel_only_in_secret_versions_and_the_origin_header(dev: Recorder) -> None:
    for r in dev.resources:
        if r.typ == VERSION:
            continue
        inputs = dict(r.inputs)
        if r.typ == DISTRIBUTION:
            # The one secret CloudFront itself must hold: the origin header it sends the API, kept
            # secret in the state.
            assert "origins" in r.secret_inputs
            api = next(o for o in inputs["origins"] if o["originId"] == "api")
            (header,) = api["customHeaders"]
            assert header["value"] == f"{SENTINEL}-origin"
            inputs["origins"] = [o for o in inputs["origins"] if o["originId"] != "api"]
        text = json.dumps(inputs, default=str)
        assert SENTINEL not in text, f"{r.typ} {r.name} carries a secret value"


def test_each_secret_has_its_version(dev: Recorder) -> None:
    for key in SECRETS:
        version = dev.named(VERSION, f"secrets-{key}-value")
        # It stays encrypted in the state.
        assert "secretString" in version.secret_inputs, f"{key}: not marked secret"
        assert json.loads(version.inputs["secretString"]) == {"value": f"{SENTINEL}-{key}"}, key
        secret = dev.named("aws:secretsmanager/secret:Secret", f"secrets-{key}")
        assert secret.inputs["name"] == f"ior/dev/{key}", key


def test_a_rotated_secret_is_owned_by_its_rotations_after_its_first_version(dev: Recorder) -> None:
    # `ior secrets rotate` moves AWSCURRENT to a new version: a later `pulumi up` must not move it back.
    for key in SECRETS:
        version = dev.named(VERSION, f"secrets-{key}-value")
        if key in ROTATED_IN_PLACE:
            assert set(version.ignore_changes) == {"secretString", "versionStages"}, key
        else:
            # The origin header (CloudFront holds it too) and the webhook change through the config.
            assert version.ignore_changes == (), key
