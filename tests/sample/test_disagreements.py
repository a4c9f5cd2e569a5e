"""The four documented disagreements: exactly these differ between SAP and the CSVs, they touch data
that exists, and their predicted comparison differences can be recomputed from the files."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ior_tools.sample.manifest import Disagreement

from tests.sample.conftest import Sample
from tests.sample.readers import read_jsonl, read_legacy_csv

POUND = Decimal("0.45359237")
KG = {"KG": Decimal(1), "G": Decimal("0.001"), "LB": POUND}
CODES = {"China": "CN", "Taiwan": "TW", "Malaysia": "MY", "Vietnam": "VN", "Thailand": "TH", "Mexico": "MX"}
Dataset = dict[str, dict[str, object]]


def _rate(text: str) -> Decimal:
    return Decimal(0) if text == "Free" else Decimal(text.rstrip("%")) / 100


def _automated(sample: Sample) -> dict[str, Dataset]:
    def sap(name: str) -> list[dict[str, str]]:
        return read_jsonl(sample.root / f"sap/{name}.jsonl")

    weights = {row["MATNR"]: row for row in sap("ZFMIOR002")}
    products: Dataset = {}
    packaging: Dataset = {}
    for row in sap("ZEMM005"):
        weight = weights[row["MATNR"]]
        unit = KG[weight["GEWEI"]]
        material = row["MATNR"].lstrip("0")
        if row["MTART"] == "VERP":
            packaging[material] = {
                "description": row["MAKTX"],
                "is_packaging": True,
                "unit_kg": Decimal(weight["NTGEW"]) * unit,
            }
        else:
            products[material] = {
                "description": row["MAKTX"],
                "hts10": row["STAWN"],
                "origin": row["HERKL"],
                "net_kg": Decimal(weight["NTGEW"]) * unit,
                "gross_kg": Decimal(weight["BRGEW"]) * unit,
                "steel_kg": Decimal(weight["ZZSTEEL"]) * unit,
                "aluminum_kg": Decimal(weight["ZZALU"]) * unit,
                "copper_kg": Decimal(weight["ZZCOPPER"]) * unit,
                "metal_value": Decimal(weight["ZZMETALVAL"]),
                "metal_currency": weight["WAERS"],
            }
    hts: Dataset = {
        row["STAWN"]: {
            "description": row["STTXT"],
            "general_rate": _rate(row["ZZRATE"]),
            "unit": row["ZZUNIT"],
        }
        for row in sap("ZFMIOR001")
    }
    rates: Dataset = {}
    for row in sap("ZEMM07"):
        if row["KURST"] == "M" and row["TCURR"] == "USD":
            ukurs, ffact, tfact = (Decimal(row[name]) for name in ("UKURS", "FFACT", "TFACT"))
            value = tfact / (-ukurs * ffact) if ukurs < 0 else ukurs * tfact / ffact
            rates[f"{row['FCURR']} {row['GDATU']}"] = {"usd_per_unit": value}
    provisions: Dataset = {}
    for row in sap("ZFMIOR003"):
        key = f"{row['ZZCODE']} {row['ZZPREFIXES']} {row['ZZPART']} {row['DATAB']}"
        provisions[key] = {
            "programme": row["ZZPROG"],
            "kind": row["ZZKIND"],
            "rate": Decimal(row["ZZRATE"]) / 100,
            "origins": row["ZZORIGINS"],
            "excluded": row["ZZEXCL"],
            "min_share": Decimal(row["ZZMINSHR"]) / 100 if row["ZZMINSHR"] else None,
            "max_share": Decimal(row["ZZMAXSHR"]) / 100 if row["ZZMAXSHR"] else None,
            "to": row["DATBI"],
            "rank": int(row["ZZRANK"]),
        }
    return {
        "product-master": products,
        "packaging-materials": packaging,
        "hts-reference": hts,
        "exchange-rates": rates,
        "tariff-provisions": provisions,
    }


def _us(text: str) -> str:
    return f"{text[6:]}-{text[:2]}-{text[3:5]}" if text else ""


def _manual(sample: Sample) -> dict[str, Dataset]:
    def legacy(name: str) -> list[dict[str, str]]:
        return read_legacy_csv(sample.root / f"legacy/reference/{name}")[1]

    products: Dataset = {}
    for row in legacy("Product_List.csv"):
        unit = KG[row["Weight Unit"]]
        products[row["Material"]] = {
            "description": row["Description"],
            "hts10": row["HTS Code"].replace(".", ""),
            "origin": CODES[row["Country of Origin"]],
            "net_kg": Decimal(row["Net Weight"]) * unit,
            "gross_kg": Decimal(row["Gross Weight"]) * unit,
            "steel_kg": Decimal(row["Steel (kg)"]),
            "aluminum_kg": Decimal(row["Aluminum (kg)"]),
            "copper_kg": Decimal(row["Copper (kg)"]),
            "metal_value": Decimal(row["Metal Value"]),
            "metal_currency": row["Metal Value Currency"],
        }
    packaging: Dataset = {
        row["Material"]: {
            "description": row["Description"],
            "is_packaging": row["Is Packaging"] == "Y",
            "unit_kg": Decimal(row["Unit Weight (kg)"]),
        }
        for row in legacy("Packaging_Material.csv")
    }
    hts: Dataset = {
        row["HTS Code"].replace(".", ""): {
            "description": row["Description"],
            "general_rate": _rate(row["Duty Rate"]),
            "unit": row["Unit"],
        }
        for row in legacy("HTS_Code.csv")
    }
    rates: Dataset = {
        f"{row['Currency']} {_us(row['Date'])}": {"usd_per_unit": Decimal(row["USD per Unit"])}
        for row in legacy("Exchange_Rates.csv")
    }
    names = {"Section 301": "S301", "Section 232": "S232", "Section 122": "S122"}
    names |= {"IEEPA Fentanyl": "IEEPA_F", "IEEPA Reciprocal": "IEEPA_R"}
    parts = {"All": "any", "Non-metal": "non_metal", "Metal": "metal"}

    def countries(text: str) -> str:
        return "*" if text == "All" else ";".join(CODES[name] for name in filter(None, text.split(";")))

    provisions: Dataset = {}
    for row in legacy("HTS Tariff.csv"):
        prefixes = row["HTS Prefixes"].replace(".", "")
        key = f"{row['Chapter 99 Code']} {prefixes} {parts[row['Applies To']]} {_us(row['Effective From'])}"
        provisions[key] = {
            "programme": names[row["Program"]],
            "kind": row["Type"].lower(),
            "rate": _rate(row["Rate"]),
            "origins": countries(row["Countries"]),
            "excluded": countries(row["Excluded Countries"]),
            "min_share": Decimal(row["Min Metal %"]) / 100 if row["Min Metal %"] else None,
            "max_share": Decimal(row["Max Metal %"]) / 100 if row["Max Metal %"] else None,
            "to": _us(row["Effective To"]),
            "rank": int(row["Sequence"]),
        }
    return {
        "product-master": products,
        "packaging-materials": packaging,
        "hts-reference": hts,
        "exchange-rates": rates,
        "tariff-provisions": provisions,
    }


def test_sap_and_csvs_differ_in_exactly_the_documented_places(sample: Sample) -> None:
    automated, manual = _automated(sample), _manual(sample)
    found = set()
    for dataset, rows in automated.items():
        assert rows.keys() == manual[dataset].keys(), dataset
        for key, fields in rows.items():
            for field, value in fields.items():
                if value != manual[dataset][key][field]:
                    found.add((dataset, key, field, str(value), str(manual[dataset][key][field])))
    documented = {
        (difference.dataset, next(iter(difference.key.values())), difference.field)
        for disagreement in sample.manifest.disagreements
        for difference in disagreement.dataset_differences
    }
    assert {(dataset, key, field) for dataset, key, field, _, _ in found} == documented
    values = {
        (d.dataset, next(iter(d.key.values())), d.field): (d.automated, d.manual)
        for disagreement in sample.manifest.disagreements
        for d in disagreement.dataset_differences
    }
    for dataset, key, field, auto, manual_value in found:
        expected_auto, expected_manual = values[(dataset, key, field)]
        if field == "is_packaging":
            assert (auto, manual_value) == ("True", "False")
        elif field == "description":
            assert (auto, manual_value) == (expected_auto, expected_manual)
        else:
            assert Decimal(auto) == Decimal(expected_auto)
            assert Decimal(manual_value) == Decimal(expected_manual)


def _by_kind(sample: Sample) -> dict[str, Disagreement]:
    kinds = [disagreement.kind for disagreement in sample.manifest.disagreements]
    assert kinds == ["changed_weight", "stale_rate", "packaging_flag", "formatting"]
    return {disagreement.kind: disagreement for disagreement in sample.manifest.disagreements}


def test_formatting_difference_predicts_nothing(sample: Sample) -> None:
    formatting = _by_kind(sample)["formatting"]
    assert formatting.predicted_differences == []
    [difference] = formatting.dataset_differences
    assert difference.equivalent_in_comparison
    assert difference.automated != difference.manual
    assert "".join(difference.automated.split()).casefold() == "".join(difference.manual.split()).casefold()
    hts10 = difference.key["hts10"]
    goods = {r["MATNR"] for r in read_jsonl(sample.root / "sap/ZEMM005.jsonl") if r["STAWN"] == hts10}
    assert any(line["MATNR"] in goods for line in read_jsonl(sample.root / "sap/ZSDR002.jsonl"))


def test_predictions_touch_existing_entries_and_only_fixture_documents(sample: Sample) -> None:
    lines = read_jsonl(sample.root / "sap/ZSDR002.jsonl")
    entries = defaultdict(set)
    for line in lines:
        entry = f"{line['ZZPORT']}-{line['ZZARRIVAL'].replace('-', '')}-{line['ZZSHIPMENT']}"
        entries[entry].add(line["VBELN"])
    by_kind = _by_kind(sample)
    fixture_documents = set()
    for kind in ("changed_weight", "stale_rate", "packaging_flag"):
        disagreement = by_kind[kind]
        assert disagreement.predicted_differences, kind
        assert {d.business_date for d in disagreement.predicted_differences} == {
            f.business_date for f in disagreement.fixture_documents
        }
        for fixture in disagreement.fixture_documents:
            assert fixture.document in entries[fixture.entry_id]
            # The fixture's entry holds nothing but fixture documents.
            assert entries[fixture.entry_id] <= {f.document for f in disagreement.fixture_documents}
            fixture_documents.add(fixture.document)
        for predicted in disagreement.predicted_differences:
            assert predicted.entry_id in entries
            assert predicted.entry_id.split("-")[1] == predicted.business_date.strftime("%Y%m%d")
            assert (predicted.level == "entry") == (predicted.hts10 is None)
    # The materials a disagreement rides on never travel outside their fixtures.
    plain = set(sample.manifest.company["fixture_only_materials"])
    assert by_kind["changed_weight"].dataset_differences[0].key["material"] in plain
    assert by_kind["packaging_flag"].dataset_differences[0].key["material"] in plain
    stale = by_kind["stale_rate"].dataset_differences[0].key["hts10"]
    on_stale = {r["MATNR"] for r in read_jsonl(sample.root / "sap/ZEMM005.jsonl") if r["STAWN"] == stale}
    reserved = {material.zfill(18) for material in plain}
    assert on_stale
    assert on_stale <= reserved
    for line in lines:
        if line["MATNR"] in reserved:
            assert line["VBELN"] in fixture_documents, line


def _half_up(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def test_weight_change_predictions_recompute(sample: Sample) -> None:
    disagreement = _by_kind(sample)["changed_weight"]
    net = {d.field: (Decimal(d.automated), Decimal(d.manual)) for d in disagreement.dataset_differences}
    material = disagreement.dataset_differences[0].key["material"]
    quantity: dict[str, Decimal] = defaultdict(Decimal)
    for line in read_jsonl(sample.root / "sap/ZSDR002.jsonl"):
        if line["MATNR"].lstrip("0") == material:
            quantity[f"{line['ZZPORT']}-{line['ZZARRIVAL'].replace('-', '')}-{line['ZZSHIPMENT']}"] += (
                Decimal(line["FKIMG"])
            )
    fields = {(p.entry_id, p.field): p for p in disagreement.predicted_differences}
    assert {entry for entry, _ in fields} == set(quantity)
    for entry, pieces in quantity.items():
        for field in ("net_kg", "gross_kg"):
            automated, manual = net[field]
            predicted = fields[(entry, field)]
            assert (predicted.actual, predicted.expected) == (
                _half_up(pieces * automated),
                _half_up(pieces * manual),
            )
            assert predicted.level == "line"
            assert predicted.part == "whole"


def test_stale_rate_predictions_recompute(sample: Sample) -> None:
    disagreement = _by_kind(sample)["stale_rate"]
    [difference] = disagreement.dataset_differences
    delta = Decimal(difference.automated) - Decimal(difference.manual)
    documents = {f.document for f in disagreement.fixture_documents}
    value: dict[str, Decimal] = defaultdict(Decimal)
    for line in read_jsonl(sample.root / "sap/ZSDR002.jsonl"):
        if line["VBELN"] in documents:
            value[f"{line['ZZPORT']}-{line['ZZARRIVAL'].replace('-', '')}-{line['ZZSHIPMENT']}"] += Decimal(
                line["NETWR"]
            )
    for predicted in disagreement.predicted_differences:
        assert predicted.field in ("rates", "duty")
        if predicted.field == "duty":
            dollars = _half_up(value[predicted.entry_id])
            step = (delta * dollars).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert Decimal(predicted.actual) - Decimal(predicted.expected) == step > 1
    assert {p.field for p in disagreement.predicted_differences} == {"rates", "duty"}
    assert disagreement.assumption


def test_packaging_flag_predictions_follow_the_crate(sample: Sample) -> None:
    disagreement = _by_kind(sample)["packaging_flag"]
    [difference] = disagreement.dataset_differences
    crate = difference.key["material"]
    documents = {f.document for f in disagreement.fixture_documents}
    crate_value: dict[str, Decimal] = defaultdict(Decimal)
    crate_items = set()
    for line in read_jsonl(sample.root / "sap/ZSDR002.jsonl"):
        if line["MATNR"].lstrip("0") == crate:
            assert line["VBELN"] in documents
            crate_items.add((line["VBELN"], int(line["POSNR"])))
            crate_value[f"{line['ZZPORT']}-{line['ZZARRIVAL'].replace('-', '')}-{line['ZZSHIPMENT']}"] += (
                Decimal(line["NETWR"])
            )
    assert {(q.document, q.item) for q in disagreement.manual_only_quarantine} == crate_items
    assert {q.reason for q in disagreement.manual_only_quarantine} == {"unknown_material"}
    fields = {(p.level, p.field) for p in disagreement.predicted_differences}
    assert {("line", "value"), ("line", "gross_kg"), ("entry", "value")} <= fields
    assert ("line", "net_kg") not in fields
    assert ("line", "quantity") not in fields
    for predicted in disagreement.predicted_differences:
        if predicted.field == "value":
            assert abs(predicted.actual - predicted.expected - crate_value[predicted.entry_id]) <= 1
