"""The processor against the scalar oracle, on the golden cases and on random business days, which
exercise the rulings of DOMAIN §4 often: kilogram lines, cancelled credits, worthless invoices."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from ior_customs.domain import process

from tests.customs.cases import DATASET_VERSIONS, case_name, golden_files, inputs_from_case, load_case
from tests.customs.oracle import run_oracle
from tests.customs.unit.test_golden import assert_matches
from tests.customs.universe import business_days, features

EXAMPLES = 500
FEATURES = ("kilogram_line", "cancelled_credit", "zero_value_invoice")


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_oracle_reproduces_golden_case(path: Path) -> None:
    # The oracle earns its place by passing the hand-worked cases too.
    case = load_case(path)
    assert_matches(case["expected"], run_oracle(case, DATASET_VERSIONS, "case").records)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=business_days())
def test_processor_agrees_with_oracle_on_every_field(case: dict[str, Any]) -> None:
    # GIVEN a random business day WHEN both run THEN every field of every record is equal
    expected = run_oracle(case, DATASET_VERSIONS, "case").records
    assert process(inputs_from_case(case)).to_records() == expected
    for feature in sorted(features(case, expected)):
        event(feature)  # `--hypothesis-show-statistics` shows how often each ruling came up


def test_the_generated_days_exercise_each_ruling_often() -> None:
    # GIVEN as many generated days as the agreement test runs, drawn deterministically
    seen: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=business_days())
    def tally(case: dict[str, Any]) -> None:
        seen.update(features(case, process(inputs_from_case(case)).to_records()))

    tally()
    # THEN each ruling comes up in a good share of them, not once by luck
    assert {name: seen[name] >= EXAMPLES // 20 for name in FEATURES} == dict.fromkeys(FEATURES, True), seen
