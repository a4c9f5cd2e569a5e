"""Slack routing of the alert topic: a function subscribed to the SNS topic posts each message to the
Slack incoming webhook, whose URL is the `slack` secret. SNS retries a failed delivery itself."""

from __future__ import annotations

import json
import urllib.request
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider

from ior_api.config import Settings

TIMEOUT_S = 10


@lru_cache(maxsize=1)
def _provider() -> tuple[SecretsProvider, str]:
    settings = Settings()
    return SecretsProvider(boto3_client=settings.client("secretsmanager")), settings.naming.secret("slack")


def webhook_url() -> str:
    provider, name = _provider()
    secret = provider.get(name, transform="json", max_age=300)
    url = secret.get("webhook_url", "") if isinstance(secret, dict) else ""
    if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
        raise RuntimeError(f"the {name} secret holds no webhook URL")
    return str(url)


def post(url: str, text: str) -> None:
    request = urllib.request.Request(
        url, data=json.dumps({"text": text}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        if response.status >= 300:
            raise RuntimeError(f"Slack answered {response.status}")


def handler(event: dict[str, Any], _: Any) -> dict[str, int]:
    url = webhook_url()
    records = event.get("Records", [])
    for record in records:
        sns = record["Sns"]
        post(url, f"*{sns.get('Subject') or 'ior alert'}*\n{sns['Message']}")
    return {"posted": len(records)}
