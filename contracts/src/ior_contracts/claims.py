"""Claim checks: large content travels as an immutable object; the event carries where and what."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ClaimCheck(BaseModel):
    """An immutable, content-addressed object under the producer's `published/` or audit prefix."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    uri: str = Field(pattern=r"^s3://[a-z0-9.\-]+/.+", description="s3://bucket/key of the object.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the object's bytes.")
    row_count: int = Field(ge=0, description="Rows (records) in the object.")
    schema_version: str = Field(min_length=1, description="Version of the object's own row schema.")
