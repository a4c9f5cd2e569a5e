"""One small company built on the automated path, shared by the snapshot and shadow tests."""

from __future__ import annotations

import pytest
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.exchange_rates import build_exchange_rates
from ior_etl.domain.hts_reference import build_hts_reference
from ior_etl.domain.packaging_materials import build_packaging_materials
from ior_etl.domain.product_master import build_product_master
from ior_etl.domain.sap_fields import ZEMM004, ZEMM005, ZEMM07, ZFMIOR001, ZFMIOR002, ZFMIOR003, ZSDR002
from ior_etl.domain.tariff_provisions import build_tariff_provisions
from ior_etl.domain.transactions import build_transactions

from tests.etl.unit.records import (
    billing,
    frame,
    hts_line,
    hts_row,
    material,
    packaging,
    provision,
    rate,
    revision,
    supplier_item,
    weights,
)

SAMPLE_REVISION = [
    hts_row("8517.62.00", 2, "Machines for the reception", "Free"),
    hts_row("8517.62.00.20", 3, "Switching and routing apparatus", units=["No."]),
    hts_row("8504.40.95", 2, "Other", "Free"),
    hts_row("8504.40.95.20", 3, "With a power output exceeding 50 W", units=["No."]),
    hts_row("7326.90.86", 2, "Other", "2.9%"),
    hts_row("7326.90.86.88", 3, "Other", units=["kg"]),
]


def sap_company() -> dict[str, dict[str, list[dict[str, str]]]]:
    """The SAP extracts of a small company, per dataset."""
    materials = [
        material("10000004"),
        material("10000001", MAKTX="SD-WAN Edge 1100", STAWN="8517620020", HERKL="TW"),
        material("10000008", MAKTX="Rack mount kit 19in", STAWN="7326908688", HERKL="MX", MTART="HAWA"),
        packaging("90000001"),
        packaging("90000003", MAKTX="Wooden pallet 120x80"),
    ]
    weight_rows = [
        weights("10000004"),
        weights("10000001", NTGEW="5.3", BRGEW="6.6", GEWEI="LB", ZZSTEEL="0.4", ZZALU="0.2", ZZMETALVAL="0"),
        weights(
            "10000008", NTGEW="1800", BRGEW="2000", GEWEI="G", ZZSTEEL="1800", ZZALU="0", ZZMETALVAL="12.00"
        ),
        weights("90000001", NTGEW="0.9", BRGEW="0.9", ZZSTEEL="0", ZZALU="0", ZZMETALVAL="0", WAERS=""),
        weights("90000003", NTGEW="22", BRGEW="22", ZZSTEEL="0", ZZALU="0", ZZMETALVAL="0", WAERS=""),
    ]
    return {
        "materials": {"ZEMM005": materials, "ZFMIOR002": weight_rows},
        "hts-reference": {
            "ZFMIOR001": [
                hts_line("8517620020"),
                hts_line("8504409520", STTXT="Power supplies, over 50 W but not over 150 W"),
                hts_line("7326908688", STTXT="Other articles of iron or steel", ZZRATE="2.9%", ZZUNIT="kg"),
            ]
        },
        "tariff-provisions": {
            "ZFMIOR003": [
                provision("9903.88.15"),
                provision("9903.88.03", ZZRATE="25.000", ZZPREFIXES="85044095;73269086"),
                provision(
                    "9903.03.01",
                    ZZPROG="S122",
                    ZZRATE="10.000",
                    ZZPART="non_metal",
                    ZZPREFIXES="",
                    ZZORIGINS="*",
                    ZZEXCL="MX",
                    DATAB="2026-02-24",
                    DATBI="2026-07-23",
                    ZZRANK="27",
                ),
                provision(
                    "9903.82.03",
                    ZZPROG="S232",
                    ZZKIND="exemption",
                    ZZRATE="0.000",
                    ZZPREFIXES="85044095",
                    ZZORIGINS="*",
                    ZZMAXSHR="15.00",
                    DATAB="2026-04-06",
                    ZZRANK="40",
                ),
            ]
        },
        "exchange-rates": {
            "ZEMM07": [rate("EUR", "2026-03-10"), rate("TWD", "2026-03-11", UKURS="-32.00000")]
        },
        "transactions": {
            "ZSDR002": [
                billing("90020001", "10"),
                billing(
                    "90020001",
                    "20",
                    MATNR="90000001".zfill(18),
                    ARKTX="Carton",
                    FKIMG="12.000",
                    NETWR="48.07",
                ),
                billing("90020002", "10", FKART="S1", SFAKN="0090020009", FKDAT="2026-03-13"),
            ],
            "ZEMM004": [supplier_item()],
        },
    }


def build_sap_company() -> dict[str, DatasetBuild]:
    sap = sap_company()
    materials, weight_rows = (
        frame(ZEMM005, *sap["materials"]["ZEMM005"]),
        frame(ZFMIOR002, *sap["materials"]["ZFMIOR002"]),
    )
    rates = build_exchange_rates(frame(ZEMM07, *sap["exchange-rates"]["ZEMM07"]))
    return {
        "product-master": build_product_master(materials, weight_rows),
        "packaging-materials": build_packaging_materials(materials, weight_rows),
        "hts-reference": build_hts_reference(
            frame(ZFMIOR001, *sap["hts-reference"]["ZFMIOR001"]), revision(SAMPLE_REVISION)
        ),
        "tariff-provisions": build_tariff_provisions(
            frame(ZFMIOR003, *sap["tariff-provisions"]["ZFMIOR003"])
        ),
        "exchange-rates": rates,
        "transactions": build_transactions(
            frame(ZSDR002, *sap["transactions"]["ZSDR002"]),
            frame(ZEMM004, *sap["transactions"]["ZEMM004"]),
            rates=rates.frame,
        ),
    }


@pytest.fixture(scope="session")
def sample_builds() -> dict[str, DatasetBuild]:
    return build_sap_company()
