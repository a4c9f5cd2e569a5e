"""What every builder returns: the dataset rows, the validation behind them, the review flags (the
builder's own and the one every dataset gets: text a spreadsheet would run as a formula) and where
each row was read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from ior_contracts.datasets import DatasetSchema, schema_of
from ior_contracts.vocabulary import Mode

from ior_etl.domain.validation import ROW, Outcome, ValidationResult
from ior_etl.domain.values import per_distinct

# OWASP's CSV injection: text starting with one of these is a formula to a spreadsheet. Such a row
# is kept (a description may be odd, not wrong) and counted, so a person looks at it; the API's CSV
# exports make the cell text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FLAG = "formula_like_text"
# The free-text columns, from the legacy files and the SAP extracts alike.
TEXT_COLUMNS = ("description",)


def formula_like(column: pd.Series) -> pd.Series:
    """True where a text cell starts as a formula would; looked at once per distinct text (a day's
    descriptions are its materials')."""
    return per_distinct(column.fillna("").astype(str), lambda text: text.str.startswith(FORMULA_STARTS))


@dataclass(frozen=True, eq=False)
class SourceRows:
    """Where each row of a build's frame was read: the source (a SAP table, or the legacy file once
    the build is attributed to it) and, in the frame's order, each row's number in the build's input
    (`source_row`: an extract's line, a legacy file's row as a spreadsheet shows it)."""

    source: str
    rows: np.ndarray

    @classmethod
    def of(cls, source: str, valid: pd.DataFrame) -> SourceRows:
        """The rows of `valid` (candidates with their `source_row`), which the frame keeps in order."""
        return cls(source, valid[ROW].to_numpy(dtype="int64"))


@dataclass(frozen=True, eq=False)
class DatasetBuild:
    """`frame` holds the valid rows only, in the dataset's typed form; publish it unless `held`."""

    dataset: str
    mode: Mode
    frame: pd.DataFrame
    validation: ValidationResult
    # The builder's own review flags (rows published for a person's review), by flag.
    review: Mapping[str, int] = field(default_factory=dict)
    # Where each row of `frame` was read; None for a build that cannot say.
    sources: SourceRows | None = None

    @cached_property
    def flags(self) -> dict[str, int]:
        """Every review flag with the rows carrying it: the builder's and formula-like text."""
        formulas = sum(int(formula_like(self.frame[c]).sum()) for c in TEXT_COLUMNS if c in self.frame)
        return {**self.review, **({FORMULA_FLAG: formulas} if formulas else {})}

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
