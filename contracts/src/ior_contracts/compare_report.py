"""The comparison report for machines (`compare-report/1`): the immutable `report.json` the compare
service stores beside each comparison and the API serves unread. Described here so that what the
dashboard reads is a contract, checked against what the compare service writes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.compare import ComparisonCounts, FieldMismatches
from ior_contracts.vocabulary import RuleName

REPORT_SCHEMA_VERSION = "compare-report/1"

Cell = str | int | bool | None


class Frame(BaseModel):
    """A table: column names, then rows of cells in the result's order (money and deltas as decimal
    text, never floats; null for a missing value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    columns: list[str]
    rows: list[list[Cell]]


class ComparedField(BaseModel):
    """One compared field and how it is judged: the tolerance configuration the version hashes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: RuleName = Field(description="The field, e.g. `duty`, `net_kg`, `stack`.")
    column: str = Field(description="The column of the lines or entries it is read from.")
    level: Literal["line", "entry"]
    rule: Literal["exact", "decimals", "text", "flag_set", "numeric"] = Field(
        description="exact: equal text; decimals: `;`-joined numbers equal one by one; text: equal after "
        "case folding and removing whitespace; flag_set: equal as sets; numeric: within tolerance."
    )
    critical: bool = Field(description="Whether a mismatch of this field fails the comparison.")
    unit: Literal["dollars", "cents", "kg", "none"]
    absolute: int = Field(ge=0, description="Absolute tolerance, in the field's unit.")
    relative: str = Field(description="Relative tolerance as decimal text, e.g. `0.01`.")
    parts: list[str] = Field(description="The line parts the field is compared on.")


class ComparisonReport(BaseModel):
    """`report.json` of one comparison."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal["compare-report/1"]
    metadata: dict[str, Cell] = Field(description="The comparison id, business date, run ids and the like.")
    config_version: str = Field(description="The tolerance configuration's version (a hash of its content).")
    tolerances: list[ComparedField]
    passed: bool
    failure_reasons: list[str] = Field(description="Why it failed, a sentence each; empty when it passed.")
    counts: ComparisonCounts
    worst_fields: list[FieldMismatches] = Field(description="The fields out of tolerance, worst first.")
    lines: Frame = Field(description="Every line's outcome.")
    mismatches: Frame = Field(description="Every field out of tolerance, with both values and the delta.")
    entries: Frame = Field(description="Every entry's outcome.")
