"""The customs processor as pure functions over DataFrames: `process(inputs) -> Result`. Beside it,
the rules a run applies around the processor: when a date closes (`closed_dates`) and what a
correction would change (`changes`). The fee table comes with the run's inputs (`fees`)."""

from __future__ import annotations

from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.fees import FeeTable, HmfRate, MpfRate
from ior_customs.domain.inputs import ProcessorInputs
from ior_customs.domain.processor import process
from ior_customs.domain.result import Result

__all__ = ["CustomsDomainError", "FeeTable", "HmfRate", "MpfRate", "ProcessorInputs", "Result", "process"]
