"""Another AWS account on the local stack's moto server: a downstream consumer's."""

from __future__ import annotations

import json

from ior_tools.rehearsal.iam import Credentials

ADMIN = "consumer-admin"


def account_administrator(account: str) -> Credentials:
    """An administrator of `account`, made in moto's own IAM of that account (moto serves every
    account from one process, and knows a request's account by its access key). In AWS an
    account's first administrator is likewise made outside IAM's API."""
    from moto.iam.models import iam_backends

    iam = iam_backends[account]["aws"]
    user = iam.create_user(region_name="us-east-1", user_name=ADMIN)
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(ADMIN, "administrator", json.dumps(everything))
    key = iam.create_access_key(ADMIN)
    return Credentials(key.access_key_id, key.secret_access_key, principal=user.arn)
