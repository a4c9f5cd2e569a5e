"""The parts of customs events that a reader shows on their own: a dataset a run fell back from, and
the lines one quarantine reason caught. `ior_contracts.customs` re-exports them; they live apart so the
API's responses can use them without building every customs event at its cold start."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ior_contracts.vocabulary import DatasetName, DatasetVersion

QuarantineReason = Literal[
    "unknown_material",
    "no_hts_reference",
    "no_origin",
    "no_weight",
    "no_exchange_rate",
    "unit_not_reportable",
    "ambiguous_provision",
    "packaging_without_goods",
]
"""The first failing check of a line, in the order the checks run."""

FallbackReason = Literal["held", "checksum_mismatch", "unreadable"]


class Fallback(BaseModel):
    """A dataset the run could not take at its latest version, and the last good version it used."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    dataset: DatasetName = Field(description="Which dataset.")
    version: DatasetVersion = Field(description="The last good version the run used instead.")
    reason: FallbackReason = Field(
        description="`held`: the latest run was held; `checksum_mismatch`/`unreadable`: its snapshot was bad."
    )
    detail: str = Field(min_length=1, max_length=500, description="What happened, for a person.")


class ReasonCount(BaseModel):
    """How many lines one quarantine reason caught."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    reason: QuarantineReason = Field(description="The first failing check.")
    count: int = Field(ge=1, description="Invoice lines quarantined for it.")
