"""Closed sets and constrained strings that more than one event family uses.

They live here, not in one family, so that a change to one of them shows up in every contract that
uses it at once (and `schema_files` then reports each affected contract)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, 64 lowercase hex digits.")]

S3Uri = Annotated[str, Field(pattern=r"^s3://[a-z0-9.\-]+/.+", description="s3://bucket/key of an object.")]

# Identifiers the producing service assigns (runs, comparisons, changes, requests).
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")]

# A dataset version is a content hash of its inputs, code and rules (so equal inputs give equal versions).
DatasetVersion = Annotated[
    str, Field(pattern=r"^[0-9a-f]{12,64}$", description="Content hash identifying one version of a dataset.")
]

# The version of the code or configuration that made an output (part of every output's key).
BuildVersion = Annotated[str, Field(min_length=1, max_length=128)]

# A person (user name) or a component (`ior.<service>`, `ior-cli`) that asked for something.
Actor = Annotated[str, Field(min_length=1, max_length=128)]

# A sentence for people: why something was asked or decided. Never empty or only blanks.
Reason = Annotated[str, Field(min_length=1, max_length=1000, pattern=r"\S")]

# Names of rules, flags and compared fields: snake_case words.
RuleName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]

# An official HTS revision as people name it (`2026 Basic`, `2026 Rev. 10`).
RevisionLabel = Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")]

# A fraction between 0 and 1 as a decimal string ("0.125"), exact where a float would not be.
Fraction = Annotated[str, Field(pattern=r"^(0(\.[0-9]+)?|1(\.0+)?)$")]

# A non-negative decimal amount as a string ("12.50"), for amounts that are not cents.
DecimalAmount = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?$")]

Mode = Literal["automated", "manual"]
"""Which path produced the data: SAP extracts (`automated`) or the analysts' CSV upload (`manual`)."""

DatasetName = Literal[
    "product-master",
    "packaging-materials",
    "hts-reference",
    "tariff-provisions",
    "exchange-rates",
    "transactions",
]

SourceName = Literal[
    "ZFMIOR001",
    "ZFMIOR002",
    "ZFMIOR003",
    "ZEMM005",
    "ZEMM004",
    "ZEMM07",
    "ZSDR002",
    "USITC_HTS",
]
"""The seven SAP extracts and the official USITC HTS export."""

CutoverState = Literal["shadow", "cutover"]
"""`shadow`: manual lines are official; `cutover`: automated lines are official."""


class DateWindow(BaseModel):
    """An inclusive range of dates."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    from_date: date = Field(description="First date of the window, inclusive.")
    to_date: date = Field(description="Last date of the window, inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> DateWindow:
        if self.from_date > self.to_date:
            raise ValueError(f"window from_date {self.from_date} is after to_date {self.to_date}")
        return self
