"""Where a service finds its own resources: one settings class, from its function's environment.

In AWS that is the process environment Lambda gives the function, set by the Pulumi program. The
local stack runs many functions in one process, so each worker hands its function's environment
(read from the program's resources) to the code it runs through `function_environment`; the
settings read it before the process environment. The function's credentials travel the same way:
each local function calls AWS as its own role.

A plain pydantic model read from the environment, not pydantic-settings: importing that package
imports every source it has (its CLI parser, dotenv, the cloud secret stores), about 200 ms of every
cold start of the API function, for the one source used here."""

from __future__ import annotations

import json
import os
import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic.fields import FieldInfo

from ior_contracts.naming import Naming

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


def _environment() -> dict[str, str]:
    """The variables a setting may come from, names lower-cased: the function's own over the process's."""
    found = {k.lower(): v for k, v in os.environ.items()}
    found |= {k.lower(): v for k, v in (_FUNCTION_ENVIRONMENT.get() or {}).items()}
    return found


def _structured(annotation: Any) -> bool:
    """Whether a field's value is given as JSON in its variable (a list, a mapping, a model)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_structured(a) for a in typing.get_args(annotation) if a is not type(None))
    origin = typing.get_origin(annotation) or annotation
    return origin in (list, dict, set, tuple, frozenset) or (
        isinstance(origin, type) and issubclass(origin, BaseModel)
    )


def _variable(name: str, field: FieldInfo, prefix: str) -> str:
    alias = field.validation_alias
    return alias if isinstance(alias, str) else f"{prefix}{name}"


if TYPE_CHECKING:
    from botocore.config import Config


class ServiceSettings(BaseModel):
    """Each field from the variable `IOR_<NAME>` (or its alias, e.g. `AWS_REGION`), any case; values
    given to the constructor win. A list or mapping is given as JSON."""

    model_config = ConfigDict(extra="ignore", frozen=True, validate_by_name=True, validate_by_alias=True)
    ENV_PREFIX: ClassVar[str] = "IOR_"

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

    def __init__(self, **values: Any) -> None:
        super().__init__(**(self._from_environment() | values))

    @classmethod
    def _from_environment(cls) -> dict[str, Any]:
        environment = _environment()
        found: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            text = environment.get(_variable(name, field, cls.ENV_PREFIX).lower())
            if text is not None:
                found[name] = json.loads(text) if _structured(field.annotation) else text
        return found

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

    def claim_checked_s3(self) -> Any:
        """An S3 client for a service that checks every object it reads whole against the SHA-256 it
        is named with (a claim check, a manifest): the SDK's own checksum of each response, which
        would hash the same tens or hundreds of MB again, is left to the requests that ask for it."""
        from botocore.config import Config

        return self.client("s3", Config(response_checksum_validation="when_required"))

    def client(self, name: str, config: Config | None = None) -> Any:
        """A boto3 client as the function: its credentials when its environment gives them; the
        endpoint from AWS_ENDPOINT_URL when set (the local stack); `config` over the defaults."""
        import boto3

        credentials: dict[str, str] = {}
        if self.aws_access_key_id and self.aws_secret_access_key:
            credentials = {
                "aws_access_key_id": self.aws_access_key_id,
                "aws_secret_access_key": self.aws_secret_access_key.get_secret_value(),
            }
            if self.aws_session_token:
                credentials["aws_session_token"] = self.aws_session_token.get_secret_value()
        given, config = config, self.boto_config
        if name == "s3":
            from botocore.config import Config

            # SigV4 for the links it signs (presigned GETs and POSTs) as for its requests: in us-east-1
            # botocore signs links with SigV2 by default, which S3 refuses for buckets made since 2020.
            config = config.merge(Config(signature_version="s3v4"))
        if given is not None:
            config = config.merge(given)
        return boto3.client(name, config=config, **credentials)  # type: ignore[call-overload]
