"""The manual path: each pinned legacy CSV read strictly into the same datasets.

Rows are numbered as Excel shows them: the header is row 1, the first data row is row 2."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pandas as pd
import pytest
from ior_contracts.datasets import DATASETS
from ior_contracts.legacy.csv_file import LegacyFileError
from ior_etl.domain.building import build_manual
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import ZSDR002
from ior_etl.domain.transactions import build_transactions

from tests.etl.unit.records import billing, frame, legacy_csv

LENIENT = HoldPolicy(thresholds=dict.fromkeys(DATASETS, Decimal(1)))

PRODUCT_HEADER = (
    "Material,Description,HTS Code,Country of Origin,Net Weight,Gross Weight,Weight Unit,"
    "Steel (kg),Aluminum (kg),Copper (kg),Metal Value,Metal Value Currency"
)
PRODUCT_LIST = legacy_csv(
    PRODUCT_HEADER,
    "10000004,PSU 150W steel enclosure,8504.40.9520,China,1.6,1.9,KG,0.5,0.06,0,4.20,USD",
    '10000001,"SD-WAN Edge, 1100",8517.62.0020,Taiwan,"1,002.5","1,003",LB,0.2,0.1,0,0,',
)
HTS_CODE = legacy_csv(
    "HTS Code,Description,Duty Rate,Unit",
    "8517.62.0020,Switching and routing apparatus,Free,No.",
    "7326.90.8688,Other articles of iron or steel,2.9%,kg",
)
HTS_TARIFF_HEADER = (
    "Chapter 99 Code,Program,Type,Rate,Applies To,HTS Prefixes,Countries,Excluded Countries,"
    "Min Metal %,Max Metal %,Effective From,Effective To,Sequence"
)
HTS_TARIFF = legacy_csv(
    HTS_TARIFF_HEADER,
    "9903.88.15,Section 301,Additional,7.5%,All,8517.62,China,,,,02/14/2020,,10",
    "9903.03.01,Section 122,Additional,10%,Non-metal,,All,Mexico,,,02/24/2026,07/23/2026,27",
    "9903.03.06,Section 122,Exemption,0%,All,7326.90.86,All,,,,02/24/2026,07/23/2026,27",
    "9903.03.06,Section 122,Exemption,0%,All,8504.40.95,All,,15%,,04/06/2026,07/23/2026,27",
    "9903.82.03,Section 232,Exemption,0%,All,8504.40.95,All,,,15,04/06/2026,,40",
    "9903.01.25,IEEPA Reciprocal,Additional,10%,Non-metal,,All,China;Mexico,,,04/05/2025,02/23/2026,25",
)
PACKAGING = legacy_csv(
    "Material,Description,Is Packaging,Unit Weight (kg)",
    "90000001,Corrugated carton 60x40x30,Y,0.9",
    "90000059,Wooden crate,N,31.5",
)
RATES = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", "TWD,03/11/2026,0.031250")
INVOICE_HEADER = (
    "Billing Doc,Item,Billing Type,Billing Date,Cancelled,Material,Description,Quantity,Unit,Net Value,"
    "Currency,Shipment,Port,Mode,Arrival Date"
)
LINE_TAIL = ",,10000003,AP,1,EA,1.00,EUR,SH1,2709,11,03/16/2026"
NA_QUANTITY_LINE = "90020001,10,F2,03/12/2026,,10000003,AP,N/A,EA,1.00,EUR,SH1,2709,11,03/16/2026"
QQQ_CURRENCY_LINE = "90020001,10,F2,03/12/2026,,10000003,AP,1,EA,1.00,QQQ,SH1,2709,11,03/16/2026"
BAD_NUMBER_LINE = '90020001,10,F2,03/12/2026,,10000003,AP,1,EA,"1,00.00",EUR,SH1,2709,11,03/16/2026'
INVOICE_LINES = legacy_csv(
    INVOICE_HEADER,
    '90020001,10,F2,03/12/2026,,10000003,Wi-Fi 7 Access Point,120,EA,"20,399.99",EUR,SH2001,2709,11,'
    "03/16/2026",
    "90020001,20,F2,03/12/2026,X,10000009,Fan tray,2.5,KG,48.07,EUR,SH2001,2709,11,03/16/2026",
)


def test_product_list_reads_into_product_master():
    result = build_manual("product_list", PRODUCT_LIST)

    assert result.mode == "manual"
    assert result.rejected.empty
    rows = result.frame.set_index("material")
    psu = rows.loc["10000004"]
    assert (psu.hts10, psu.origin, psu.net_kg, psu.metal_share, psu.material_type, psu.base_unit) == (
        "8504409520", "CN", Decimal("1.6"), Decimal("0.35"), "FERT", "PCE",
    )  # fmt: skip
    edge = rows.loc["10000001"]
    assert (edge.description, edge.origin) == ("SD-WAN Edge, 1100", "TW")
    assert (edge.net_kg, edge.gross_kg) == (
        Decimal("454.726350925"),
        Decimal("454.95314711"),
    )  # LB × 0.45359237
    assert (edge.steel_kg, edge.metal_value_currency) == (
        Decimal("0.2"),
        "USD",
    )  # metal weights are kg already


def test_hts_code_reads_into_hts_reference_with_the_files_rate():
    result = build_manual("hts_code", HTS_CODE)

    assert result.rejected.empty
    assert result.frame[["hts10", "unit", "general_rate"]].to_dict("records") == [
        {"hts10": "8517620020", "unit": "No.", "general_rate": Decimal(0)},
        {"hts10": "7326908688", "unit": "kg", "general_rate": Decimal("0.029")},
    ]


def test_hts_tariff_rows_of_one_code_with_two_sequences_hold_the_set_naming_file_row_and_column():
    # GIVEN 9903.03.06 at sequence 27 on one row and 28 on another
    data = legacy_csv(
        HTS_TARIFF_HEADER,
        "9903.03.06,Section 122,Exemption,0%,All,7326.90.86,All,,,,02/24/2026,07/23/2026,27",
        "9903.03.06,Section 122,Exemption,0%,All,8504.40.95,All,,15%,,04/06/2026,07/23/2026,28",
    )
    # WHEN the manual path builds tariff-provisions
    result = build_manual("hts_tariff", data)
    # THEN both rows are quarantined with the file, their row and the Sequence column, and the set is held
    assert result.held
    assert list(
        zip(result.rejected["row"], result.rejected["field"], result.rejected["rule"], strict=True)
    ) == [
        (2, "Sequence", "code_disagrees_on_rank"),
        (3, "Sequence", "code_disagrees_on_rank"),
    ]
    assert (
        result.rejected["reason"]
        .iloc[1]
        .startswith(
            "HTS Tariff.csv row 3, column Sequence: provision 9903.03.06/2: rank 28 disagrees with rank 27 "
            "at 9903.03.06/1 of the same code"
        )
    )


def test_hts_tariff_reads_into_tariff_provisions():
    result = build_manual("hts_tariff", HTS_TARIFF)

    assert result.rejected.empty, list(result.rejected["reason"])
    rows = result.frame.set_index(["code", "seq"])
    assert (rows.loc[("9903.88.15", 1), "programme"], rows.loc[("9903.88.15", 1), "hts_prefixes"]) == (
        "S301",
        ("851762",),
    )
    reciprocal = rows.loc[("9903.01.25", 1)]
    assert (reciprocal.part, reciprocal.origins, reciprocal.origins_excluded) == (
        "non_metal",
        ("*",),
        ("CN", "MX"),
    )
    second = rows.loc[("9903.03.06", 2)]
    assert (second.kind, second.hts_prefixes, second.min_metal_share) == (
        "exemption",
        ("85044095",),
        Decimal("0.15"),
    )
    assert rows.loc[("9903.82.03", 1), "max_metal_share"] == Decimal("0.15")
    assert rows.loc[("9903.03.01", 1), "effective_to"] == pd.Timestamp("2026-07-23")


def test_packaging_material_reads_its_flag():
    result = build_manual("packaging_material", PACKAGING)

    assert result.frame[["material", "is_packaging", "unit_kg"]].to_dict("records") == [
        {"material": "90000001", "is_packaging": True, "unit_kg": Decimal("0.9")},
        {"material": "90000059", "is_packaging": False, "unit_kg": Decimal("31.5")},
    ]


def test_exchange_rates_keep_the_analysts_usd_per_unit():
    result = build_manual("exchange_rates", RATES)

    assert list(result.frame["usd_per_unit"]) == [Decimal("1.0850"), Decimal("0.031250")]


def test_invoice_lines_read_into_transactions():
    result = build_manual("invoice_lines", INVOICE_LINES)

    assert result.rejected.empty
    first, second = result.frame.to_dict("records")
    assert (first["document"], first["item"], first["value"], first["unit"], first["cancelled"]) == (
        "90020001", 10, Decimal("20399.99"), "PCE", False,
    )  # fmt: skip
    assert (second["quantity"], second["unit"], second["cancelled"]) == (Decimal("2.5"), "KGM", True)
    assert first["arrival"] == pd.Timestamp("2026-03-16")


def test_trailing_empty_lines_are_ignored_and_a_final_line_end_is_optional():
    with_blanks = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", trailing="\r\n\r\n\r\n")
    without_end = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", trailing="")

    assert len(build_manual("exchange_rates", with_blanks).frame) == 1
    assert len(build_manual("exchange_rates", without_end).frame) == 1


# --- file-level errors: the whole file is refused, naming the file and the column ----------------


def test_a_wrong_header_names_the_file_and_the_column():
    data = legacy_csv("HTS Code,Description,Rate,Unit", "8517.62.0020,Switching,Free,No.")

    with pytest.raises(LegacyFileError) as error:
        build_manual("hts_code", data)

    assert (error.value.file, error.value.column, error.value.row) == ("HTS_Code.csv", "Duty Rate", 1)
    assert "header column 3 is 'Rate' where 'Duty Rate' is expected" in str(error.value)


def test_a_header_of_another_case_or_with_a_missing_column_is_wrong():
    with pytest.raises(LegacyFileError, match="'currency' where 'Currency'"):
        build_manual("exchange_rates", legacy_csv("currency,Date,USD per Unit"))
    with pytest.raises(LegacyFileError, match="lacks column 'USD per Unit'"):
        build_manual("exchange_rates", legacy_csv("Currency,Date"))
    with pytest.raises(LegacyFileError, match="unexpected column 'Source'"):
        build_manual("exchange_rates", legacy_csv("Currency,Date,USD per Unit,Source"))


def test_a_missing_byte_order_mark_names_the_file_and_the_first_column():
    with pytest.raises(LegacyFileError) as error:
        build_manual("product_list", legacy_csv(PRODUCT_HEADER, bom=False))

    assert (error.value.file, error.value.column) == ("Product_List.csv", "Material")
    assert "byte-order mark" in str(error.value)


def test_lf_line_ends_are_refused_with_the_row():
    with pytest.raises(LegacyFileError) as error:
        build_manual(
            "exchange_rates", legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", line_end="\n")
        )

    assert error.value.row == 1
    assert "LF where CRLF is expected" in str(error.value)


def test_bytes_that_are_not_utf8_name_row_and_column():
    data = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850").replace(b"1.0850", b"1.08\xe9")

    with pytest.raises(LegacyFileError) as error:
        build_manual("exchange_rates", data)

    assert (error.value.row, error.value.column) == (2, "USD per Unit")


# --- row-level errors: the row is quarantined with every bad cell, the rest goes on ---------------


@pytest.mark.parametrize(
    ("builder", "data", "row", "column", "rule", "reason"),
    [
        (
            partial(build_manual, "invoice_lines"),
            legacy_csv(INVOICE_HEADER, f"90020001,10,F2,13/12/2026{LINE_TAIL}"),
            2, "Billing Date", "invalid_billing_date",
            "Invoice_Lines.csv row 2, column Billing Date: '13/12/2026' is not a date",
        ),
        (
            partial(build_manual, "invoice_lines"),
            legacy_csv(INVOICE_HEADER, BAD_NUMBER_LINE),
            2, "Net Value", "invalid_value",
            "Invoice_Lines.csv row 2, column Net Value: '1,00.00' is not a number",
        ),
        (
            partial(build_manual, "product_list"),
            legacy_csv(PRODUCT_HEADER, "10000004,PSU,8504.40.9520,Chna,1.6,1.9,KG,0,0,0,0,USD"),
            2, "Country of Origin", "unknown_country",
            "Product_List.csv row 2, column Country of Origin: 'Chna' is not a known country",
        ),
        (
            partial(build_manual, "product_list"),
            legacy_csv(PRODUCT_HEADER, "10000004,PSU,8504409520,China,1.6,1.9,KG,0,0,0,0,USD"),
            2, "HTS Code", "malformed_hts", "'8504409520' is not an HTS number written 8517.62.0020",
        ),
        (
            partial(build_manual, "packaging_material"),
            legacy_csv("Material,Description,Is Packaging,Unit Weight (kg)", "90000001,Carton,Yes,0.9"),
            2, "Is Packaging", "invalid_packaging_flag", "'Yes' is not one of 'Y', 'N'",
        ),
        (
            partial(build_manual, "hts_tariff"),
            legacy_csv(HTS_TARIFF_HEADER, "9903.88.15,Section 999,Additional,7.5%,All,,China,,,,,,"),
            2, "Program", "unknown_programme", "'Section 999' is not one of",
        ),
        (
            partial(build_manual, "hts_code"),
            legacy_csv("HTS Code,Description,Duty Rate,Unit", "8517.62.0020,Switching,0.5,No."),
            2, "Duty Rate", "invalid_company_rate", "'0.5' is not Free or a percentage such as 2.6%",
        ),
        (
            partial(build_manual, "exchange_rates"),
            legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026"),
            2, "USD per Unit", "wrong_field_count", "the row has 2 fields where the header has 3",
        ),
    ],
)  # fmt: skip
def test_a_bad_cell_names_its_row_and_column(builder, data, row, column, rule, reason):
    result = builder(data, policy=LENIENT)

    first = result.rejected.iloc[0]
    assert (first["row"], first["field"], first["rule"]) == (row, column, rule)
    assert reason in first["reason"]
    assert result.frame.empty


def test_a_row_is_rejected_with_every_bad_cell_and_the_good_rows_go_on():
    data = legacy_csv(
        INVOICE_HEADER,
        "90020001,10,F2,03/12/2026,,10000003,AP,1,EA,1.00,EUR,SH1,2709,11,03/16/2026",
        "90020001,20,F2,3/12/2026,,010000003,AP,x,BOX,1.00,EUR,SH1,2709,11,03/16/2026",
    )

    result = build_manual("invoice_lines", data, policy=LENIENT)

    assert list(result.frame["item"]) == [10]
    rejected = result.rejected
    assert list(rejected["row"]) == [3, 3, 3, 3]
    assert list(rejected["field"]) == ["Billing Date", "Material", "Quantity", "Unit"]
    assert rejected["record"].iloc[0]["Quantity"] == "x"
    assert result.outcome.total_rows == 2


def test_a_rule_of_the_dataset_is_reported_at_the_files_row_and_column():
    data = legacy_csv(PRODUCT_HEADER, "10000004,PSU,8504.40.9520,China,1.6,1.2,KG,0,0,0,0,USD")

    result = build_manual("product_list", data, policy=LENIENT)

    rejected = result.rejected.iloc[0]
    assert (rejected["source"], rejected["row"], rejected["field"], rejected["rule"]) == (
        "Product_List.csv", 2, "Gross Weight", "gross_below_net",
    )  # fmt: skip
    assert rejected["reason"] == (
        "Product_List.csv row 2, column Gross Weight: "
        "product 10000004: gross weight 1.2 kg is below net weight 1.6 kg"
    )
    assert rejected["record"]["Gross Weight"] == "1.2"


def test_unreadable_rows_count_towards_the_hold():
    data = legacy_csv("Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", "TWD,2026-03-11,0.03125")

    result = build_manual("exchange_rates", data)

    assert result.held
    assert (result.outcome.rule, result.outcome.rejected_rows, result.outcome.total_rows) == (
        "invalid_date",
        1,
        2,
    )


@pytest.mark.parametrize(
    ("sap_fields", "csv_line", "rule"),
    [
        ({"FKIMG": "N/A"}, NA_QUANTITY_LINE, "invalid_quantity"),
        ({"FKDAT": "0000-00-00"}, f"90020001,10,F2,00/00/0000{LINE_TAIL}", "invalid_billing_date"),
        ({"WAERK": "QQQ"}, QQQ_CURRENCY_LINE, "unknown_currency"),
    ],
)  # fmt: skip
def test_both_paths_reject_the_same_problem_under_the_same_rule(sap_fields, csv_line, rule):
    automated = build_transactions(frame(ZSDR002, billing(**sap_fields)), policy=LENIENT)
    manual = build_manual("invoice_lines", legacy_csv(INVOICE_HEADER, csv_line), policy=LENIENT)

    assert list(automated.rejected["rule"]) == [rule]
    assert list(manual.rejected["rule"]) == [rule]
