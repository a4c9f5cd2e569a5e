"""The golden cases (DOMAIN §3–§4 worked by hand): every YAML file of the shared golden folder
but the catalogue, each run through the processor and required to match field by field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ior_customs.domain import process

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case

DECIMAL_FIELDS = {"rates", "duties", "duty", "mpf", "hmf"}
"""Compared as decimals ('0.10' equals '0.1'); everything else exactly."""
PUBLISHED_EXTRAS = {
    "business_date", "datasets", "config_version", "lineage", "material", "type", "source_materials",
}  # fmt: skip
"""What the processor publishes beyond the golden shape (lineage, the material or billing type of a
line set aside, and the material of each of a line's sources); every other field must be expected."""


def _as_decimals(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_decimals(v) for k, v in value.items()}
    return None if value is None else Decimal(str(value))


def assert_matches(expected: Any, actual: Any, where: str = "") -> None:
    """`actual` has exactly the fields of `expected` (published extras aside) with the same values; lists
    match element by element."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a mapping, got {actual!r}"
        extra = set(actual) - set(expected) - PUBLISHED_EXTRAS
        assert not extra, f"{where}: unexpected fields {sorted(extra)} in {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key}: missing"
            if key in DECIMAL_FIELDS:
                assert _as_decimals(value) == _as_decimals(actual[key]), (
                    f"{where}.{key}: {value!r} != {actual[key]!r}"
                )
            else:
                assert_matches(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), (
            f"{where}: {len(expected)} expected, {len(actual)} actual: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_matches(e, a, f"{where}[{i}]")
    else:
        assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_processor_reproduces_golden_case(path: Path) -> None:
    # GIVEN a golden case with its catalogue
    case = load_case(path)
    # WHEN the processor runs on it
    records = process(inputs_from_case(case)).to_records()
    # THEN every expected field matches
    assert_matches(case["expected"], records)


def test_golden_folder_holds_cases() -> None:
    assert golden_files(), "no golden case found beside the repository (../shared/reference/golden)"
