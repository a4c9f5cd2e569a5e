"""Shadow comparison: the automated datasets against the ones built from the analysts' CSVs."""

from __future__ import annotations

from functools import partial

import pytest
from ior_etl.domain.building import build_manual
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.sap_fields import ZEMM07, ZSDR002
from ior_etl.domain.shadow import Difference, compare
from ior_etl.domain.transactions import build_transactions

from tests.etl.unit.conftest import SAMPLE_REVISION
from tests.etl.unit.records import billing, frame, legacy_csv, rate, revision

# The company of conftest.sap_company, as the analysts keep it.
ACCESS_POINTS = ',10000003,Wi-Fi 7 Access Point,120,EA,"20,399.99",EUR,SH2001,2709,11,03/16/2026'
CSV = {
    "Product_List.csv": [
        "Material,Description,HTS Code,Country of Origin,Net Weight,Gross Weight,Weight Unit,"
        "Steel (kg),Aluminum (kg),Copper (kg),Metal Value,Metal Value Currency",
        "10000004,PSU 150W steel enclosure,8504.40.9520,China,1.6,1.9,KG,0.5,0.06,0,4.20,USD",
        "10000001,SD-WAN Edge 1100,8517.62.0020,Taiwan,5.3,6.6,LB,0.181436948,0.090718474,0,0,",
        "10000008,Rack mount kit 19in,7326.90.8688,Mexico,1.8,2,KG,1.8,0,0,12.00,USD",
    ],
    "Packaging_Material.csv": [
        "Material,Description,Is Packaging,Unit Weight (kg)",
        "90000001,Corrugated carton 60x40x30,Y,0.9",
        "90000003,Wooden pallet 120x80,Y,22",
    ],
    "HTS_Code.csv": [
        "HTS Code,Description,Duty Rate,Unit",
        "8517.62.0020,Switching and routing apparatus,Free,No.",
        '8504.40.9520,"Power supplies, over 50 W but not over 150 W",Free,No.',
        "7326.90.8688,Other articles of iron or steel,2.9%,kg",
    ],
    "HTS Tariff.csv": [
        "Chapter 99 Code,Program,Type,Rate,Applies To,HTS Prefixes,Countries,Excluded Countries,"
        "Min Metal %,Max Metal %,Effective From,Effective To,Sequence",
        "9903.88.15,Section 301,Additional,7.5%,All,8517.62,China,,,,02/14/2020,,10",
        "9903.88.03,Section 301,Additional,25%,All,8504.40.95;7326.90.86,China,,,,02/14/2020,,10",
        "9903.03.01,Section 122,Additional,10%,Non-metal,,All,Mexico,,,02/24/2026,07/23/2026,27",
        "9903.82.03,Section 232,Exemption,0%,All,8504.40.95,All,,,15%,04/06/2026,,40",
    ],
    "Exchange_Rates.csv": ["Currency,Date,USD per Unit", "EUR,03/10/2026,1.0850", "TWD,03/11/2026,0.03125"],
    "Invoice_Lines.csv": [
        "Billing Doc,Item,Billing Type,Billing Date,Cancelled,Material,Description,Quantity,Unit,Net Value,"
        "Currency,Shipment,Port,Mode,Arrival Date",
        f"90020001,10,F2,03/12/2026,{ACCESS_POINTS}",
        "90020001,20,F2,03/12/2026,,90000001,Carton,12,EA,48.07,EUR,SH2001,2709,11,03/16/2026",
        f"90020002,10,S1,03/13/2026,{ACCESS_POINTS}",
    ],
}
DATASET_OF = {
    "product-master": ("Product_List.csv", partial(build_manual, "product_list")),
    "packaging-materials": ("Packaging_Material.csv", partial(build_manual, "packaging_material")),
    "hts-reference": (
        "HTS_Code.csv",
        lambda data: build_manual("hts_code", data, revision=revision(SAMPLE_REVISION)),
    ),
    "tariff-provisions": ("HTS Tariff.csv", partial(build_manual, "hts_tariff")),
    "exchange-rates": ("Exchange_Rates.csv", partial(build_manual, "exchange_rates")),
    "transactions": ("Invoice_Lines.csv", partial(build_manual, "invoice_lines")),
}


def manual(dataset: str, lines: list[str] | None = None) -> DatasetBuild:
    file, builder = DATASET_OF[dataset]
    return builder(legacy_csv(*(lines or CSV[file])))


def edited(file: str, old: str, new: str) -> list[str]:
    lines = CSV[file]
    assert any(old in line for line in lines), old
    return [line.replace(old, new) for line in lines]


@pytest.mark.parametrize("dataset", sorted(DATASET_OF))
def test_the_manual_path_builds_the_same_dataset_as_the_sap_extracts(dataset, sample_builds):
    automated, by_hand = sample_builds[dataset], manual(dataset)

    assert automated.rejected.empty
    assert by_hand.rejected.empty
    assert len(automated.frame) == len(by_hand.frame) > 0
    assert compare(dataset, automated.frame, by_hand.frame) == []


def test_a_changed_weight_is_listed_field_by_field(sample_builds):
    lines = edited("Product_List.csv", "1.6,1.9,KG", "1.4,1.9,KG")

    differences = compare(
        "product-master", sample_builds["product-master"].frame, manual("product-master", lines).frame
    )

    assert differences == [
        Difference("product-master", "10000004", "net_kg", "1.6", "1.4"),
        Difference("product-master", "10000004", "packing_kg", "0.3", "0.5"),
        Difference("product-master", "10000004", "metal_share", "0.35", "0.4"),
    ]


def test_a_stale_rate_and_a_packaging_flag_are_listed(sample_builds):
    stale = edited("HTS_Code.csv", "iron or steel,2.9%", "iron or steel,Free")
    flag = edited("Packaging_Material.csv", "Wooden pallet 120x80,Y", "Wooden pallet 120x80,N")

    hts = compare("hts-reference", sample_builds["hts-reference"].frame, manual("hts-reference", stale).frame)
    packaging = compare(
        "packaging-materials",
        sample_builds["packaging-materials"].frame,
        manual("packaging-materials", flag).frame,
    )

    assert hts == [
        Difference("hts-reference", "7326908688", "general_rate", "0.029", "0"),
        Difference("hts-reference", "7326908688", "company_rate", "0.029", "0"),
        Difference("hts-reference", "7326908688", "rate_differs", "false", "true"),
    ]
    assert packaging == [Difference("packaging-materials", "90000003", "is_packaging", "true", "false")]


def test_descriptions_compare_ignoring_case_and_spaces(sample_builds):
    shouted = edited("HTS_Code.csv", "Switching and routing apparatus", "SWITCHING AND ROUTING  APPARATUS")
    renamed = edited("HTS_Code.csv", "Switching and routing apparatus", "Switches and routers")

    automated = sample_builds["hts-reference"].frame
    assert compare("hts-reference", automated, manual("hts-reference", shouted).frame) == []
    assert compare("hts-reference", automated, manual("hts-reference", renamed).frame) == [
        Difference(
            "hts-reference",
            "8517620020",
            "description",
            "Switching and routing apparatus",
            "Switches and routers",
        )
    ]


def test_sap_factors_compare_at_the_analysts_precision():
    automated = build_exchange_rates(frame(ZEMM07, rate("CNY", "2026-03-11", UKURS="-7.22400"))).frame
    by_hand = build_manual(
        "exchange_rates", legacy_csv("Currency,Date,USD per Unit", "CNY,03/11/2026,0.13843")
    ).frame
    off = build_manual(
        "exchange_rates", legacy_csv("Currency,Date,USD per Unit", "CNY,03/11/2026,0.13850")
    ).frame

    assert compare("exchange-rates", automated, by_hand) == []
    assert compare("exchange-rates", automated, off) == [
        Difference("exchange-rates", "CNY/2026-03-11", "usd_per_unit", "0.138427464009", "0.1385")
    ]


def test_rows_on_one_side_only_are_listed(sample_builds):
    lines = [*CSV["Exchange_Rates.csv"][:2], "CNY,03/11/2026,0.13843"]

    differences = compare(
        "exchange-rates", sample_builds["exchange-rates"].frame, manual("exchange-rates", lines).frame
    )

    assert differences == [
        Difference("exchange-rates", "CNY/2026-03-11", "(row)", "absent", "present"),
        Difference("exchange-rates", "TWD/2026-03-11", "(row)", "present", "absent"),
    ]


def test_transactions_compare_on_the_arrival_dates_of_the_manual_file():
    automated = build_transactions(
        frame(ZSDR002, billing("90020001", "10"), billing("90030001", "10", ZZARRIVAL="2026-03-17"))
    ).frame
    by_hand = manual("transactions", CSV["Invoice_Lines.csv"][:2]).frame

    assert compare("transactions", automated, by_hand) == []
