"""The processor against the scalar oracle, on the golden cases and on random business days."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from ior_customs.domain import process

from tests.customs.cases import DATASET_VERSIONS, case_name, golden_files, inputs_from_case, load_case
from tests.customs.oracle import run_oracle
from tests.customs.unit.test_golden import assert_matches
from tests.customs.universe import business_days


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_oracle_reproduces_golden_case(path: Path) -> None:
    # The oracle earns its place by passing the hand-worked cases too.
    case = load_case(path)
    assert_matches(case["expected"], run_oracle(case, DATASET_VERSIONS, "case").records)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=business_days())
def test_processor_agrees_with_oracle_on_every_field(case: dict[str, Any]) -> None:
    # GIVEN a random business day WHEN both run THEN every field of every record is equal
    expected = run_oracle(case, DATASET_VERSIONS, "case").records
    assert process(inputs_from_case(case)).to_records() == expected
