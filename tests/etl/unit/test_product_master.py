"""product-master: ZEMM005 goods + ZFMIOR002 weights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ior_contracts.datasets import PRODUCT_MASTER
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.product_master import build_product_master
from ior_etl.domain.sap_fields import ZEMM005, ZFMIOR002

from tests.etl.unit.records import frame, material, packaging, weights

LENIENT = HoldPolicy(thresholds={"product-master": Decimal(1)})


def build(materials: list[dict[str, str]], weight_rows: list[dict[str, str]], **kwargs: Any) -> DatasetBuild:
    return build_product_master(frame(ZEMM005, *materials), frame(ZFMIOR002, *weight_rows), **kwargs)


def test_good_products_are_published_in_kilograms_with_packing_and_metal_share():
    result = build(
        [material("10000004"), material("10000005", MTART="HAWA", HERKL="TW"), packaging("90000001")],
        [
            weights("10000004"),
            weights(
                "10000005", NTGEW="500", BRGEW="700", GEWEI="G", ZZSTEEL="50", ZZALU="0", ZZMETALVAL="0.90"
            ),
            weights("90000001"),
        ],
    )

    assert not result.held
    assert tuple(result.frame.columns) == PRODUCT_MASTER.names
    rows = result.frame.set_index("material")
    assert list(rows.index) == ["10000004", "10000005"]  # packaging is not a product
    psu = rows.loc["10000004"]
    assert (psu.hts10, psu.origin, psu.base_unit, psu.material_type) == ("8504409520", "CN", "PCE", "FERT")
    assert (psu.net_kg, psu.gross_kg, psu.packing_kg) == (Decimal("1.6"), Decimal("1.9"), Decimal("0.3"))
    assert psu.metal_share == Decimal("0.35")
    assert (psu.metal_value_per_unit, psu.metal_value_currency) == (Decimal("4.2"), "USD")
    grams = rows.loc["10000005"]
    assert (grams.net_kg, grams.gross_kg, grams.steel_kg, grams.metal_share) == (
        Decimal("0.5"),
        Decimal("0.7"),
        Decimal("0.05"),
        Decimal("0.1"),
    )


def test_pounds_convert_exactly():
    result = build([material()], [weights(NTGEW="2", BRGEW="2.5", GEWEI="LB", ZZSTEEL="1", ZZALU="0")])

    row = result.frame.iloc[0]
    assert row.net_kg == Decimal("0.90718474")
    assert row.gross_kg == Decimal("1.133980925")
    assert row.packing_kg == Decimal("0.226796185")
    assert row.metal_share == Decimal("0.5")


def test_a_share_that_does_not_terminate_is_rounded_to_twelve_places():
    result = build([material()], [weights(NTGEW="3", BRGEW="3", ZZSTEEL="1", ZZALU="0")])

    assert result.frame.iloc[0].metal_share == Decimal("0.333333333333")


def test_no_metal_value_needs_no_currency_and_is_published_in_usd():
    result = build([material()], [weights(ZZMETALVAL="0.00", WAERS="")])

    assert (result.frame.iloc[0].metal_value_per_unit, result.frame.iloc[0].metal_value_currency) == (
        Decimal(0),
        "USD",
    )


@pytest.mark.parametrize(
    ("material_fields", "weight_fields", "rule", "reason"),
    [
        ({"MATNR": ""}, {"MATNR": ""}, "missing_material", "the material number is blank"),
        ({"MAKTX": " "}, {}, "missing_description", "product 10000004: the description is blank"),
        ({"STAWN": ""}, {}, "missing_hts", "product 10000004: has no HTS number"),
        ({"STAWN": "85044095"}, {}, "malformed_hts", "HTS number 85044095 is not 10 digits"),
        ({"HERKL": ""}, {}, "missing_origin", "product 10000004: has no country of origin"),
        ({"HERKL": "China"}, {}, "malformed_origin", "country of origin China is not a two-letter ISO code"),
        ({"MEINS": "BOX"}, {}, "unknown_base_unit", "base unit BOX is not a piece or kilogram unit"),
        ({}, {"GEWEI": "OZ"}, "unknown_weight_unit", "weight unit OZ is not one of KG, G, LB"),
        ({}, {"NTGEW": ""}, "invalid_net_weight", "net weight (blank) KG is not a number above zero"),
        ({}, {"NTGEW": "0.000"}, "invalid_net_weight", "net weight 0.000 KG is not a number above zero"),
        ({}, {"BRGEW": "1,9"}, "invalid_gross_weight", "gross weight 1,9 KG is not a number above zero"),
        (
            {},
            {"BRGEW": "1.200"},
            "gross_below_net",
            "product 10000004: gross weight 1.2 kg is below net weight 1.6 kg",
        ),
        ({}, {"ZZALU": "-1"}, "invalid_metal_weight", "aluminium -1"),
        (
            {},
            {"ZZSTEEL": "1.7"},
            "metal_exceeds_net",
            "metal weighs 1.76 kg, more than the net weight 1.6 kg",
        ),
        ({}, {"ZZMETALVAL": "abc"}, "invalid_metal_value", "metal value abc is not a number of zero or more"),
        ({}, {"WAERS": ""}, "invalid_metal_value_currency", "metal value 4.20 has no valid currency code"),
        ({}, {"WAERS": "usd"}, "invalid_metal_value_currency", "(usd)"),
    ],
)
def test_each_rule_rejects_with_its_reason(material_fields, weight_fields, rule, reason):
    result = build([material(**material_fields)], [weights(**weight_fields)], policy=LENIENT)

    assert result.frame.empty
    rejected = result.rejected
    assert rule in set(rejected["rule"])
    assert reason in rejected.loc[rejected["rule"] == rule, "reason"].iloc[0]


def test_a_product_without_a_weight_record_waits_for_master_data():
    result = build([material("10000004"), material("10000007")], [weights("10000004")], policy=LENIENT)

    rejected = result.rejected
    assert list(rejected["rule"]) == ["missing_weight_record"]
    assert rejected["reason"].iloc[0] == "product 10000007: has no weight record in ZFMIOR002 yet"
    assert bool(rejected["re_evaluable"].iloc[0])


def test_two_weight_records_are_ambiguous_and_two_material_rows_duplicate_the_key():
    result = build(
        [material("10000004"), material("10000004"), material("10000005")],
        [weights("10000004"), weights("10000005"), weights("10000005")],
        policy=LENIENT,
    )

    assert result.frame.empty
    assert set(result.rejected["rule"]) == {"duplicate_key", "ambiguous_weight_record"}


def test_quarantine_keeps_every_failure_of_a_row_with_the_original_record():
    result = build(
        [material(STAWN="", HERKL="")], [weights(BRGEW="1.000", ZZMETALVAL="5", WAERS="")], policy=LENIENT
    )

    rejected = result.rejected
    assert list(rejected["rule"]) == [
        "missing_hts",
        "missing_origin",
        "gross_below_net",
        "invalid_metal_value_currency",
    ]
    assert set(rejected["row"]) == {1}
    assert list(rejected["field"]) == ["STAWN", "HERKL", "BRGEW", "WAERS"]
    assert rejected["record"].iloc[0]["BRGEW"] == "1.000"
    assert not rejected["re_evaluable"].any()


def test_too_many_rejects_hold_the_dataset():
    result = build(
        [material("10000004"), material("10000005")], [weights("10000004", BRGEW="1"), weights("10000005")]
    )

    assert result.held
    assert result.outcome.rule == "gross_below_net"
    assert (result.outcome.rejected_rows, result.outcome.total_rows) == (1, 2)


def test_quarantined_products_are_published_once_their_weights_arrive():
    products = [material("10000004"), material("10000007")]
    first = build(products, [weights("10000004")], policy=LENIENT)
    assert list(first.frame["material"]) == ["10000004"]

    # The weights landing rebuild the dataset from both extracts: the waiting product is read again.
    again = build(products, [weights("10000004"), weights("10000007")])

    assert list(again.frame["material"]) == ["10000004", "10000007"]
    assert again.rejected.empty


def test_the_optional_hts_cross_check_waits_for_hts_reference():
    first = build([material()], [weights()], policy=LENIENT, hts_codes={"8517620020"})

    assert list(first.rejected["rule"]) == ["hts_not_in_reference"]
    assert bool(first.rejected["re_evaluable"].iloc[0])
    again = build([material()], [weights()], hts_codes={"8517620020", "8504409520"})
    assert list(again.frame["material"]) == ["10000004"]
