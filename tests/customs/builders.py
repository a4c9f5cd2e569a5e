"""Tiny datasets written as the ETL publishes them (`ior_contracts.datasets`: gzip CSV, header in
schema order, rows sorted by key, empty cell for null, `;`-joined lists, mtime 0) and the
`etl.dataset.published.v1` events that announce them; the fee table of the cited years the product
ships, and its `etl.fee_table.published.v1`."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.datasets import FEE_TABLE, SCHEMA_VERSION, schema_of
from ior_contracts.envelope import Metadata, new_metadata
from ior_contracts.etl import DatasetHeld, DatasetPublished, FeeCoverage, FeeTablePublished, InputRef
from ior_ingestion.domain.fee_notices import FeeNotice, shipped_notices

DAY = date(2026, 3, 16)  # a Monday; it closes on 2026-03-30

HTS = [
    {"hts10": "8517620020", "description": "Switching and routing apparatus", "unit": "No.",
     "general_rate": "0"},
    {"hts10": "8544429090", "description": "Other electric conductors fitted with connectors", "unit": "No.",
     "general_rate": "0.026"},
]  # fmt: skip
PRODUCTS = [
    {"material": "10000001", "description": "SD-WAN Edge 1100", "material_type": "FERT",
     "hts10": "8517620020", "origin": "CN", "base_unit": "PCE", "net_kg": "2.4", "gross_kg": "3.1",
     "packing_kg": "0.7", "metal_share": "0.12", "metal_value_per_unit": "0", "metal_value_currency": "USD"},
    {"material": "10000006", "description": "QSFP DAC cable 3m", "material_type": "HAWA",
     "hts10": "8544429090", "origin": "TW", "base_unit": "PCE", "net_kg": "0.3", "gross_kg": "0.35",
     "packing_kg": "0.05", "metal_share": "0.20", "metal_value_per_unit": "0", "metal_value_currency": "USD"},
]  # fmt: skip
PACKAGING = [
    {
        "material": "90000001",
        "description": "Corrugated carton 60x40x30",
        "is_packaging": "true",
        "unit_kg": "0.9",
    },
]
PROVISIONS = [
    {"code": "9903.88.15", "seq": "1", "programme": "S301", "kind": "additional", "rate": "0.075",
     "part": "any", "hts_prefixes": "851762", "origins": "CN", "origins_excluded": "", "min_metal_share": "",
     "max_metal_share": "", "effective_from": "2020-02-14", "effective_to": "", "rank": "10"},
    {"code": "9903.03.01", "seq": "1", "programme": "S122", "kind": "additional", "rate": "0.10",
     "part": "non_metal", "hts_prefixes": "", "origins": "*", "origins_excluded": "MX", "min_metal_share": "",
     "max_metal_share": "", "effective_from": "2026-02-24", "effective_to": "2026-07-23", "rank": "27"},
]  # fmt: skip
RATES = [{"currency": "EUR", "date": "2026-03-10", "usd_per_unit": "1.085"}]


def invoice_line(
    document: str, item: int, material: str, quantity: str, value: str, **extra: str
) -> dict[str, str]:
    """An F2 line in USD arriving on DAY by vessel at port 0901 (the leading zero stays)."""
    return {
        "document": document, "item": str(item), "type": "F2", "cancels": "", "cancelled": "false",
        "billing_date": "2026-03-13", "material": material, "description": "", "quantity": quantity,
        "unit": "PCE", "value": value, "currency": "USD", "shipment": "SH1", "port": "0901", "mode": "11",
        "arrival": DAY.isoformat(), "related_party_review": "false", **extra,
    }  # fmt: skip


TRANSACTIONS = [
    invoice_line("90030001", 10, "10000001", "10", "25000.00"),
    invoice_line("90030001", 20, "90000001", "2", "40.00"),
    invoice_line("90030001", 30, "10000006", "100", "1000.00", currency="EUR"),
    invoice_line("90030002", 10, "10000001", "1", "2500.00", type="G2"),
]
REFERENCE = {
    "hts-reference": HTS,
    "product-master": PRODUCTS,
    "packaging-materials": PACKAGING,
    "tariff-provisions": PROVISIONS,
    "exchange-rates": RATES,
}


def fee_row(notice: FeeNotice) -> dict[str, str]:
    """A notice as a row of the fee table, in text."""
    record = notice.record()
    return {name: str(record[name]) for name in FEE_TABLE.names}


FEES = [fee_row(n) for n in shipped_notices()]
"""FY2024, FY2025 and FY2026 as cited; no later year."""


def snapshot_bytes(dataset: str, rows: Sequence[Mapping[str, str]]) -> bytes:
    schema = schema_of(dataset)
    ordered = sorted(rows, key=lambda r: tuple(_sort_key(r.get(k, "")) for k in schema.key))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(schema.names)
    writer.writerows([[row.get(name, "") for name in schema.names] for row in ordered])
    return gzip.compress(text.getvalue().encode(), mtime=0)


def _sort_key(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


def published(
    dataset: str,
    data: bytes,
    bucket: str,
    *,
    rows: int,
    mode: str = "automated",
    business_dates: list[date] | None = None,
    sha256: str | None = None,
) -> tuple[DatasetPublished, str]:
    """The announcement of `data` and the key it is (to be) stored under; `sha256` overrides the
    claim check's checksum (a corrupt object)."""
    content = hashlib.sha256(data).hexdigest()
    version = content[:24]
    prefix = f"etl/published/{dataset}/{mode}/{version}"
    event = DatasetPublished(
        dataset=dataset,
        mode=mode,
        version=version,
        snapshot=ClaimCheck(
            uri=f"s3://{bucket}/{prefix}/rows.csv.gz",
            sha256=sha256 or content,
            row_count=rows,
            schema_version=SCHEMA_VERSION,
        ),
        manifest_uri=f"s3://{bucket}/{prefix}/manifest.json",
        inputs=[
            InputRef(name="ZEMM005", uri=f"s3://{bucket}/ingestion/published/raw/x.jsonl.gz", sha256=content)
        ],
        code_version="etl-test",
        business_dates=business_dates,
    )
    return event, f"{prefix}/rows.csv.gz"


def metadata(event_type: type[Any], at: datetime) -> Metadata:
    return new_metadata(event_type, occurred_at=at)


def held(dataset: str, mode: str = "automated") -> DatasetHeld:
    return DatasetHeld(
        dataset=dataset,
        mode=mode,
        run_id="etl-exchange-rates-automated-0001",
        rule="rate_not_positive",
        rejected_rows=9,
        total_rows=10,
        reject_rate="0.9",
        threshold="0.1",
        quarantine_uri="s3://ior-test-data/etl/quarantine/x.jsonl.gz",
    )


def fee_table_published(data: bytes, bucket: str, *, rows: int) -> tuple[FeeTablePublished, str]:
    """The announcement of a fee table `data` and the key it is (to be) stored under."""
    content = hashlib.sha256(data).hexdigest()
    version = content[:24]
    prefix = f"etl/published/fee-table/automated/{version}"
    event = FeeTablePublished(
        version=version,
        snapshot=ClaimCheck(
            uri=f"s3://{bucket}/{prefix}/data.csv.gz",
            sha256=content,
            row_count=rows,
            schema_version=SCHEMA_VERSION,
        ),
        manifest_uri=f"s3://{bucket}/{prefix}/manifest.json",
        inputs=[
            InputRef(name="CBP_FEES", uri=f"s3://{bucket}/ingestion/published/raw/f.jsonl.gz", sha256=content)
        ],
        code_version="etl-test",
        coverage=FeeCoverage(
            as_of=DAY, covered_until=date(2026, 9, 30), days_ahead=198, threshold_days=45, short=False
        ),
    )
    return event, f"{prefix}/data.csv.gz"
