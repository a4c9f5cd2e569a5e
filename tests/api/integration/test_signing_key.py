"""The signing key comes from Secrets Manager only, through a cache that honours rotation."""

from __future__ import annotations

import json
import uuid

import pytest
from ior_api.adapters.signing import SigningKey, SigningKeyError
from ior_api.config import Settings

from tests.api.conftest import SIGNING_KEY


def secret(aws: Settings, value: object) -> str:
    name = f"ior/test/{uuid.uuid4().hex}"
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(value))
    return name


def test_reads_the_key_from_the_secret(aws: Settings) -> None:
    key = SigningKey(aws.client("secretsmanager"), aws.naming.secret("jwt"), max_age_s=300)
    assert key() == SIGNING_KEY


def test_a_rotated_key_is_picked_up_once_the_cache_expires(aws: Settings) -> None:
    client = aws.client("secretsmanager")
    name = secret(aws, {"signing_key": "a" * 48})
    cached = SigningKey(client, name, max_age_s=300)
    uncached = SigningKey(client, name, max_age_s=0)
    assert cached() == uncached() == "a" * 48

    client.put_secret_value(SecretId=name, SecretString=json.dumps({"signing_key": "b" * 48}))

    assert cached() == "a" * 48
    assert uncached() == "b" * 48


@pytest.mark.parametrize("value", [{"key": "x" * 48}, {"signing_key": "too short"}, ["signing_key"]])
def test_a_malformed_secret_is_refused(aws: Settings, value: object) -> None:
    key = SigningKey(aws.client("secretsmanager"), secret(aws, value), max_age_s=0)
    with pytest.raises(SigningKeyError):
        key()
