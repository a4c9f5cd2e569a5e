"""What every builder returns: the dataset rows, the validation behind them and the review flags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from ior_contracts.datasets import DatasetSchema, schema_of
from ior_contracts.vocabulary import Mode

from ior_etl.domain.validation import Outcome, ValidationResult


@dataclass(frozen=True, eq=False)
class DatasetBuild:
    """`frame` holds the valid rows only, in the dataset's typed form; publish it unless `held`."""

    dataset: str
    mode: Mode
    frame: pd.DataFrame
    validation: ValidationResult
    flags: Mapping[str, int] = field(default_factory=dict)

    @property
    def schema(self) -> DatasetSchema:
        return schema_of(self.dataset)

    @property
    def outcome(self) -> Outcome:
        return self.validation.outcome

    @property
    def held(self) -> bool:
        return self.outcome.held

    @property
    def rejected(self) -> pd.DataFrame:
        return self.validation.rejected
