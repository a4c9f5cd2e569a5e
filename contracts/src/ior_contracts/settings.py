"""Where a service finds its own resources: one settings class, from its function's environment.

In AWS that is the process environment Lambda gives the function, set by the Pulumi program. The
local stack runs many functions in one process, so each worker hands its function's environment
(read from the program's resources) to the code it runs through `function_environment`; the
settings read it before the process environment. The function's credentials travel the same way:
each local function calls AWS as its own role."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from ior_contracts.topology import Naming

_FUNCTION_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar(
    "ior_function_environment", default=None
)


@contextmanager
def function_environment(environment: Mapping[str, str]) -> Iterator[None]:
    """Run the enclosed code as a function whose environment is `environment` (over the process's)."""
    token = _FUNCTION_ENVIRONMENT.set(environment)
    try:
        yield
    finally:
        _FUNCTION_ENVIRONMENT.reset(token)


class _FunctionEnvironmentSource(EnvSettingsSource):
    """The function's own environment, when the code runs as one function among several."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        found = _FUNCTION_ENVIRONMENT.get() or {}
        return {k if self.case_sensitive else k.lower(): v for k, v in found.items()}


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
    # The function's credentials, when its environment carries them (Lambda's does; boto3 would read
    # them from the process, a local function's come with its environment).
    aws_access_key_id: str | None = Field(default=None, validation_alias="AWS_ACCESS_KEY_ID")
    aws_secret_access_key: SecretStr | None = Field(default=None, validation_alias="AWS_SECRET_ACCESS_KEY")
    aws_session_token: SecretStr | None = Field(default=None, validation_alias="AWS_SESSION_TOKEN")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        function = _FunctionEnvironmentSource(settings_cls)
        return (init_settings, function, env_settings, dotenv_settings, file_secret_settings)

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
        """A boto3 client as the function: its credentials when its environment gives them; the
        endpoint from AWS_ENDPOINT_URL when set (the local stack)."""
        import boto3

        credentials: dict[str, str] = {}
        if self.aws_access_key_id and self.aws_secret_access_key:
            credentials = {
                "aws_access_key_id": self.aws_access_key_id,
                "aws_secret_access_key": self.aws_secret_access_key.get_secret_value(),
            }
            if self.aws_session_token:
                credentials["aws_session_token"] = self.aws_session_token.get_secret_value()
        return boto3.client(name, config=self.boto_config, **credentials)  # type: ignore[call-overload]
