"""The SAP extracts: field names as sap_fields declares them, canonical values, unique sorted keys,
and the business cases the pipeline must meet (credits, a cancellation, packaging, foreign currency)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from ior_tools.sample.company import sample_company
from ior_tools.sample.sap_fields import ENTITY_SETS, EntitySet

from tests.sample.conftest import Sample
from tests.sample.readers import read_jsonl

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _records(sample: Sample, name: str) -> list[dict[str, str]]:
    return read_jsonl(sample.root / f"sap/{name}.jsonl")


@pytest.mark.parametrize("entity", ENTITY_SETS.values(), ids=lambda entity: entity.name)
def test_extract_matches_its_declaration(sample: Sample, entity: EntitySet) -> None:
    records = _records(sample, entity.name)
    assert records, entity.name
    keys = [tuple(record[name] for name in entity.keys) for record in records]
    assert keys == sorted(keys), "records are not sorted by key"
    assert len(set(keys)) == len(keys), "duplicate keys"
    for record in records:
        assert tuple(record) == entity.fields
        for name in entity.date_fields:
            assert ISO_DATE.match(record[name]) or (name == "DATBI" and record[name] == ""), record
            if record[name]:
                date.fromisoformat(record[name])
        for name in entity.decimal_fields:
            assert record[name] == "" or DECIMAL.match(record[name]), (name, record)
            if record[name]:
                Decimal(record[name])
        if "MATNR" in record:
            assert re.fullmatch(r"\d{18}", record["MATNR"]), record
    assert entity.incremental_date is None or entity.incremental_date in entity.date_fields
    assert sample.manifest.counts["sap"][entity.name] == len(records)


def test_incremental_date_fields() -> None:
    assert {name: entity.incremental_date for name, entity in ENTITY_SETS.items()} == {
        "ZFMIOR001": None,
        "ZFMIOR002": None,
        "ZFMIOR003": None,
        "ZEMM005": None,
        "ZEMM004": "BLDAT",
        "ZEMM07": "GDATU",
        "ZSDR002": "ZZARRIVAL",
    }


def test_billing_lines_are_plain_json_in_field_order(sample: Sample) -> None:
    path: Path = sample.root / "sap/ZSDR002.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))


def test_master_data_is_the_company(sample: Sample) -> None:
    materials = _records(sample, "ZEMM005")
    kinds = Counter(record["MTART"] for record in materials)
    assert kinds["FERT"] + kinds["HAWA"] == 73
    assert kinds["VERP"] == 67
    assert len(_records(sample, "ZFMIOR001")) == 21
    goods = [record for record in materials if record["MTART"] != "VERP"]
    assert {record["HERKL"] for record in goods} == {"CN", "TW", "MY", "VN", "TH", "MX"}
    assert all(re.fullmatch(r"\d{10}", record["STAWN"]) for record in goods)
    weights = _records(sample, "ZFMIOR002")
    assert {record["MATNR"] for record in weights} == {record["MATNR"] for record in materials}
    assert {record["GEWEI"] for record in weights} == {"KG", "G", "LB"}
    assert Counter(record["GEWEI"] for record in weights).most_common(1)[0][0] == "KG"
    provisions = _records(sample, "ZFMIOR003")
    assert {record["ZZPROG"] for record in provisions} == {"S301", "S232", "S122", "IEEPA_F", "IEEPA_R"}


def test_billing_covers_the_business_cases(sample: Sample) -> None:
    lines = _records(sample, "ZSDR002")
    types = Counter(line["FKART"] for line in lines)
    assert types["G2"]
    assert types["RE"]
    assert types["F2"]
    cancellations = {line["VBELN"]: line["SFAKN"] for line in lines if line["FKART"] == "S1"}
    assert len(cancellations) == 1
    [(document, cancelled)] = cancellations.items()
    assert {line["FKSTO"] for line in lines if line["VBELN"] == cancelled} == {"X"}
    assert {line["FKSTO"] for line in lines if line["VBELN"] not in (cancelled,)} == {""}
    assert [(c.document, c.cancels) for c in sample.manifest.cancellations] == [(document, cancelled)]
    packaging = {record["MATNR"] for record in _records(sample, "ZEMM005") if record["MTART"] == "VERP"}
    assert sum(line["MATNR"] in packaging for line in lines) > 0
    currencies = Counter(line["WAERK"] for line in lines)
    assert set(currencies) == {"USD", "EUR", "TWD", "CNY"}
    assert currencies.most_common(1)[0][0] == "USD"
    assert {"10", "11", "40", "41"} <= {line["ZZMOT"] for line in lines}
    assert {"2704", "5301"} <= {line["ZZPORT"] for line in lines}
    per_day = Counter(line["ZZARRIVAL"] for line in lines)
    assert sorted(per_day) == [day.isoformat() for day in sample.manifest.business_dates]
    assert all(200 <= count <= 400 for count in per_day.values()), per_day
    shipments = {(line["ZZPORT"], line["ZZARRIVAL"], line["ZZSHIPMENT"]) for line in lines}
    invoices = {line["VBELN"] for line in lines}
    assert len(shipments) >= 5 * len(per_day)
    assert len(invoices) > 2 * len(shipments)


def test_exchange_rates_cover_every_foreign_invoice(sample: Sample) -> None:
    rates = _records(sample, "ZEMM07")
    assert any(Decimal(row["UKURS"]) < 0 for row in rates), "no indirect quotation"
    assert any(row["FFACT"] != "1" for row in rates), "no SAP factor"
    assert {row["KURST"] for row in rates} > {"M"}, "only type M: the KURST filter is never exercised"
    translation: dict[str, list[date]] = {}
    for row in rates:
        if row["KURST"] == "M" and row["TCURR"] == "USD":
            translation.setdefault(row["FCURR"], []).append(date.fromisoformat(row["GDATU"]))
    for line in _records(sample, "ZSDR002"):
        if line["WAERK"] != "USD":
            billed = date.fromisoformat(line["FKDAT"])
            assert any(
                timedelta(0) <= billed - day <= timedelta(days=7) for day in translation[line["WAERK"]]
            )


def test_supplier_invoices_price_the_related_party_check(sample: Sample) -> None:
    items = _records(sample, "ZEMM004")
    goods = {record["MATNR"] for record in _records(sample, "ZEMM005") if record["MTART"] != "VERP"}
    assert {item["MATNR"] for item in items} == goods
    assert {item["SHKZG"] for item in items} == {"S", "H"}
    below = sample.manifest.company["below_cost_products"]
    assert below
    assert sum(outcome.related_party_review for outcome in sample.manifest.outcomes.values()) > 0


def test_intercompany_prices_sit_clearly_on_one_side_of_supplier_cost(sample: Sample) -> None:
    latest: dict[str, tuple[str, Decimal]] = {}
    for item in _records(sample, "ZEMM004"):
        if item["SHKZG"] == "S" and item["BLDAT"] >= latest.get(item["MATNR"], ("", Decimal(0)))[0]:
            latest[item["MATNR"]] = (item["BLDAT"], Decimal(item["WRBTR"]) / Decimal(item["MENGE"]))
    below = {material.zfill(18) for material in sample.manifest.company["below_cost_products"]}
    for line in _records(sample, "ZSDR002"):
        # A line in kilograms is priced per kilogram, not per piece: it is not compared (nor by the ETL).
        if (
            line["FKART"] == "F2"
            and line["WAERK"] == "USD"
            and line["MATNR"] in latest
            and line["VRKME"] == "ST"
        ):
            ratio = Decimal(line["NETWR"]) / Decimal(line["FKIMG"]) / latest[line["MATNR"]][1]
            assert ratio < Decimal("0.8") if line["MATNR"] in below else ratio > Decimal("1.1"), line


def test_steel_mounting_hardware_is_invoiced_by_the_kilogram(sample: Sample) -> None:
    # GIVEN the products sold by weight, each weighed in KG (net weight per piece)
    company = sample_company()
    net = {p.material.zfill(18): p.net_kg for p in company.products if p.sold_by_kg}
    assert {company.product(m.lstrip("0")).hts10 for m in net} == {"7326908688"}  # a kg-only HTS number
    # THEN their lines are in KGM, a whole number of pieces' net weight; every other line in pieces
    units = Counter()
    for line in _records(sample, "ZSDR002"):
        units[line["VRKME"]] += 1
        if line["MATNR"] in net:
            assert line["VRKME"] == "KGM", line
            pieces = Decimal(line["FKIMG"]) / net[line["MATNR"]]
            assert pieces == pieces.to_integral_value() > 0, line
        else:
            assert line["VRKME"] == "ST", line
    assert units["KGM"] > 10
