"""Where a service finds its own resources: one settings class, from the environment.

In AWS the Pulumi program sets the names explicitly; locally they follow `Naming` for the stage, so
several services can run in one process without sharing a setting."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ior_contracts.topology import Naming

if TYPE_CHECKING:
    from botocore.config import Config


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IOR_", extra="ignore", frozen=True)

    service: str = Field(description="The service these settings belong to, e.g. `etl`.")
    stage: str = "local"
    region: str = Field(default="us-east-1", validation_alias="AWS_REGION")
    event_bus: str | None = None
    table_name: str | None = None
    data_bucket: str | None = None
    audit_bucket: str | None = None
    # The account id (or the stack's configured suffix) that makes bucket names global; in AWS the
    # program sets the buckets' names outright.
    bucket_suffix: str = ""
    # A boto3 retry cap; the local runtime and tests set 1 so a fault surfaces at once.
    aws_max_attempts: int = 3

    @property
    def naming(self) -> Naming:
        return Naming(self.stage, self.bucket_suffix)

    @property
    def bus(self) -> str:
        return self.event_bus or self.naming.bus

    @property
    def table(self) -> str:
        return self.table_name or self.naming.table(self.service)

    @property
    def data(self) -> str:
        return self.data_bucket or self.naming.data_bucket

    @property
    def audit(self) -> str:
        return self.audit_bucket or self.naming.audit_bucket

    @property
    def prefix(self) -> str:
        """This service's own prefix in the data and audit buckets."""
        return f"{self.service}/"

    @cached_property
    def boto_config(self) -> Config:
        from botocore.config import Config

        return Config(
            region_name=self.region, retries={"max_attempts": self.aws_max_attempts, "mode": "standard"}
        )

    def client(self, name: str) -> Any:
        """A boto3 client; the endpoint comes from AWS_ENDPOINT_URL when set (the local stack)."""
        import boto3

        return boto3.client(name, config=self.boto_config)  # type: ignore[call-overload]
