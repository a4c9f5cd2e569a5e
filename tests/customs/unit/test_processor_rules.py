"""Rules the golden cases do not pin down, the choices made where DOMAIN leaves one open, and the
errors raised when inputs break the datasets' contract."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from ior_contracts import datasets
from ior_customs.domain import FeeTable, process
from ior_customs.domain.entries import ConflictingEntryError
from ior_customs.domain.fees import FeeTableError
from ior_customs.domain.inputs import (
    EXCHANGE_RATE_COLUMNS,
    HTS_COLUMNS,
    PACKAGING_COLUMNS,
    PRODUCT_COLUMNS,
    PROVISION_COLUMNS,
    TRANSACTION_COLUMNS,
    MissingColumnsError,
    ProcessorInputs,
)
from ior_customs.domain.invoices import InvalidInvoiceLineError
from ior_customs.domain.provisions import InvalidProvisionError

from tests.customs.cases import inputs_from_case
from tests.customs.universe import FEES, HMF, HTS, PACKAGING

DAY = date(2026, 3, 16)
ROUTER = {"material": "1", "hts10": "8517620020", "origin": "TW", "net_kg": "2", "gross_kg": "2.5",
          "metal_share": "0.1", "metal_value_per_unit": "0", "metal_value_currency": "USD"}  # fmt: skip


def _line(document: str, item: int, **fields: Any) -> dict[str, Any]:
    line = {"document": document, "item": item, "type": "F2", "cancels": None, "cancelled": False,
            "billing_date": DAY, "material": "1", "quantity": "1", "unit": "PCE", "value": "100.00",
            "currency": "USD", "shipment": "SH1", "port": "2704", "mode": "40", "arrival": DAY}  # fmt: skip
    return {**line, **fields}


def _provision(code: str, programme: str, part: str, prefixes: list[str], **fields: Any) -> dict[str, Any]:
    row = {"code": code, "programme": programme, "kind": "additional", "rate": "0.10", "part": part,
           "hts_prefixes": prefixes, "origins": ["*"], "origins_excluded": [], "min_metal_share": None,
           "max_metal_share": None, "effective_from": DAY, "effective_to": None, "rank": 10}  # fmt: skip
    return {**row, **fields}


def _case(lines: list[dict[str, Any]], **sections: Any) -> dict[str, Any]:
    return {"business_date": DAY, "hts": HTS, "products": [ROUTER], "packaging": PACKAGING, "provisions": [],
            "fees": [*FEES, HMF], "fx": [], "invoice_lines": lines, **sections}  # fmt: skip


def test_processor_reads_only_columns_the_published_datasets_have() -> None:
    for columns, schema in (
        (TRANSACTION_COLUMNS, datasets.TRANSACTIONS),
        (PRODUCT_COLUMNS, datasets.PRODUCT_MASTER),
        (PACKAGING_COLUMNS, datasets.PACKAGING_MATERIALS),
        (HTS_COLUMNS, datasets.HTS_REFERENCE),
        (PROVISION_COLUMNS, datasets.TARIFF_PROVISIONS),
        (EXCHANGE_RATE_COLUMNS, datasets.EXCHANGE_RATES),
    ):
        assert set(columns) <= set(schema.names), schema.name


def test_a_day_without_invoice_lines_gives_an_empty_result() -> None:
    result = process(inputs_from_case(_case([_line("1", 10, arrival=date(2026, 3, 17))])))
    records = result.to_records()
    assert (records["entries"], records["quarantined"], records["held_out"], records["dropped"]) == (
        [],
        [],
        [],
        [],
    )


def test_a_cancelled_credit_is_dropped_not_held_out() -> None:
    result = process(inputs_from_case(_case([_line("7", 10, type="G2", cancelled=True), _line("8", 10)])))
    assert result.dropped[["document", "reason"]].values.tolist() == [["7", "cancelled"]]
    assert result.held_out.empty


def test_packaging_goes_only_to_goods_of_its_invoice_currency() -> None:
    lines = [_line("1", 10), _line("1", 20, material="90000001", value="5.00", currency="EUR")]
    result = process(
        inputs_from_case(_case(lines, fx=[{"currency": "EUR", "date": DAY, "usd_per_unit": "1.1"}]))
    )
    assert result.quarantined["reason"].tolist() == ["packaging_without_goods"]


def test_packaging_over_goods_worth_nothing_is_shared_equally() -> None:
    lines = [_line("1", 10, value="0.00"), _line("1", 20, value="0.00", material="2"),
             _line("1", 30, material="90000001", value="3.01")]  # fmt: skip
    other = {**ROUTER, "material": "2", "hts10": "8517620090"}
    result = process(inputs_from_case(_case(lines, products=[ROUTER, other])))
    assert result.lines["value_cents"].tolist() == [151, 150]


def test_a_kilogram_line_reports_its_quantity_as_net_kilograms() -> None:
    steel = {**ROUTER, "hts10": "7326908688", "net_kg": "0.5", "gross_kg": "0.6"}
    result = process(inputs_from_case(_case([_line("1", 10, unit="KGM", quantity="12.5")], products=[steel])))
    line = result.to_records()["entries"][0]["lines"][0]
    assert (line["quantity"], line["net_kg"], line["gross_kg"]) == ({"kg": 13}, 13, 15)


def test_an_entry_whose_lines_name_two_modes_is_refused() -> None:
    with pytest.raises(ConflictingEntryError):
        process(inputs_from_case(_case([_line("1", 10), _line("2", 10, mode="11")])))


def test_an_item_given_twice_is_refused() -> None:
    with pytest.raises(InvalidInvoiceLineError):
        process(inputs_from_case(_case([_line("1", 10), _line("1", 10)])))


def test_an_unknown_billing_type_is_refused() -> None:
    with pytest.raises(InvalidInvoiceLineError):
        process(inputs_from_case(_case([_line("1", 10, type="F8")])))


def test_two_provisions_of_a_programme_tying_on_the_longest_prefix_quarantine_the_line() -> None:
    tie = [
        _provision("9903.88.03", "S301", "any", ["8517"]),
        _provision("9903.88.15", "S301", "any", ["8504", "8517"]),
    ]
    result = process(inputs_from_case(_case([_line("1", 10)], provisions=tie)))
    assert result.quarantined["reason"].tolist() == ["ambiguous_provision"]


def test_a_longer_prefix_breaks_the_tie() -> None:
    rows = [
        _provision("9903.88.03", "S301", "any", ["8517"]),
        _provision("9903.88.15", "S301", "any", ["851762"]),
    ]
    result = process(inputs_from_case(_case([_line("1", 10)], provisions=rows)))
    assert result.lines["stack"].tolist() == [("9903.88.15", "8517.62.00.20")]


def test_a_metal_side_tie_quarantines_a_line_even_without_metal_value() -> None:
    # The line could have a metal part (a candidate has part `metal`), so its metal side must be clear.
    tie = [
        _provision("9903.81.91", "S232", "metal", ["8517"]),
        _provision("9903.82.02", "S232", "any", ["8517"]),
    ]
    result = process(inputs_from_case(_case([_line("1", 10)], provisions=tie)))
    assert result.quarantined["reason"].tolist() == ["ambiguous_provision"]


def test_rows_of_one_code_with_different_rates_are_refused() -> None:
    row = _provision("9903.88.15", "S301", "any", ["8517"])
    with pytest.raises(InvalidProvisionError):
        process(inputs_from_case(_case([_line("1", 10)], provisions=[row, {**row, "rate": "0.25"}])))


def test_fee_rows_in_force_on_the_same_day_are_refused() -> None:
    with pytest.raises(FeeTableError):
        FeeTable.from_rows(
            [*FEES, {**FEES[1], "effective_from": date(2026, 9, 1), "effective_to": None}], "x"
        )


def test_a_dataset_without_a_column_the_processor_reads_is_refused() -> None:
    inputs = inputs_from_case(_case([_line("1", 10)]))
    with pytest.raises(MissingColumnsError):
        ProcessorInputs(**{**inputs.__dict__, "products": inputs.products.drop(columns=["origin"])})
