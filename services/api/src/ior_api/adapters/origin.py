"""The values of the origin header the API accepts, from the stage's `origin` secret through a short
cache: its current version and, while a rotation reaches every CloudFront edge, its previous one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

CURRENT, PREVIOUS = "AWSCURRENT", "AWSPREVIOUS"


class OriginSecretError(RuntimeError):
    """The origin secret is missing or malformed."""


class OriginValues:
    def __init__(
        self,
        secretsmanager: Any,
        secret_name: str,
        *,
        max_age_s: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sm = secretsmanager
        self._name = secret_name
        self._max_age_s = max_age_s
        self._clock = clock
        self._values: tuple[str, ...] = ()
        self._read_at: float | None = None

    def __call__(self) -> tuple[str, ...]:
        now = self._clock()
        if self._read_at is None or now - self._read_at >= self._max_age_s:
            # Read both stages together and cache them together: a secret never rotated has no
            # previous version, and that answer is cached as well.
            current = self._value(CURRENT)
            if current is None:
                raise OriginSecretError(f"secret {self._name} has no current version")
            previous = self._value(PREVIOUS)
            self._values = (current,) if previous is None else (current, previous)
            self._read_at = now
        return self._values

    def _value(self, stage: str) -> str | None:
        try:
            text = self._sm.get_secret_value(SecretId=self._name, VersionStage=stage)["SecretString"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException" and stage == PREVIOUS:
                return None
            raise
        try:
            value = json.loads(text)["value"]
        except (ValueError, KeyError, TypeError) as exc:
            raise OriginSecretError(f"secret {self._name} ({stage}) has no value") from exc
        if not isinstance(value, str) or len(value) < 32:
            raise OriginSecretError(
                f"secret {self._name} ({stage}): value must be a string of 32+ characters"
            )
        return value
