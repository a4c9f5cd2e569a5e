"""packaging-materials: ZEMM005 packaging (VERP) + ZFMIOR002 — the simplest dataset."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ior_contracts.datasets import PACKAGING_MATERIALS
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.packaging_materials import build_packaging_materials
from ior_etl.domain.sap_fields import ZEMM005, ZFMIOR002

from tests.etl.unit.records import frame, material, packaging, weights

LENIENT = HoldPolicy(thresholds={"packaging-materials": Decimal(1)})


def packaging_weights(number: str = "90000001", **fields: str) -> dict[str, str]:
    zero = dict.fromkeys(("ZZSTEEL", "ZZALU", "ZZCOPPER", "ZZMETALVAL"), "0")
    return weights(number, NTGEW="900", BRGEW="900", GEWEI="G", WAERS="", **zero) | fields


def build(materials: list[dict[str, str]], weight_rows: list[dict[str, str]], **kwargs: Any) -> DatasetBuild:
    return build_packaging_materials(frame(ZEMM005, *materials), frame(ZFMIOR002, *weight_rows), **kwargs)


def test_packaging_rows_are_published_with_their_unit_weight_in_kg():
    result = build(
        [packaging("90000001"), packaging("90000003", MAKTX="Wooden  pallet\t120x80"), material("10000004")],
        [packaging_weights("90000001"), packaging_weights("90000003", BRGEW="22", GEWEI="KG"), weights()],
    )

    assert not result.held
    assert tuple(result.frame.columns) == PACKAGING_MATERIALS.names
    assert result.frame.to_dict("records") == [
        {
            "material": "90000001",
            "description": "Corrugated carton 60x40x30",
            "is_packaging": True,
            "unit_kg": Decimal("0.9"),
        },
        {
            "material": "90000003",
            "description": "Wooden pallet 120x80",
            "is_packaging": True,
            "unit_kg": Decimal("22"),
        },
    ]


@pytest.mark.parametrize(
    ("material_fields", "weight_fields", "rule", "reason"),
    [
        ({"MATNR": ""}, {"MATNR": ""}, "missing_material", "the material number is blank"),
        ({"MAKTX": ""}, {}, "missing_description", "packaging material 90000001: the description is blank"),
        ({}, {"GEWEI": "TON"}, "unknown_weight_unit", "weight unit TON is not one of KG, G, LB"),
        ({}, {"BRGEW": "-1"}, "invalid_unit_weight", "unit weight -1 G is not a number of zero or more"),
        ({}, {"BRGEW": ""}, "invalid_unit_weight", "unit weight (blank) G is not a number of zero or more"),
    ],
)
def test_each_rule_rejects_with_its_reason(material_fields, weight_fields, rule, reason):
    result = build([packaging(**material_fields)], [packaging_weights(**weight_fields)], policy=LENIENT)

    assert result.frame.empty
    assert list(result.rejected["rule"]) == [rule]
    assert reason in result.rejected["reason"].iloc[0]


def test_quarantine_holds_all_failures_of_a_row():
    result = build([packaging(MAKTX="")], [packaging_weights(BRGEW="x")], policy=LENIENT)

    assert list(result.rejected["rule"]) == ["missing_description", "invalid_unit_weight"]
    assert list(result.rejected["field"]) == ["MAKTX", "BRGEW"]
    assert result.rejected["record"].iloc[0]["MATNR"] == "000000000090000001"


def test_past_the_threshold_nothing_is_published():
    result = build([packaging("90000001"), packaging("90000002")], [packaging_weights("90000001", BRGEW="x")])

    assert result.held
    assert result.outcome.rule in {"invalid_unit_weight", "missing_weight_record"}
    assert result.outcome.rejected_rows == 2


def test_a_material_waiting_for_its_weight_is_published_when_it_arrives():
    crates = [packaging("90000001"), packaging("90000002")]
    first = build(crates, [packaging_weights("90000001")], policy=LENIENT)
    assert list(first.rejected["rule"]) == ["missing_weight_record"]
    assert (
        first.rejected["reason"].iloc[0]
        == "packaging material 90000002: has no weight record in ZFMIOR002 yet"
    )

    # The weights landing rebuild the dataset from both extracts: the waiting material is read again.
    again = build(crates, [packaging_weights("90000001"), packaging_weights("90000002", BRGEW="150")])

    assert again.frame.to_dict("records")[1:] == [
        {
            "material": "90000002",
            "description": "Corrugated carton 60x40x30",
            "is_packaging": True,
            "unit_kg": Decimal("0.15"),
        }
    ]


def test_a_row_that_also_fails_another_rule_is_not_re_evaluated():
    first = build([packaging("90000002", MAKTX="")], [], policy=LENIENT)

    assert not first.rejected["re_evaluable"].any()
    again = build([packaging("90000002", MAKTX="")], [packaging_weights("90000002")], policy=LENIENT)
    assert again.frame.empty
    assert list(again.rejected["rule"]) == ["missing_description"]
