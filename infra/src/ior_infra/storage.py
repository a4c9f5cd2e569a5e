"""The KMS key and the buckets: data (per-service prefixes), audit (Object Lock), frontend and
access logs, all versioned, private and TLS only."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming

from ior_infra.access import access_log_delivery, consumer_reads, key_policy, tls_only

# prod keeps audit records for the regulatory seven years and nobody can shorten that; dev and
# staging use GOVERNANCE so an administrator can still tear them down.
PROD_LOCK = ("COMPLIANCE", 7)
NONPROD_LOCK = ("GOVERNANCE", 1)
NONCURRENT_DAYS = 90
LOG_DAYS = 365
# Large manual uploads arrive by presigned POST under this prefix and are copied to
# `api/published/uploads/` once checked; one never completed is removed after a day.
INCOMING_PREFIX = "api/incoming/"
INCOMING_DAYS = 1


@dataclass(frozen=True)
class StorageArgs:
    naming: Naming
    is_prod: bool
    account: pulumi.Input[str]
    region: str
    # What makes the bucket names global: the stack's configured suffix, else the account id.
    bucket_suffix: pulumi.Input[str]
    # Downstream accounts → bucket kind (`data`, `audit`) → the prefixes each may read.
    consumer_reads: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def readers_of(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Account → the prefixes it may read in the bucket of `kind`."""
        return {account: kinds.get(kind, ()) for account, kinds in self.consumer_reads.items()}


def _decrypting(args: StorageArgs, suffix: str) -> dict[str, list[str]]:
    """Each consumer account → the ARNs of the buckets it reads objects of (the key decrypts them)."""
    naming = Naming(args.naming.stage, suffix)
    return {
        account: [
            f"arn:aws:s3:::{naming.bucket(kind)}" for kind, prefixes in sorted(kinds.items()) if prefixes
        ]
        for account, kinds in args.consumer_reads.items()
    }


class Storage(pulumi.ComponentResource):
    key: aws.kms.Key
    data: aws.s3.Bucket
    audit: aws.s3.Bucket
    logs: aws.s3.Bucket
    frontend: aws.s3.Bucket

    def __init__(self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Storage", name, None, opts)
        self._child = pulumi.ResourceOptions(parent=self)
        self._account = pulumi.Output.from_input(args.account)
        self._suffix = pulumi.Output.from_input(args.bucket_suffix)
        self._is_prod = args.is_prod
        self._stage = args.naming.stage
        naming = args.naming
        self.key = aws.kms.Key(
            f"{name}-key",
            description=f"ior {naming.stage}: buckets, tables, secrets, logs",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=pulumi.Output.all(self._account, self._suffix).apply(
                lambda a: json.dumps(key_policy(a[0], args.region, _decrypting(args, a[1])))
            ),
            opts=self._child,
        )
        aws.kms.Alias(
            f"{name}-key-alias",
            name=f"alias/ior-{naming.stage}",
            target_key_id=self.key.key_id,
            opts=self._child,
        )
        # Server access logs cannot be delivered to a bucket whose default encryption is SSE-KMS.
        self.logs = self._bucket(f"{name}-logs", "access-logs", kms=False, grant=access_log_delivery)
        self._lifecycle(f"{name}-logs", self.logs, expire_days=LOG_DAYS)
        self.data = self._bucket(
            f"{name}-data", "data", grant=lambda arn, _account: consumer_reads(arn, args.readers_of("data"))
        )
        self._lifecycle(f"{name}-data", self.data, abandoned=(INCOMING_PREFIX, INCOMING_DAYS))
        self.audit = self._bucket(
            f"{name}-audit",
            "audit",
            object_lock=True,
            grant=lambda arn, _account: consumer_reads(arn, args.readers_of("audit")),
        )
        self._lifecycle(f"{name}-audit", self.audit)
        # Its policy (TLS only, read by the distribution) is set where the distribution is made.
        self.frontend = self._bucket(f"{name}-frontend", "frontend", policy=False)
        self._lifecycle(f"{name}-frontend", self.frontend)
        mode, years = PROD_LOCK if args.is_prod else NONPROD_LOCK
        aws.s3.BucketObjectLockConfiguration(
            f"{name}-audit-lock",
            bucket=self.audit.id,
            object_lock_enabled="Enabled",
            rule={"default_retention": {"mode": mode, "years": years}},
            opts=self._child,
        )
        for label, bucket in (("data", self.data), ("audit", self.audit), ("frontend", self.frontend)):
            aws.s3.BucketLogging(
                f"{name}-{label}-logging",
                bucket=bucket.id,
                target_bucket=self.logs.id,
                target_prefix=f"{label}/",
                opts=self._child,
            )
        self.register_outputs(
            {
                "key": self.key.arn,
                "data": self.data.bucket,
                "audit": self.audit.bucket,
                "logs": self.logs.bucket,
                "frontend": self.frontend.bucket,
            }
        )

    def _bucket(
        self,
        name: str,
        kind: str,
        *,
        kms: bool = True,
        object_lock: bool = False,
        grant: Callable[[str, str], list[dict[str, Any]]] | None = None,
        policy: bool = True,
    ) -> aws.s3.Bucket:
        created = aws.s3.Bucket(
            name,
            bucket=self._suffix.apply(lambda suffix: Naming(self._stage, suffix).bucket(kind)),
            object_lock_enabled=object_lock,
            # A non-prod stack can be destroyed with its objects (GOVERNANCE-locked ones included);
            # prod's buckets are never emptied by the program.
            force_destroy=not self._is_prod,
            opts=self._child,
        )
        opts = pulumi.ResourceOptions(parent=self, depends_on=[created])
        aws.s3.BucketPublicAccessBlock(
            f"{name}-public",
            bucket=created.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=opts,
        )
        aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=created.id, versioning_configuration={"status": "Enabled"}, opts=opts
        )
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms" if kms else "AES256", kms_master_key_id=self.key.arn if kms else None
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=created.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=default, bucket_key_enabled=kms
                )
            ],
            opts=opts,
        )
        if not policy:
            return created
        aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=created.id,
            policy=pulumi.Output.all(created.arn, self._account).apply(
                lambda a: json.dumps(tls_only(a[0], *(grant(a[0], a[1]) if grant else [])))
            ),
            opts=opts,
        )
        return created

    def _lifecycle(
        self,
        name: str,
        bucket: aws.s3.Bucket,
        *,
        expire_days: int | None = None,
        abandoned: tuple[str, int] | None = None,
    ) -> None:
        lifecycle = aws.s3
        rules = [
            lifecycle.BucketLifecycleConfigurationRuleArgs(
                id="tidy",
                status="Enabled",
                filter=lifecycle.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                abort_incomplete_multipart_upload=lifecycle.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=7
                ),
                noncurrent_version_expiration=lifecycle.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=NONCURRENT_DAYS
                ),
                expiration=(
                    lifecycle.BucketLifecycleConfigurationRuleExpirationArgs(days=expire_days)
                    if expire_days
                    else None
                ),
            )
        ]
        if abandoned is not None:
            prefix, days = abandoned
            rules.append(
                lifecycle.BucketLifecycleConfigurationRuleArgs(
                    id="abandoned-uploads",
                    status="Enabled",
                    filter=lifecycle.BucketLifecycleConfigurationRuleFilterArgs(prefix=prefix),
                    expiration=lifecycle.BucketLifecycleConfigurationRuleExpirationArgs(days=days),
                    noncurrent_version_expiration=lifecycle.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=days
                    ),
                )
            )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle", bucket=bucket.id, rules=rules, opts=self._child
        )
