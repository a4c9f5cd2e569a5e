"""The analysts' CSVs, exactly as legacy-formats.md pins them.

UTF-8 with a byte-order mark, CRLF, comma separator, minimal quoting (a field with a comma is
quoted), MM/DD/YYYY dates, material numbers without leading zeros, English country names, HTS
numbers the analysts' way (`8517.62.0020`), money with thousands separators from 1,000 up. The
reference CSVs carry the documented disagreements (disagreements.MANUAL_OVERRIDES)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from ior_contracts.legacy.formats import (
    EXCHANGE_RATES,
    HTS_CODE,
    HTS_TARIFF,
    INVOICE_LINES,
    PACKAGING_MATERIAL,
    PRODUCT_LIST,
)

from ior_tools.sample.company import Company, to_kg
from ior_tools.sample.disagreements import ManualOverrides
from ior_tools.sample.exchange_rates import RateRow
from ior_tools.sample.faults import MALFORMATIONS
from ior_tools.sample.formats import COUNTRY_NAMES, dotted_analyst, money_csv, percent_text, plain, us_date
from ior_tools.sample.invoices import Invoice, Item
from ior_tools.sample.provisions import KIND_NAMES, PART_NAMES, PROGRAMME_NAMES, Provision
from ior_tools.sample.streams import HashedTextFile

# Header lines as legacy-formats.md pins them.
# The pinned headers (the formats the upload check and the ETL apply).
PRODUCT_HEADER = PRODUCT_LIST.header
HTS_HEADER = HTS_CODE.header
TARIFF_HEADER = HTS_TARIFF.header
PACKAGING_HEADER = PACKAGING_MATERIAL.header
RATES_HEADER = EXCHANGE_RATES.header
INVOICE_HEADER = INVOICE_LINES.header
REFERENCE_FILES = {
    "Product_List.csv": PRODUCT_HEADER,
    "HTS_Code.csv": HTS_HEADER,
    "HTS Tariff.csv": TARIFF_HEADER,
    "Packaging_Material.csv": PACKAGING_HEADER,
    "Exchange_Rates.csv": RATES_HEADER,
}
_COLUMN = {name: index for index, name in enumerate(INVOICE_HEADER)}


class LegacyCsv:
    """One CSV in the pinned dialect; counts its data rows."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._stream: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._stream.write("\ufeff")
        self._writer = csv.writer(self._stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._writer.writerow(header)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stream.close()

    def write(self, row: Sequence[str]) -> None:
        self._writer.writerow(row)
        self.rows += 1

    def write_all(self, rows: Sequence[Sequence[str]]) -> None:
        self._writer.writerows(rows)
        self.rows += len(rows)


def _countries(codes: Sequence[str]) -> str:
    if "*" in codes:
        return "All"
    return ";".join(COUNTRY_NAMES[code] for code in codes)


def product_rows(company: Company, overrides: ManualOverrides) -> list[list[str]]:
    rows = []
    for product in company.products:
        net, gross = overrides.product_weights.get(product.material, (product.net, product.gross))
        # The analysts keep grams as kilograms; pounds stay pounds.
        unit = "LB" if product.weight_unit == "LB" else "KG"
        if product.weight_unit == "G":
            net, gross = to_kg(net, "G"), to_kg(gross, "G")
        rows.append(
            [
                product.material,
                product.description,
                dotted_analyst(product.hts10),
                COUNTRY_NAMES[product.origin],
                plain(net),
                plain(gross),
                unit,
                plain(to_kg(product.steel, product.weight_unit)),
                plain(to_kg(product.aluminum, product.weight_unit)),
                plain(to_kg(product.copper, product.weight_unit)),
                f"{product.metal_value:.2f}" if product.metal_value else "0",
                product.metal_currency,
            ]
        )
    return rows


def hts_rows(company: Company, overrides: ManualOverrides) -> list[list[str]]:
    return [
        [
            dotted_analyst(line.hts10),
            overrides.hts_description.get(line.hts10, line.description),
            overrides.hts_rate_text.get(line.hts10, line.general),
            line.unit_text,
        ]
        for line in company.hts
    ]


def tariff_rows(provisions: Iterable[Provision]) -> list[list[str]]:
    return [
        [
            provision.code,
            PROGRAMME_NAMES[provision.programme],
            KIND_NAMES[provision.kind],
            percent_text(provision.rate),
            PART_NAMES[provision.part],
            ";".join(dotted_analyst(prefix) for prefix in provision.prefixes),
            _countries(provision.origins),
            _countries(provision.excluded) if provision.excluded else "",
            "" if provision.min_share is None else plain(provision.min_share * 100),
            "" if provision.max_share is None else plain(provision.max_share * 100),
            us_date(provision.effective_from),
            "" if provision.effective_to is None else us_date(provision.effective_to),
            str(provision.rank),
        ]
        for provision in provisions
    ]


def packaging_rows(company: Company, overrides: ManualOverrides) -> list[list[str]]:
    return [
        [
            item.material,
            item.description,
            "N" if item.material in overrides.not_packaging else "Y",
            plain(item.unit_kg),
        ]
        for item in company.packaging
    ]


def rate_rows(rows: Iterable[RateRow]) -> list[list[str]]:
    kept = sorted((row for row in rows if row.is_usd_translation), key=lambda row: (row.fcurr, row.gdatu))
    return [[row.fcurr, us_date(row.gdatu), plain(row.usd_per_unit)] for row in kept]


def write_reference(
    reference_dir: Path,
    company: Company,
    provisions: Iterable[Provision],
    rates: Iterable[RateRow],
    overrides: ManualOverrides,
) -> dict[str, int]:
    """The five reference CSVs; returns the data rows per file name."""
    contents = {
        "Product_List.csv": product_rows(company, overrides),
        "HTS_Code.csv": hts_rows(company, overrides),
        "HTS Tariff.csv": tariff_rows(provisions),
        "Packaging_Material.csv": packaging_rows(company, overrides),
        "Exchange_Rates.csv": rate_rows(rates),
    }
    counts = {}
    for name, rows in contents.items():
        with LegacyCsv(reference_dir / name, REFERENCE_FILES[name]) as writer:
            writer.write_all(rows)
        counts[name] = writer.rows
    return counts


def quote(field: str) -> str:
    """Minimal quoting, as the csv module's QUOTE_MINIMAL does it."""
    if any(char in field for char in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


class InvoiceLinesCsv(HashedTextFile):
    """A day's Invoice_Lines.csv, formatted by hand on the hot path: only descriptions and money can
    need quotes, and both are quoted the way the csv module would."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.rows = 0
        self._materials: dict[str, str] = {}  # per material: Material and Description, quoted as needed
        self._dates: dict[date, str] = {}
        self.write("\ufeff" + ",".join(INVOICE_HEADER) + "\r\n")

    def _date(self, day: date) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = us_date(day)
        return text

    def write_invoice(self, invoice: Invoice) -> None:
        shipment = invoice.shipment
        head = f"{invoice.vbeln},"
        middle = f",{invoice.fkart},{self._date(invoice.fkdat)},{invoice.fksto},"
        tail = (
            f",{invoice.currency},{shipment.number},{shipment.port},{shipment.mode},"
            f"{self._date(shipment.arrival)}\r\n"
        )
        lines = []
        for item in invoice.items:
            if item.malformed or item.kilograms is not None:
                row = invoice_row(invoice, item)
                if item.malformed:
                    fault = MALFORMATIONS[item.malformed]
                    row[_COLUMN[fault.csv_column]] = fault.csv_value
                lines.append(",".join(quote(field) for field in row) + "\r\n")
                continue
            material = self._materials.get(item.material)
            if material is None:
                material = self._materials[item.material] = f"{item.material},{quote(item.description)},"
            whole, cents = divmod(item.value_cents, 100)
            money = f"{whole}.{cents:02d}" if whole < 1000 else f'"{whole:,}.{cents:02d}"'
            lines.append(f"{head}{item.posnr}{middle}{material}{item.quantity},EA,{money}{tail}")
        self.write("".join(lines))
        self.rows += len(lines)


def invoice_row(invoice: Invoice, item: Item) -> list[str]:
    """One day-file row as plain fields (the csv module quotes them)."""
    shipment = invoice.shipment
    return [
        invoice.vbeln,
        str(item.posnr),
        invoice.fkart,
        us_date(invoice.fkdat),
        invoice.fksto,
        item.material,
        item.description,
        str(item.quantity) if item.kilograms is None else f"{item.kilograms.normalize():f}",
        "EA" if item.kilograms is None else "KG",
        money_csv(item.value_cents),
        invoice.currency,
        shipment.number,
        shipment.port,
        shipment.mode,
        us_date(shipment.arrival),
    ]
