"""transactions: ZSDR002 lines, structurally validated; related-party review from ZEMM004."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from ior_contracts.datasets import TRANSACTIONS
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import ZEMM004, ZSDR002
from ior_etl.domain.transactions import build_transactions

from tests.etl.unit.records import billing, frame, supplier_item

LENIENT = HoldPolicy(thresholds={"transactions": Decimal(1)})


def build(
    *lines: dict[str, str], supplier: list[dict[str, str]] | None = None, **kwargs: Any
) -> DatasetBuild:
    items = frame(ZEMM004, *supplier) if supplier is not None else None
    return build_transactions(frame(ZSDR002, *lines), items, **kwargs)


def test_every_billing_line_is_published_with_its_type_and_cancellation_status():
    result = build(
        billing("90020001", "10"),
        billing("90020002", "10", FKART="G2"),
        billing("90020003", "10", FKSTO="X"),
        billing("90020004", "10", FKART="S1", SFAKN="0090020003", ARKTX=""),
        billing("90020005", "10", MATNR="99999999".zfill(18), VRKME="KG", FKIMG="12.500", WAERK="USD"),
    )

    assert not result.held
    assert tuple(result.frame.columns) == TRANSACTIONS.names
    rows = result.frame.set_index("document")
    first = rows.loc["90020001"]
    assert (first["item"], first.type, first.cancelled, first.material, first.unit) == (
        10,
        "F2",
        False,
        "10000003",
        "PCE",
    )
    assert (first.quantity, first.value, first.currency) == (Decimal("120.000"), Decimal("20399.99"), "EUR")
    assert (first.billing_date, first.arrival) == (pd.Timestamp("2026-03-12"), pd.Timestamp("2026-03-16"))
    assert (first["shipment"], first["port"], first["mode"]) == ("SH2001", "2709", "11")
    assert pd.isna(first.cancels)
    assert bool(rows.loc["90020003", "cancelled"])
    cancellation = rows.loc["90020004"]
    assert (cancellation.type, cancellation.cancels) == ("S1", "90020003")
    assert pd.isna(cancellation.description)
    # An unknown material is a master-data gap for customs to report, not a structural error.
    assert (rows.loc["90020005", "material"], rows.loc["90020005", "unit"]) == ("99999999", "KGM")


@pytest.mark.parametrize(
    ("fields", "rule", "reason"),
    [
        (
            {"VBELN": "9002-0001"},
            "malformed_document",
            "billing document 9002-0001 is not up to 10 digits or capitals",
        ),
        ({"POSNR": "10a"}, "malformed_item", "item 10a is not a number of up to 6 digits"),
        ({"FKART": "F8"}, "unknown_billing_type", "billing type F8 is not one of F2, G2, RE, S1, S2"),
        ({"FKDAT": "2026-02-30"}, "invalid_billing_date", "billing date 2026-02-30 is not a date"),
        ({"FKDAT": "12.03.2026"}, "invalid_billing_date", "billing date 12.03.2026 is not a date"),
        ({"FKSTO": "Y"}, "invalid_cancellation_flag", "cancellation flag Y is neither X nor blank"),
        ({"SFAKN": "90-1"}, "malformed_cancelled_document", "cancelled document 90-1 is not up to 10 digits"),
        ({"MATNR": ""}, "missing_material", "has no material"),
        ({"FKIMG": "0.000"}, "invalid_quantity", "quantity 0.000 is not a number above zero"),
        ({"FKIMG": "-3"}, "invalid_quantity", "quantity -3 is not a number above zero"),
        ({"FKIMG": "1e3"}, "invalid_quantity", "quantity 1e3 is not a number above zero"),
        ({"VRKME": "BOX"}, "unknown_unit", "unit BOX is not one of ST, PC, EA, PCE, KG, KGM"),
        ({"NETWR": "1,234.00"}, "invalid_value", "net value 1,234.00 is not a number of zero or more"),
        ({"WAERK": "Euro"}, "unknown_currency", "currency Euro is not an ISO 4217 code"),
        ({"WAERK": "QQQ"}, "unknown_currency", "currency QQQ is not an ISO 4217 code"),
        ({"ZZSHIPMENT": " "}, "missing_shipment", "has no shipment"),
        ({"ZZPORT": "27"}, "malformed_port", "port 27 is not a four-digit CBP port code"),
        (
            {"ZZMOT": "99"},
            "unknown_transport_mode",
            "transport mode 99 is not a CBP mode of transportation code",
        ),
        ({"ZZARRIVAL": ""}, "invalid_arrival_date", "arrival date (blank) is not a date"),
    ],
)
def test_each_structural_rule_rejects_with_its_reason(fields, rule, reason):
    result = build(billing(**fields), policy=LENIENT)

    assert result.frame.empty
    assert list(result.rejected["rule"]) == [rule]
    assert reason in result.rejected["reason"].iloc[0]


def test_quarantine_lists_every_failure_of_a_line_by_its_source_row():
    result = build(billing("1", "10"), billing("2", "10", FKIMG="x", WAERK="", ZZPORT="port"), policy=LENIENT)

    rejected = result.rejected
    assert set(rejected["row"]) == {2}
    assert list(rejected["rule"]) == ["invalid_quantity", "unknown_currency", "malformed_port"]
    assert (
        rejected["reason"].iloc[0] == "billing item 0000000002/000010: quantity x is not a number above zero"
    )
    assert rejected["record"].iloc[0]["FKIMG"] == "x"


def test_a_key_seen_twice_rejects_both_lines():
    result = build(billing(), billing(NETWR="1.00"), policy=LENIENT)

    assert list(result.rejected["rule"]) == ["duplicate_key", "duplicate_key"]


def test_too_many_malformed_lines_hold_the_transactions():
    result = build(*(billing(str(90020000 + n)) for n in range(50)), billing("1", FKDAT=""))

    assert result.held
    assert result.outcome.rule == "invalid_billing_date"
    assert result.outcome.threshold == Decimal("0.01")


# --- related-party review ------------------------------------------------------------------------


def test_an_invoice_line_priced_below_the_latest_supplier_cost_is_flagged_and_still_published():
    result = build(
        billing("1", NETWR="17999.99", FKIMG="120.000"),  # 149.99 each against a cost of 150
        billing("2", NETWR="18000.00", FKIMG="120.000"),  # exactly the cost: not below
        billing("3", NETWR="10.00", FKIMG="120.000", FKART="G2"),  # credits carry no price
        supplier=[supplier_item()],
    )

    flags = dict(zip(result.frame["document"], result.frame["related_party_review"], strict=True))
    assert flags == {"1": True, "2": False, "3": False}
    assert result.flags == {"related_party_review": 1}


def test_the_latest_debit_item_sets_the_cost_and_credit_items_are_ignored():
    supplier = [
        supplier_item("5100000001", WRBTR="20000.00", BLDAT="2026-01-05"),
        supplier_item("5100000002", WRBTR="14000.00", BLDAT="2026-02-01"),  # latest invoice: 140 each
        supplier_item("5100000003", WRBTR="50000.00", SHKZG="H", BLDAT="2026-02-20"),
    ]

    result = build(billing("1", NETWR="17400.00"), supplier=supplier)  # 145 each

    assert not result.frame["related_party_review"].any()


def test_another_currency_is_compared_in_usd_at_the_latest_rate_on_the_billing_date():
    rates = pd.DataFrame(
        {
            "currency": ["EUR", "EUR", "CNY"],
            "date": pd.to_datetime(["2026-03-01", "2026-03-20", "2026-03-01"]).astype("datetime64[s]"),
            "usd_per_unit": [Decimal("1.1"), Decimal("5"), Decimal("0.14")],
        }
    )
    supplier = [supplier_item(WAERS="CNY", WRBTR="110000.00")]  # 1100 CNY each = 154 USD

    result = build(
        billing("1", NETWR="16800.00"),  # 140 EUR each = 154 USD: not below
        billing("2", NETWR="16799.00"),  # just below
        billing("3", NETWR="16799.00", WAERK="TWD"),  # no TWD rate: cannot tell, not flagged
        supplier=supplier,
        rates=rates,
    )

    flags = dict(zip(result.frame["document"], result.frame["related_party_review"], strict=True))
    assert flags == {"1": False, "2": True, "3": False}


def test_without_supplier_items_nothing_is_flagged():
    result = build(billing(NETWR="0.01"))

    assert not result.frame["related_party_review"].any()
    assert result.flags == {}


@pytest.mark.parametrize("unit", ["KGM", "KG"])
def test_a_line_invoiced_in_kilograms_is_published_in_kgm_with_its_kilograms(unit):
    result = build(billing("90020001", "10", FKIMG="76.500", VRKME=unit))

    (line,) = result.frame.itertuples()
    assert (line.unit, line.quantity) == ("KGM", Decimal("76.5"))


def test_a_kilogram_line_is_not_compared_with_a_supplier_cost_per_piece():
    # GIVEN a supplier cost of 190 USD a piece and a line of 76.5 kg at 2.00 USD a kilogram
    costs = [supplier_item(WRBTR="19000.00", WAERS="USD")]
    line = billing("90020001", "10", FKIMG="76.500", VRKME="KGM", NETWR="153.00", WAERK="USD")
    # THEN nothing is flagged: the units differ
    assert not build(line, supplier=costs).frame["related_party_review"].any()
