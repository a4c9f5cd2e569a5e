"""`Invoice_Lines.csv` → ZSDR002 rows → transactions (mode `manual`).

The file has no cancelled-document column (SFAKN): an S1/S2 line's `cancels` is empty on the
manual path, and the cancelled original is recognised by its `Cancelled` X. `EA` is SAP's piece
unit ST. Without ZEMM004 on this path no line is flagged for related-party review."""

from __future__ import annotations

from ior_contracts.legacy.csv_file import read_legacy_csv
from ior_contracts.legacy.formats import INVOICE_LINES

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.reading import LegacyRead, RowReader, attributed, legacy_read
from ior_etl.domain.sap_fields import ZSDR002
from ior_etl.domain.transactions import build_transactions

FILE = INVOICE_LINES.file
HEADER = INVOICE_LINES.header
COLUMNS = {
    ZSDR002.document: "Billing Doc",
    ZSDR002.item: "Item",
    ZSDR002.billing_type: "Billing Type",
    ZSDR002.billing_date: "Billing Date",
    ZSDR002.cancelled: "Cancelled",
    ZSDR002.material: "Material",
    ZSDR002.description: "Description",
    ZSDR002.quantity: "Quantity",
    ZSDR002.unit: "Unit",
    ZSDR002.value: "Net Value",
    ZSDR002.currency: "Currency",
    ZSDR002.shipment: "Shipment",
    ZSDR002.port: "Port",
    ZSDR002.mode: "Mode",
    ZSDR002.arrival: "Arrival Date",
}


def read_invoice_lines(data: bytes) -> LegacyRead:
    table = read_legacy_csv(data, FILE, HEADER)
    records: list[dict[str, str]] = []
    numbers, problems = [], []
    for row in table.rows:
        read = RowReader(row, INVOICE_LINES)
        record = {
            ZSDR002.document: read.cell("Billing Doc"),
            ZSDR002.item: read.cell("Item"),
            ZSDR002.billing_type: read.cell("Billing Type"),
            ZSDR002.billing_date: read.cell("Billing Date"),
            ZSDR002.cancelled: read.cell("Cancelled"),
            ZSDR002.cancels: "",
            ZSDR002.material: read.cell("Material"),
            ZSDR002.description: read.cell("Description"),
            ZSDR002.quantity: read.cell("Quantity"),
            ZSDR002.unit: read.cell("Unit"),
            ZSDR002.value: read.cell("Net Value"),
            ZSDR002.currency: read.cell("Currency"),
            ZSDR002.shipment: read.cell("Shipment"),
            ZSDR002.port: read.cell("Port"),
            ZSDR002.mode: read.cell("Mode"),
            ZSDR002.arrival: read.cell("Arrival Date"),
        }
        if read.problems:
            problems.extend(read.problems)
            continue
        records.append(record)
        numbers.append(row.number)
    return legacy_read(table, {ZSDR002.name: (ZSDR002, records)}, numbers, problems, COLUMNS)


def build_manual_transactions(data: bytes, *, policy: HoldPolicy | None = None) -> DatasetBuild:
    read = read_invoice_lines(data)
    build = build_transactions(read.frames[ZSDR002.name], mode="manual", policy=policy, earlier=read.rejected)
    return attributed(build, read)
