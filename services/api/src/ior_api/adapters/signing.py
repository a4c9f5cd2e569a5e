"""The session signing key, from Secrets Manager through a short cache (so a rotation is picked up)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider


class SigningKeyError(RuntimeError):
    """The signing-key secret is missing or malformed."""


class SigningKey:
    def __init__(self, secretsmanager: Any, secret_name: str, *, max_age_s: int) -> None:
        self._provider = SecretsProvider(boto3_client=secretsmanager)
        self._name = secret_name
        self._max_age_s = max_age_s

    def __call__(self) -> str:
        text = self._provider.get(self._name, max_age=self._max_age_s)
        try:
            key = json.loads(str(text))["signing_key"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SigningKeyError(f"secret {self._name} has no signing_key") from exc
        if not isinstance(key, str) or len(key) < 32:
            raise SigningKeyError(f"secret {self._name}: signing_key must be a string of 32+ characters")
        return key
