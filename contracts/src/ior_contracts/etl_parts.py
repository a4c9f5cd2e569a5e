"""The parts of ETL events that a reader shows on their own: the rows one validation rule rejected, and
how one of the company's HTS numbers changed between official revisions. `ior_contracts.etl`
re-exports them; they live apart so the API's responses can use them without building every ETL and
ingestion event at its cold start."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.vocabulary import RuleName


class RuleCount(BaseModel):
    """How many rows one validation rule rejected, with one reason as a person reads it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    rule: RuleName = Field(description="The rule's name in the dataset's declared rules.")
    count: int = Field(ge=1, description="Rows this rule rejected (the first failing rule of each row).")
    example_reason: str = Field(
        min_length=1, max_length=500, description="The reason given for one such row."
    )


ChangeKind = Literal["removed", "added", "unit_changed", "rate_changed"]


class OfficialLineState(BaseModel):
    """A statistical line as one official revision has it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    unit: str = Field(max_length=64, description="`No.`, `kg`, `No. and kg`, or as listed; empty when none.")
    general: str = Field(
        max_length=500, description="The general rate text that applies, e.g. `Free`, `2.6%`."
    )


class CodeChange(BaseModel):
    """How one of the company's HTS numbers differs between two official revisions."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    hts10: str = Field(pattern=r"^[0-9]{10}$", description="The company's HTS number, 10 digits.")
    changes: list[ChangeKind] = Field(min_length=1, description="What changed, in this order.")
    before: OfficialLineState | None = Field(description="The line in the revision in force; absent if none.")
    after: OfficialLineState | None = Field(description="The line in the new revision; absent if removed.")
