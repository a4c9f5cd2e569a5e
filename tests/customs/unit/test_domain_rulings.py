"""DOMAIN's rulings for this issue, each pinned with a case worked by hand (the arithmetic is in the
comments): a cancelled credit is dropped, never held out (§4 step 1); a line invoiced in kilograms
(§4 step 6); an invoice whose goods are worth nothing shares its packaging equally (§4 step 2).
The scalar oracle must reach the same records on every case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from ior_customs.domain import Result, process

from tests.customs.cases import DATASET_VERSIONS, inputs_from_case
from tests.customs.oracle import run_oracle
from tests.customs.universe import FEES, HMF, HTS, PACKAGING

DAY = date(2026, 3, 16)


def _product(material: str, hts10: str, origin: str, net: str, gross: str, **fields: str) -> dict[str, str]:
    product = {"material": material, "hts10": hts10, "origin": origin, "net_kg": net, "gross_kg": gross,
               "metal_share": "0", "metal_value_per_unit": "0", "metal_value_currency": "USD"}  # fmt: skip
    return {**product, **fields}


ROUTER = _product("1", "8517620020", "TW", "2", "2.5")  # HTS unit No.
AP = _product("4", "8517620090", "VN", "1.1", "1.6")  # HTS unit No.
PSU = _product("5", "8504409520", "CN", "1.6", "1.9")  # HTS unit No.
BRACKET = _product("2", "7326908688", "CN", "0.9", "1.1", metal_share="1", metal_value_per_unit="5.40")
CLIP = _product("3", "7326908688", "TW", "0.333", "0.5", metal_share="1", metal_value_per_unit="4.20")
TINPLATE = _product("6", "7326901000", "CN", "0.2", "0.25")  # HTS unit No. and kg
ALUMINIUM = _product("7", "7616995190", "CN", "0.1", "0.12")  # HTS unit doz.
S232_METAL = {"code": "9903.81.91", "programme": "S232", "kind": "additional", "rate": "0.50",
              "part": "metal", "hts_prefixes": ["7326"], "origins": ["*"], "origins_excluded": [],
              "min_metal_share": None, "max_metal_share": None, "effective_from": date(2025, 6, 4),
              "effective_to": None, "rank": 40}  # fmt: skip


def _line(
    document: str, item: int, material: str, quantity: str, value: str, **fields: Any
) -> dict[str, Any]:
    line = {"document": document, "item": item, "type": "F2", "cancels": None, "cancelled": False,
            "billing_date": DAY, "material": material, "quantity": quantity, "unit": "PCE", "value": value,
            "currency": "USD", "shipment": "SH1", "port": "2704", "mode": "40", "arrival": DAY}  # fmt: skip
    return {**line, **fields}


def _case(lines: list[dict[str, Any]], products: list[dict[str, str]], **sections: Any) -> dict[str, Any]:
    return {"business_date": DAY, "hts": HTS, "products": products, "packaging": PACKAGING, "provisions": [],
            "fees": [*FEES, HMF], "fx": [], "invoice_lines": lines, **sections}  # fmt: skip


def _run(case: dict[str, Any]) -> tuple[Result, dict[str, Any]]:
    """The processor's result and its records, checked against the scalar oracle's."""
    result = process(inputs_from_case(case))
    records = result.to_records()
    assert records == run_oracle(case, DATASET_VERSIONS, "case").records
    return result, records


def _lines(records: dict[str, Any]) -> list[dict[str, Any]]:
    return [line for entry in records["entries"] for line in entry["lines"]]


def _set_aside(frame: pd.DataFrame) -> list[tuple[str, int, str, str]]:
    return [
        (str(d), int(i), str(t), str(r))
        for d, i, t, r in frame[["document", "item", "type", "reason"]].values
    ]


# --- §4 step 1: a cancelled credit is dropped, never held out ------------------------------------


def test_a_cancelled_credit_is_dropped_cancelled_and_an_uncancelled_one_held_out() -> None:
    # GIVEN a G2 cancelled in place (FKSTO X, as the analysts' file says), an RE cancelled by an S1
    # naming it (SFAKN), a G2 nobody cancelled, and one invoice line of $100
    lines = [
        _line("8001", 10, "1", "1", "50.00", type="G2", cancelled=True),
        _line("8002", 10, "1", "2", "200.00", type="RE"),
        _line("8003", 10, "1", "2", "200.00", type="S1", cancels="8002"),
        _line("8004", 10, "1", "1", "10.00", type="G2"),
        _line("8010", 10, "1", "1", "100.00"),
    ]
    # WHEN the day is processed
    result, records = _run(_case(lines, [ROUTER]))
    # THEN cancellation voids first: both cancelled credits and the S1 are dropped `cancelled`;
    # only the credit nobody cancelled is held out `credit`; the invoice is untouched at $100
    assert _set_aside(result.dropped) == [
        ("8001", 10, "G2", "cancelled"),
        ("8002", 10, "RE", "cancelled"),
        ("8003", 10, "S1", "cancelled"),
    ]
    assert _set_aside(result.held_out) == [("8004", 10, "G2", "credit")]
    ((line,),) = [entry["lines"] for entry in records["entries"]]
    assert (line["value"], line["sources"]) == (100, [["8010", 10]])


def test_an_s2_cancelling_a_credit_drops_both() -> None:
    lines = [
        _line("8020", 10, "1", "1", "25.00", type="G2"),
        _line("8021", 10, "1", "1", "25.00", type="S2", cancels="8020"),
        _line("8030", 10, "1", "1", "100.00"),
    ]
    result, _ = _run(_case(lines, [ROUTER]))
    assert _set_aside(result.dropped) == [("8020", 10, "G2", "cancelled"), ("8021", 10, "S2", "cancelled")]
    assert result.held_out.empty


# --- §4 step 6: a line invoiced in kilograms ------------------------------------------------------


def test_a_kilogram_line_reports_its_kilograms_and_values_its_metal_by_the_pieces_they_make() -> None:
    # GIVEN 12.6 kg of steel brackets (0.9 kg net, 1.1 kg gross each; $5.40 of metal each), $300,
    # under 7326.90.86.88 (unit kg, 2.9 %), with Section 232 at 50 % on the metal part
    lines = [_line("9001", 10, "2", "12.6", "300.00", unit="KGM")]
    # WHEN the day is processed
    _, records = _run(_case(lines, [BRACKET], provisions=[S232_METAL]))
    non_metal, metal = _lines(records)
    # THEN the invoiced quantity is the net weight: 12.6 kg → 13; gross 12.6 × 1.1 ÷ 0.9 = 15.4 → 15
    assert (non_metal["part"], non_metal["quantity"], non_metal["net_kg"], non_metal["gross_kg"]) == (
        "non_metal", {"kg": 13}, 13, 15
    )  # fmt: skip
    # AND the pieces are 12.6 ÷ 0.9 = 14, so the metal is 14 × $5.40 = $75.60 of the $300:
    # the non-metal part is $224.40 → $224, duty 2.9 % = $6.496 → $6.50
    assert (non_metal["value"], non_metal["stack"], non_metal["duty"]) == (224, ["7326.90.86.88"], "6.50")
    # AND the metal part is $75.60 → $76, value only: 50 % = $38.00 and 2.9 % = $2.204 → $2.20
    assert (metal["part"], metal["quantity"], metal["net_kg"], metal["gross_kg"], metal["value"]) == (
        "metal", {"kg": 0}, 0, 0, 76
    )  # fmt: skip
    assert metal["duties"] == {"9903.81.91": "38.00", "7326.90.86.88": "2.20"}
    assert metal["duty"] == "40.20"


def test_the_pieces_of_a_kilogram_line_are_exact_even_when_they_are_not_whole() -> None:
    # GIVEN 12.5 kg of clips weighing 0.333 kg net, 0.5 kg gross, $4.20 of metal each, for $1,000
    lines = [_line("9002", 10, "3", "12.5", "1000.00", unit="KGM")]
    _, records = _run(_case(lines, [CLIP], provisions=[S232_METAL]))
    non_metal, metal = _lines(records)
    # THEN the pieces are 12.5 ÷ 0.333 = 37.537537…, never rounded: metal = $4.20 × 12500 ÷ 333
    # = $157.657657… → $157.66 (rounded once); the non-metal part $1,000 − $157.66 = $842.34 → $842
    assert (metal["value"], non_metal["value"]) == (158, 842)
    # AND 12.5 kg net → 13 (half up); gross 12.5 × 0.5 ÷ 0.333 = 18.768… → 19
    assert (non_metal["quantity"], non_metal["net_kg"], non_metal["gross_kg"]) == ({"kg": 13}, 13, 19)


def test_a_kilogram_line_shares_packaging_weight_by_its_net_kilograms() -> None:
    # GIVEN 9 kg of brackets (10 pieces) and 4 routers (8 kg net) on one invoice with 2 cartons of 0.9 kg
    lines = [
        _line("9003", 10, "2", "9", "90.00", unit="KGM"),
        _line("9003", 20, "1", "4", "400.00"),
        _line("9003", 30, "90000001", "2", "10.00"),
    ]
    _, records = _run(_case(lines, [BRACKET, ROUTER]))
    bracket, router = sorted(_lines(records), key=lambda line: line["hts10"])
    # THEN the 1.8 kg of cartons go 9 : 8 by net weight: brackets 9 × 1.1 ÷ 0.9 + 1.8 × 9 ÷ 17
    # = 11 + 0.953 = 11.95 → 12; routers 4 × 2.5 + 1.8 × 8 ÷ 17 = 10 + 0.847 = 10.85 → 11
    assert (bracket["hts10"], bracket["net_kg"], bracket["gross_kg"]) == ("7326.90.86.88", 9, 12)
    assert (router["hts10"], router["net_kg"], router["gross_kg"]) == ("8517.62.00.20", 8, 11)
    # AND the $10 of cartons go 90 : 400 by value: $1.84 and $8.16 (largest remainder)
    assert (bracket["value"], router["value"]) == (92, 408)


def test_a_kilogram_line_cannot_report_pieces_so_an_hts_unit_with_no_is_not_reportable() -> None:
    # GIVEN kilograms of a router (unit No.), of tinplate (No. and kg) and of aluminium (doz.),
    # beside a line of routers in pieces
    lines = [
        _line("9004", 10, "1", "4", "400.00", unit="KGM"),
        _line("9004", 20, "6", "2", "40.00", unit="KGM"),
        _line("9004", 30, "7", "1.2", "12.00", unit="KGM"),
        _line("9004", 40, "1", "2", "200.00"),
    ]
    result, records = _run(_case(lines, [ROUTER, TINPLATE, ALUMINIUM]))
    # THEN each kilogram line is quarantined `unit_not_reportable`; the pieces go through
    assert result.quarantined[["item", "reason"]].values.tolist() == [
        [10, "unit_not_reportable"],
        [20, "unit_not_reportable"],
        [30, "unit_not_reportable"],
    ]
    assert [line["sources"] for line in _lines(records)] == [[["9004", 40]]]


# --- §4 step 2: goods worth nothing share their packaging equally ---------------------------------


def test_an_invoice_whose_goods_are_worth_nothing_shares_its_packaging_equally() -> None:
    # GIVEN three goods lines at $0.00 (listed out of item order) and $1.00 of cartons
    lines = [
        _line("7001", 30, "4", "1", "0.00"),
        _line("7001", 10, "5", "1", "0.00"),
        _line("7001", 20, "1", "1", "0.00"),
        _line("7001", 40, "90000001", "1", "1.00"),
    ]
    result, _ = _run(_case(lines, [ROUTER, AP, PSU]))
    # THEN 100 cents ÷ 3 = 33 each and one left over; the remainders tie, the goods values tie, so
    # the lower item number takes it: item 10 (the PSU) 34, items 20 and 30 33 each
    shares = dict(zip(result.lines["hts10"], result.lines["value_cents"], strict=True))
    assert shares == {"8504.40.95.20": 34, "8517.62.00.20": 33, "8517.62.00.90": 33}


def test_zero_value_goods_share_equally_only_within_their_own_invoice() -> None:
    # GIVEN an invoice of worthless goods and, on another shipment, one of $300 and $100 goods,
    # each with $2.00 of cartons
    other = {"shipment": "SH2", "port": "2709"}
    lines = [
        _line("7002", 10, "1", "1", "0.00"),
        _line("7002", 20, "4", "1", "0.00"),
        _line("7002", 30, "90000001", "1", "2.00"),
        _line("7003", 10, "5", "1", "300.00", **other),
        _line("7003", 20, "4", "1", "100.00", **other),
        _line("7003", 30, "90000001", "1", "2.00", **other),
    ]
    result, _ = _run(_case(lines, [ROUTER, AP, PSU]))
    cents = result.sources.astype({"entry_id": str, "document": str}).merge(
        result.lines[["entry_id", "line", "value_cents"]], on=["entry_id", "line"]
    )
    by_source = {(d, int(i)): int(c) for d, i, c in cents[["document", "item", "value_cents"]].values}
    # THEN 7002's goods take 100 cents each; 7003's take 150 and 50, by value (300 : 100)
    assert by_source == {
        ("7002", 10): 100,
        ("7002", 20): 100,
        ("7003", 10): 30_150,
        ("7003", 20): 10_050,
    }
