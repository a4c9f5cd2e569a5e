"""The analysts' CSVs follow legacy-formats.md to the byte, and say what SAP says (but for the
documented disagreements)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from tests.sample.conftest import Sample
from tests.sample.readers import read_jsonl, read_legacy_csv

US_DATE = re.compile(r"^(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/20\d\d$")
HTS_ANALYST = re.compile(r"^\d{4}\.\d{2}\.\d{4}$")
PREFIX_ANALYST = re.compile(r"^\d{4}(\.\d{2}(\.\d{2,4})?)?$")
MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d{1,3})\.\d{2}$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
MATERIAL = re.compile(r"^[1-9]\d*$")
PERCENT = re.compile(r"^\d+(\.\d+)?%$")
COUNTRIES = {"China", "Taiwan", "Malaysia", "Vietnam", "Thailand", "Mexico", "United States"}


def _date(text: str) -> None:
    assert US_DATE.match(text), text
    datetime.strptime(text, "%m/%d/%Y")


# The header lines exactly as legacy-formats.md pins them.
PINNED_HEADERS = {
    "Product_List.csv": "Material,Description,HTS Code,Country of Origin,Net Weight,Gross Weight,Weight Unit,"
    "Steel (kg),Aluminum (kg),Copper (kg),Metal Value,Metal Value Currency",
    "HTS_Code.csv": "HTS Code,Description,Duty Rate,Unit",
    "HTS Tariff.csv": "Chapter 99 Code,Program,Type,Rate,Applies To,HTS Prefixes,Countries,"
    "Excluded Countries,Min Metal %,Max Metal %,Effective From,Effective To,Sequence",
    "Packaging_Material.csv": "Material,Description,Is Packaging,Unit Weight (kg)",
    "Exchange_Rates.csv": "Currency,Date,USD per Unit",
    "Invoice_Lines.csv": "Billing Doc,Item,Billing Type,Billing Date,Cancelled,Material,Description,Quantity,"
    "Unit,Net Value,Currency,Shipment,Port,Mode,Arrival Date",
}


def test_every_csv_starts_with_its_pinned_header(sample: Sample) -> None:
    reference = sample.root / "legacy/reference"
    assert sorted(path.name for path in reference.iterdir()) == sorted(
        set(PINNED_HEADERS) - {"Invoice_Lines.csv"}
    )
    paths = [*reference.iterdir(), *(sample.root / "legacy").glob("*/Invoice_Lines.csv")]
    assert len(paths) == 5 + len(sample.manifest.business_dates)
    for path in paths:
        first = path.read_bytes().split(b"\r\n", 1)[0]
        assert first == b"\xef\xbb\xbf" + PINNED_HEADERS[path.name].encode("utf-8"), path.name
        read_legacy_csv(path)


def test_product_list_rows(sample: Sample) -> None:
    _, rows = read_legacy_csv(sample.root / "legacy/reference/Product_List.csv")
    assert len(rows) == 73
    for row in rows:
        assert MATERIAL.match(row["Material"]), row
        assert HTS_ANALYST.match(row["HTS Code"]), row
        assert row["Country of Origin"] in COUNTRIES, row
        assert row["Weight Unit"] in ("KG", "LB"), row
        for column in (
            "Net Weight",
            "Gross Weight",
            "Steel (kg)",
            "Aluminum (kg)",
            "Copper (kg)",
            "Metal Value",
        ):
            assert NUMBER.match(row[column]), (column, row)
        assert Decimal(row["Gross Weight"]) >= Decimal(row["Net Weight"]) > 0
        assert re.fullmatch(r"[A-Z]{3}", row["Metal Value Currency"]), row
    assert {row["Weight Unit"] for row in rows} == {"KG", "LB"}
    assert any("," in row["Description"] for row in rows), "no description exercises quoting"


def test_hts_code_and_tariff_rows(sample: Sample) -> None:
    _, codes = read_legacy_csv(sample.root / "legacy/reference/HTS_Code.csv")
    assert len(codes) == 21
    for row in codes:
        assert HTS_ANALYST.match(row["HTS Code"]), row
        assert row["Duty Rate"] == "Free" or PERCENT.match(row["Duty Rate"]), row
        assert row["Unit"] in ("No.", "kg", "No. and kg"), row
    _, tariff = read_legacy_csv(sample.root / "legacy/reference/HTS Tariff.csv")
    programmes = {"Section 301", "Section 232", "Section 122", "IEEPA Fentanyl", "IEEPA Reciprocal"}
    for row in tariff:
        assert re.fullmatch(r"9903\.\d{2}\.\d{2}", row["Chapter 99 Code"]), row
        assert row["Program"] in programmes, row
        assert row["Type"] in ("Additional", "Exemption"), row
        assert PERCENT.match(row["Rate"]), row
        assert row["Applies To"] in ("All", "Non-metal", "Metal"), row
        if row["Type"] == "Exemption":
            assert row["Rate"] == "0%", row
        for prefix in filter(None, row["HTS Prefixes"].split(";")):
            assert PREFIX_ANALYST.match(prefix), row
        assert row["Countries"] == "All" or set(row["Countries"].split(";")) <= COUNTRIES, row
        assert set(filter(None, row["Excluded Countries"].split(";"))) <= COUNTRIES, row
        for column in ("Min Metal %", "Max Metal %"):
            assert row[column] == "" or NUMBER.match(row[column]), row
        _date(row["Effective From"])
        if row["Effective To"]:
            _date(row["Effective To"])
        assert row["Sequence"].isdigit(), row
    assert {row["Program"] for row in tariff} == programmes


def test_packaging_and_exchange_rate_rows(sample: Sample) -> None:
    _, packaging = read_legacy_csv(sample.root / "legacy/reference/Packaging_Material.csv")
    assert len(packaging) == 67
    for row in packaging:
        assert MATERIAL.match(row["Material"]), row
        assert row["Is Packaging"] in ("Y", "N"), row
        assert NUMBER.match(row["Unit Weight (kg)"]), row
        assert Decimal(row["Unit Weight (kg)"]) > 0, row
    _, rates = read_legacy_csv(sample.root / "legacy/reference/Exchange_Rates.csv")
    assert {row["Currency"] for row in rates} == {"CNY", "EUR", "TWD"}
    for row in rates:
        _date(row["Date"])
        assert NUMBER.match(row["USD per Unit"]), row
        assert Decimal(row["USD per Unit"]) > 0, row


def test_invoice_lines_rows(sample: Sample) -> None:
    dates = [day.isoformat() for day in sample.manifest.business_dates]
    assert sorted(p.name for p in (sample.root / "legacy").iterdir()) == sorted([*dates, "reference"])
    thousands = by_weight = 0
    for day in dates:
        _, rows = read_legacy_csv(sample.root / f"legacy/{day}/Invoice_Lines.csv")
        assert rows, day
        keys = [(row["Billing Doc"], int(row["Item"])) for row in rows]
        assert keys == sorted(keys), "rows are not in document order"
        for row in rows:
            assert MATERIAL.match(row["Material"]), row
            assert MATERIAL.match(row["Billing Doc"]), row
            assert row["Billing Type"] in ("F2", "G2", "RE", "S1", "S2"), row
            assert row["Cancelled"] in ("", "X"), row
            _date(row["Billing Date"])
            _date(row["Arrival Date"])
            assert datetime.strptime(row["Arrival Date"], "%m/%d/%Y").date().isoformat() == day
            # Pieces (EA) are whole; kilograms (KG) are the pieces' net weight.
            assert row["Unit"] in ("EA", "KG"), row
            assert row["Quantity"].isdigit() if row["Unit"] == "EA" else NUMBER.match(row["Quantity"]), row
            by_weight += row["Unit"] == "KG"
            assert MONEY.match(row["Net Value"]), row
            value = Decimal(row["Net Value"].replace(",", ""))
            assert ("," in row["Net Value"]) == (value >= 1000), row
            thousands += value >= 1000
            assert row["Mode"] in ("10", "11", "30", "40", "41"), row
            assert row["Port"].isdigit(), row
    assert thousands, "no value exercises the thousands separator"
    assert by_weight, "no line is invoiced by the kilogram"


def test_invoice_lines_say_what_zsdr002_says(sample: Sample) -> None:
    records = read_jsonl(sample.root / "sap/ZSDR002.jsonl")
    by_day: dict[str, list[dict[str, str]]] = {}
    for record in records:
        by_day.setdefault(record["ZZARRIVAL"], []).append(record)
    for day in sample.manifest.business_dates:
        _, rows = read_legacy_csv(sample.root / f"legacy/{day.isoformat()}/Invoice_Lines.csv")
        expected = [
            {
                "Billing Doc": r["VBELN"],
                "Item": str(int(r["POSNR"])),
                "Billing Type": r["FKART"],
                "Billing Date": datetime.fromisoformat(r["FKDAT"]).strftime("%m/%d/%Y"),
                "Cancelled": r["FKSTO"],
                "Material": r["MATNR"].lstrip("0"),
                "Description": r["ARKTX"],
                "Quantity": str(int(Decimal(r["FKIMG"])))
                if r["VRKME"] == "ST"
                else f"{Decimal(r['FKIMG']).normalize():f}",
                "Unit": {"ST": "EA", "KGM": "KG"}[r["VRKME"]],
                "Net Value": f"{Decimal(r['NETWR']):,.2f}",
                "Currency": r["WAERK"],
                "Shipment": r["ZZSHIPMENT"],
                "Port": r["ZZPORT"],
                "Mode": r["ZZMOT"],
                "Arrival Date": datetime.fromisoformat(r["ZZARRIVAL"]).strftime("%m/%d/%Y"),
            }
            for r in by_day[day.isoformat()]
        ]
        assert rows == expected
