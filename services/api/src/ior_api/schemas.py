"""Request and response bodies, in families: `XBase` (shared fields), `XCreate` (in), `XPublic` (out)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ior_contracts.vocabulary import Identifier, Reason
from pydantic import BaseModel, ConfigDict, Field, SecretStr

Role = Literal["admin", "operator"]
Username = Annotated[str, Field(pattern=r"^[a-z][a-z0-9._-]{1,63}$")]


class Message(BaseModel):
    detail: str


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: SecretStr = Field(min_length=1, max_length=1024)


class SessionPublic(BaseModel):
    username: str
    role: Role
    expires_at: datetime
    csrf_token: str = Field(description="Send it back in `X-CSRF-Token` on every state-changing request.")


class UserBase(BaseModel):
    username: Username
    role: Role
    active: bool = True


class UserCreate(UserBase):
    password: SecretStr = Field(min_length=12, max_length=1024)


class UserPublic(UserBase):
    model_config = ConfigDict(from_attributes=True)


class Accepted(BaseModel):
    """A request put on the bus; the answer arrives as an event and shows up in the read models."""

    id: str
    detail_type: str
    event_id: str


class CustomsRunCreate(BaseModel):
    business_date: date
    mode: Literal["automated", "manual"] = "automated"
    reason: Reason


class ComparisonCreate(BaseModel):
    business_date: date
    reason: Reason


class ComparisonPublic(BaseModel):
    comparison_id: Identifier
    business_date: date
    status: Literal["requested", "passed", "failed"]
    requested: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    discrepancy: dict[str, Any] | None = None


class CutoverCreate(BaseModel):
    action: Literal["cutover", "rollback"]
    effective_date: date
    reason: Reason
    force: bool = False


class CutoverPublic(BaseModel):
    state: Literal["shadow", "cutover"]
    effective_date: date | None
    changes: list[dict[str, Any]]
    official_runs: list[dict[str, Any]]


class AlertPublic(BaseModel):
    id: str
    kind: str
    since: datetime
    business_date: date | None
    severity: Literal["critical", "warning", "info"]
    what: str
    where: str
    action: str
    link: str
    details: dict[str, Any]


class CustomsLinesPublic(BaseModel):
    business_date: date
    mode: Literal["automated", "manual"]
    run_id: str
    official: bool = Field(description="Whether this run's lines are the date's official ones.")
    totals: dict[str, int]
    fallbacks: list[dict[str, Any]]
    quarantined_lines: int
    page: int
    page_size: int
    total: int = Field(description="Lines matching the filters, over all pages.")
    lines: list[dict[str, Any]]
