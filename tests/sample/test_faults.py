"""Each fault option produces exactly what the manifest says, and nothing else changes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from ior_tools.sample import Faults, MissingRate, generate
from ior_tools.sample.faults import FaultError

from tests.sample.conftest import FAULTED_RATE, Sample
from tests.sample.readers import read_jsonl, read_legacy_csv


def _lines(sample: Sample) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["VBELN"], r["POSNR"]): r for r in read_jsonl(sample.root / "sap/ZSDR002.jsonl")}


def _csv_row(sample: Sample, day: date, document: str, item: str) -> dict[str, str]:
    _, rows = read_legacy_csv(sample.root / f"legacy/{day.isoformat()}/Invoice_Lines.csv")
    return next(row for row in rows if (row["Billing Doc"], row["Item"]) == (document, item))


def test_malformed_rows_are_malformed_in_sap_and_csv_alike(faulted: Sample) -> None:
    records = faulted.manifest.faults.malformed_rows
    assert len(records) == 4
    assert {record.expected["rule"] for record in records} == {
        "invalid_quantity",
        "invalid_billing_date",
        "unknown_currency",
    }
    lines = _lines(faulted)
    for record in records:
        line = lines[(record.key["VBELN"], record.key["POSNR"])]
        assert line[record.field] == record.value
        row = _csv_row(faulted, record.business_date, record.csv.key["Billing Doc"], record.csv.key["Item"])
        assert row[record.csv.field] == record.csv.value
        outcome = faulted.manifest.outcomes[record.business_date.isoformat()]
        assert (record.key["VBELN"], int(record.key["POSNR"]), record.expected["rule"]) in {
            (o.document, o.item, o.reason) for o in outcome.rejected_by_etl
        }


def test_unknown_materials_are_absent_from_the_master(faulted: Sample) -> None:
    records = faulted.manifest.faults.unknown_materials
    assert len(records) == 3
    known = {r["MATNR"] for r in read_jsonl(faulted.root / "sap/ZEMM005.jsonl")}
    lines = _lines(faulted)
    for record in records:
        line = lines[(record.key["VBELN"], record.key["POSNR"])]
        assert line["MATNR"] == record.material.zfill(18)
        assert line["MATNR"] not in known
        assert record.expected["reason"] == "unknown_material"
        row = _csv_row(faulted, record.business_date, record.key["VBELN"], str(int(record.key["POSNR"])))
        assert row["Material"] == record.material


def test_missing_rates_quarantine_exactly_the_lines_without_a_rate(faulted: Sample) -> None:
    [dropped] = faulted.manifest.faults.missing_rates
    assert (dropped.currency, dropped.billing_date) == (FAULTED_RATE.currency, FAULTED_RATE.billing_date)
    rates = read_jsonl(faulted.root / "sap/ZEMM07.jsonl")
    left = sorted(
        date.fromisoformat(r["GDATU"])
        for r in rates
        if r["FCURR"] == dropped.currency and r["KURST"] == "M" and r["TCURR"] == "USD"
    )
    assert not set(left) & set(dropped.dropped_gdatu)
    assert dropped.dropped_gdatu
    _, csv_rates = read_legacy_csv(faulted.root / "legacy/reference/Exchange_Rates.csv")
    assert len([r for r in csv_rates if r["Currency"] == dropped.currency]) == len(left)

    def has_rate(billed: date) -> bool:
        return any(timedelta(0) <= billed - day <= timedelta(days=7) for day in left)

    broken = [
        (r["VBELN"], int(r["POSNR"]))
        for r in read_jsonl(faulted.root / "sap/ZSDR002.jsonl")
        if r["WAERK"] == dropped.currency
        and r["FKART"] == "F2"
        and not r["FKSTO"]
        and r["FKDAT"][0] != "0"
        and not has_rate(date.fromisoformat(r["FKDAT"]))
    ]
    affected = {(line.document, line.item) for line in dropped.affected}
    assert broken, "the fault touched no line; pick a busier date"
    assert set(broken) <= affected
    assert {line.reason for line in dropped.affected} <= {"no_exchange_rate", "packaging_without_goods"}
    quarantined = {
        (o.document, o.item) for outcome in faulted.manifest.outcomes.values() for o in outcome.quarantined
    }
    assert affected <= quarantined


def test_faults_change_nothing_but_their_lines(sample: Sample, faulted: Sample) -> None:
    clean, dirty = _lines(sample), _lines(faulted)
    unknown = {(r.key["VBELN"], r.key["POSNR"]) for r in faulted.manifest.faults.unknown_materials}
    malformed = {(r.key["VBELN"], r.key["POSNR"]) for r in faulted.manifest.faults.malformed_rows}
    assert dirty.keys() - clean.keys() == unknown
    assert not clean.keys() - dirty.keys()
    changed = {key for key in clean if clean[key] != dirty[key]}
    assert changed == malformed
    assert faulted.manifest.disagreements == sample.manifest.disagreements


def test_no_faults_means_no_quarantine(sample: Sample) -> None:
    for outcome in sample.manifest.outcomes.values():
        assert outcome.quarantined == []
        assert outcome.rejected_by_etl == []
        assert outcome.held_out_credit > 0
    assert sum(o.dropped_cancelled for o in sample.manifest.outcomes.values()) == 4


def test_impossible_faults_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FaultError, match="CUR@YYYY-MM-DD"):
        MissingRate.parse("EUR-2026-03-25")
    with pytest.raises(FaultError, match="no rates to drop"):
        MissingRate.parse("USD@2026-03-25")
    with pytest.raises(FaultError, match="can carry one"):
        generate(tmp_path / "out", days=1, lines_per_day=40, faults=Faults(malformed_rows=500))
