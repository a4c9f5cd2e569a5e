"""The stage's Secrets Manager entries. Values come only from the stack's encrypted config
(`pulumi config set --secret secret-<name> ...`), never from code or plain config.

Who owns a secret's versions: for a secret rotated in place (`ROTATED_IN_PLACE`: the signing key,
the SAP credentials) the configuration gives the first version only, and the program ignores later
changes to it, so `ior secrets rotate` owns every version after that and a `pulumi up` never rolls
a rotation back. The others (the origin header, which CloudFront also holds, and the Slack webhook)
change only through the configuration and `pulumi up`."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import ROTATED_IN_PLACE, SECRETS, Naming

from ior_infra.config_schema import secret_key


@dataclass(frozen=True)
class SecretsArgs:
    naming: Naming
    key_arn: pulumi.Input[str]
    # prod keeps Secrets Manager's 30-day recovery window; a non-prod stack's secrets go at once,
    # so the stack can be destroyed and created again under the same names.
    is_prod: bool = False


class Secrets(pulumi.ComponentResource):
    secrets: dict[str, aws.secretsmanager.Secret]

    def value(self, key: str, field: str = "value") -> pulumi.Output[str]:
        """One field of a secret's JSON document, still secret (e.g. the origin header's value)."""
        return pulumi.Output.secret(self._values[key].apply(lambda text: str(json.loads(text)[field])))

    def __init__(self, name: str, args: SecretsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Secrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        config = pulumi.Config()
        self.secrets = {}
        self._values: dict[str, pulumi.Output[str]] = {}
        for key, description in SECRETS.items():
            secret = aws.secretsmanager.Secret(
                f"{name}-{key}",
                name=args.naming.secret(key),
                description=description,
                kms_key_id=args.key_arn,
                recovery_window_in_days=30 if args.is_prod else 0,
                opts=child,
            )
            rotated = key in ROTATED_IN_PLACE
            aws.secretsmanager.SecretVersion(
                f"{name}-{key}-value",
                secret_id=secret.id,
                secret_string=(value := config.require_secret(secret_key(key))),
                opts=pulumi.ResourceOptions(
                    parent=self, ignore_changes=["secretString", "versionStages"] if rotated else None
                ),
            )
            self.secrets[key] = secret
            self._values[key] = value
        self.register_outputs({k: s.arn for k, s in self.secrets.items()})
