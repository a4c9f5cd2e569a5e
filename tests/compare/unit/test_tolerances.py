"""Field tolerances at their edges: exactly at the tolerance matches, one unit over mismatches."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from ior_compare.domain.engine import compare
from ior_compare.domain.tolerances import DEFAULT_TOLERANCES, FieldTolerance, Rule, ToleranceConfig, Unit

from .builders import compare_lines, entries, entry, line, lines, mismatched


@pytest.mark.parametrize(("delta", "matches"), [(1, True), (-1, True), (2, False), (-2, False), (0, True)])
def test_value_is_within_one_whole_dollar(delta: int, matches: bool) -> None:
    result = compare_lines([line(value=1000)], [line(value=1000 + delta)])
    assert (result.counts.lines.match == 1) is matches
    assert result.passed is matches


@pytest.mark.parametrize(("delta", "matches"), [(100, True), (-100, True), (101, False), (-101, False)])
def test_duty_is_within_one_dollar_to_the_cent(delta: int, matches: bool) -> None:
    result = compare_lines([line(duty_cents=25_000)], [line(duty_cents=25_000 + delta)])
    assert (result.counts.lines.match == 1) is matches
    if not matches:
        assert mismatched(result) == [("duty", "1.01" if delta > 0 else "-1.01")]


@pytest.mark.parametrize("fee", ["mpf_cents", "hmf_cents"])
@pytest.mark.parametrize(("delta", "matches"), [(100, True), (-100, True), (101, False), (-101, False)])
def test_entry_fees_are_within_one_dollar(fee: str, delta: int, matches: bool) -> None:
    same = lines(line())
    result = compare(same, same, entries(entry(**{fee: 3358})), entries(entry(**{fee: 3358 + delta})))
    assert (result.counts.entries.match == 1) is matches
    assert result.passed is matches


@pytest.mark.parametrize("field", ["net_kg", "gross_kg"])
@pytest.mark.parametrize(
    ("expected", "delta", "matches"),
    [
        (50, 1, True),  # small weight: 1 kg is the floor
        (50, 2, False),
        (50, -1, True),
        (100, 1, True),  # 1 % of 100 kg is exactly 1 kg
        (100, 2, False),
        (1200, 12, True),  # exactly 1 %
        (1200, 13, False),
        (1200, -12, True),
        (1234, 12, True),  # 1 % is 12.34 kg
        (1234, 13, False),
        (250_000, 2500, True),
        (250_000, 2501, False),
    ],
)
def test_kilograms_are_within_one_kg_or_one_percent_of_expected(
    field: str, expected: int, delta: int, matches: bool
) -> None:
    result = compare_lines([line(**{field: expected})], [line(**{field: expected + delta})])
    assert (result.counts.lines.match == 1) is matches


def test_kilogram_tolerance_is_reported_as_applied() -> None:
    result = compare_lines([line(net_kg=1234)], [line(net_kg=1247)])
    row = result.mismatches.iloc[0]
    assert (row["field"], row["expected"], row["actual"], row["delta"], row["tolerance"]) == (
        "net_kg", "1234", "1247", "13", "±12.34",
    )  # fmt: skip
    assert not row["critical"]


def test_kilograms_of_a_metal_part_are_not_compared() -> None:
    result = compare_lines(
        [line(part="metal", net_kg=0, gross_kg=0)], [line(part="metal", net_kg=9, gross_kg=9)]
    )
    assert result.counts.lines.match == 1


def test_kilograms_of_a_non_metal_part_are_compared() -> None:
    result = compare_lines([line(part="non_metal", net_kg=50)], [line(part="non_metal", net_kg=60)])
    assert mismatched(result) == [("net_kg", "10")]


def test_description_ignores_case_and_all_whitespace() -> None:
    expected = line(description="Machines for the reception of data")
    actual = line(description=" MACHINES  for\u00a0the\treception of   DATA ")
    assert compare_lines([expected], [actual]).counts.lines.match == 1


def test_description_differing_in_words_is_a_non_critical_mismatch() -> None:
    result = compare_lines([line(description="Routers")], [line(description="Switches")])
    assert result.counts.lines.mismatch == 1
    assert result.passed
    assert result.mismatches.iloc[0][["field", "expected", "actual", "critical"]].tolist() == [
        "description", "Routers", "Switches", False,
    ]  # fmt: skip


def test_rates_compare_as_decimals_number_by_number() -> None:
    assert compare_lines([line(rates="0.25;0")], [line(rates="0.250;0.0")]).passed
    swapped = compare_lines([line(rates="0.25;0")], [line(rates="0;0.25")])
    assert mismatched(swapped) == [("rates", None)]
    assert not swapped.passed


@pytest.mark.parametrize(
    ("field", "actual"),
    [("stack", "9903.01.24;8517.62.00.20"), ("quantity", "No.=34"), ("quantity", "no.=33")],
)
def test_stack_and_quantity_are_exact_and_critical(field: str, actual: str) -> None:
    result = compare_lines([line()], [line(**{field: actual})])
    assert mismatched(result) == [(field, None)]
    assert result.mismatches["critical"].tolist() == [True]
    assert not result.passed


def test_config_version_follows_content() -> None:
    looser = ToleranceConfig(
        tuple(replace(f, absolute=2) if f.name == "value" else f for f in DEFAULT_TOLERANCES.fields)
    )
    assert DEFAULT_TOLERANCES.version == ToleranceConfig().version
    assert looser.version != DEFAULT_TOLERANCES.version
    assert len(DEFAULT_TOLERANCES.version) == 16
    assert hash(DEFAULT_TOLERANCES) == hash(ToleranceConfig())


def test_a_looser_configuration_changes_the_outcome() -> None:
    looser = ToleranceConfig(
        tuple(replace(f, absolute=5) if f.name == "value" else f for f in DEFAULT_TOLERANCES.fields)
    )
    assert compare_lines([line(value=1000)], [line(value=1005)], config=looser).passed


def test_a_field_rule_must_suit_its_column() -> None:
    with pytest.raises(ValueError, match="does not suit"):
        FieldTolerance("value", "value", "line", Rule.TEXT, critical=True)
    with pytest.raises(ValueError, match="needs a unit"):
        FieldTolerance("value", "value", "line", Rule.NUMERIC, critical=True)
    with pytest.raises(ValueError, match="unique"):
        ToleranceConfig((*DEFAULT_TOLERANCES.fields, DEFAULT_TOLERANCES.fields[0]))


def test_relative_tolerance_keeps_integer_arithmetic() -> None:
    tolerance = FieldTolerance(
        "net_kg",
        "net_kg",
        "line",
        Rule.NUMERIC,
        critical=False,
        unit=Unit.KG,
        absolute=1,
        relative=Decimal("0.015"),
    )
    assert tolerance.relative_digits == 3
