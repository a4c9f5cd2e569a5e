"""Rotating a secret as Secrets Manager's rotation does: the new value put as a version labelled
AWSPENDING, then AWSCURRENT moved onto it (Secrets Manager gives the old version AWSPREVIOUS, so a
rollback is one label move), then AWSPENDING taken off. Values are never printed; a version is
shown by its id, its labels and a short fingerprint of its value."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

CURRENT, PENDING, PREVIOUS = "AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"
SAP_FIELDS = ("base_url", "username", "password")


class IncompleteSecretError(ValueError):
    """A new value lacks a field the secret holds."""


@dataclass(frozen=True)
class Version:
    version_id: str
    stages: tuple[str, ...]
    created: str
    fingerprint: str


def new_jwt_value() -> dict[str, str]:
    """A fresh HS256 signing key: 48 random bytes, URL-safe."""
    return {"signing_key": secrets.token_urlsafe(48)}


def sap_value(current: dict[str, Any], given: dict[str, str | None]) -> dict[str, str]:
    """The SAP credentials: the fields given, the base URL kept when not given."""
    value = {f: given.get(f) or (current.get(f) if f == "base_url" else None) for f in SAP_FIELDS}
    missing = [f for f, v in value.items() if not v]
    if missing:
        raise IncompleteSecretError(f"the SAP secret needs {', '.join(missing)}")
    return {k: str(v) for k, v in value.items()}


def current_value(client: Any, name: str) -> dict[str, Any]:
    # The stage is named: a read without one may not follow a moved label (moto's does not).
    value: dict[str, Any] = json.loads(
        client.get_secret_value(SecretId=name, VersionStage=CURRENT)["SecretString"]
    )
    return value


def rotate(client: Any, name: str, value: dict[str, Any]) -> str:
    """Put `value` as the new AWSCURRENT; the new version's id."""
    token = str(uuid.uuid4())
    old = next(v.version_id for v in versions(client, name) if CURRENT in v.stages)
    text = json.dumps(value, sort_keys=True)
    client.put_secret_value(
        SecretId=name, ClientRequestToken=token, SecretString=text, VersionStages=[PENDING]
    )
    client.update_secret_version_stage(
        SecretId=name, VersionStage=CURRENT, MoveToVersionId=token, RemoveFromVersionId=old
    )
    client.update_secret_version_stage(SecretId=name, VersionStage=PENDING, RemoveFromVersionId=token)
    return token


def versions(client: Any, name: str) -> list[Version]:
    listed = client.list_secret_version_ids(SecretId=name, IncludeDeprecated=False)["Versions"]
    found = []
    for v in sorted(listed, key=lambda v: v["CreatedDate"]):
        text = client.get_secret_value(SecretId=name, VersionId=v["VersionId"])["SecretString"]
        fingerprint = hashlib.sha256(text.encode()).hexdigest()[:12]
        found.append(
            Version(
                v["VersionId"], tuple(v.get("VersionStages", [])), v["CreatedDate"].isoformat(), fingerprint
            )
        )
    return found
