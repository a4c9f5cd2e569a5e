"""The six pinned legacy CSVs: each file's name, kind, exact header and the format of each cell.

This is the manual path's contract between the analysts and the pipeline. The API checks an upload
against it synchronously (every problem named by row and column, before anything is stored) and
the ETL reads the same files with the same header and cell converters, so a file the upload accepts
is one the ETL can read."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ior_contracts.legacy import cells
from ior_contracts.legacy.csv_file import Problem, Row, records, row_of
from ior_contracts.manual import LegacyFileKind

Convert = Callable[[str], str]


@dataclass(frozen=True)
class CellFormat:
    convert: Convert
    # The rule a broken cell is reported under, when it differs from the converter's own.
    rule: str | None = None


@dataclass(frozen=True)
class LegacyFormat:
    file: str
    kind: LegacyFileKind
    header: tuple[str, ...]
    cells: Mapping[str, CellFormat] = field(default_factory=dict)

    def check(self, data: bytes, *, max_problems: int | None = None) -> FormatReport:
        """Every format problem of the file: raises `LegacyFileError` when the file as a whole is
        unreadable (encoding, byte-order mark, line ends, header), else lists each bad row and cell,
        in row and column order; with `max_problems`, only until that many are found."""
        return self.check_lines(io.BytesIO(data), max_problems=max_problems)

    def check_lines(self, lines: Iterable[bytes], *, max_problems: int | None = None) -> FormatReport:
        """`check` over the file's physical lines (`csv_file.legacy_lines`) as they stream in: only
        the problems are kept, and reading stops once `max_problems` are found."""
        rows, problems = 0, []
        for number, found in records(lines, self.file, self.header):
            rows += 1
            read = row_of(number, found, self.header)
            problems.extend(self._cell_problems(read) if isinstance(read, Row) else [read])
            if max_problems is not None and len(problems) >= max_problems:
                return FormatReport(self, rows, problems, stopped_at=number)
        return FormatReport(self, rows, problems)

    def _cell_problems(self, row: Row) -> list[Problem]:
        found = []
        for column in self.header:
            if cells.NUL in row.cells[column]:
                found.append(Problem(row.number, column, cells.NUL_RULE, cells.NUL_MESSAGE))
                continue
            spec = self.cells.get(column)
            if spec is None:
                continue
            try:
                spec.convert(row.cells[column])
            except cells.CellError as exc:
                found.append(Problem(row.number, column, spec.rule or exc.rule, str(exc)))
        return found


@dataclass(frozen=True)
class FormatReport:
    format: LegacyFormat
    rows: int  # data rows read (all of them, unless the check stopped)
    problems: list[Problem]
    # The last row read when the check stopped at its `max_problems`; none when the file was read whole.
    stopped_at: int | None = None


def _share(text: str) -> str:
    return cells.percent(text, sign_required=False)


PROGRAMMES = {
    "Section 301": "S301",
    "Section 232": "S232",
    "Section 122": "S122",
    "IEEPA Fentanyl": "IEEPA_F",
    "IEEPA Reciprocal": "IEEPA_R",
}
PROVISION_KINDS = {"Additional": "additional", "Exemption": "exemption"}
PARTS = {"All": "any", "Non-metal": "non_metal", "Metal": "metal"}
WEIGHT_UNITS = {"KG": "KG", "LB": "LB"}
INVOICE_UNITS = {"EA": "ST", "KG": "KG"}  # EA is SAP's piece unit ST
PACKAGING_FLAGS = {"Y": "VERP", "N": ""}  # VERP: SAP's packaging material type

PRODUCT_LIST = LegacyFormat(
    "Product_List.csv",
    "product_list",
    (
        "Material",
        "Description",
        "HTS Code",
        "Country of Origin",
        "Net Weight",
        "Gross Weight",
        "Weight Unit",
        "Steel (kg)",
        "Aluminum (kg)",
        "Copper (kg)",
        "Metal Value",
        "Metal Value Currency",
    ),
    {
        "Material": CellFormat(cells.material),
        "HTS Code": CellFormat(cells.dotted_hts),
        "Country of Origin": CellFormat(cells.country),
        "Net Weight": CellFormat(cells.number, "invalid_net_weight"),
        "Gross Weight": CellFormat(cells.number, "invalid_gross_weight"),
        "Weight Unit": CellFormat(cells.one_of(WEIGHT_UNITS, "unknown_weight_unit")),
        "Steel (kg)": CellFormat(cells.number, "invalid_metal_weight"),
        "Aluminum (kg)": CellFormat(cells.number, "invalid_metal_weight"),
        "Copper (kg)": CellFormat(cells.number, "invalid_metal_weight"),
        "Metal Value": CellFormat(cells.number, "invalid_metal_value"),
    },
)
HTS_CODE = LegacyFormat(
    "HTS_Code.csv",
    "hts_code",
    ("HTS Code", "Description", "Duty Rate", "Unit"),
    {
        "HTS Code": CellFormat(cells.dotted_hts),
        "Duty Rate": CellFormat(cells.duty_rate, "invalid_company_rate"),
    },
)
HTS_TARIFF = LegacyFormat(
    "HTS Tariff.csv",
    "hts_tariff",
    (
        "Chapter 99 Code",
        "Program",
        "Type",
        "Rate",
        "Applies To",
        "HTS Prefixes",
        "Countries",
        "Excluded Countries",
        "Min Metal %",
        "Max Metal %",
        "Effective From",
        "Effective To",
        "Sequence",
    ),
    {
        "Program": CellFormat(cells.one_of(PROGRAMMES, "unknown_programme")),
        "Type": CellFormat(cells.one_of(PROVISION_KINDS, "unknown_kind")),
        "Rate": CellFormat(cells.percent, "invalid_rate"),
        "Applies To": CellFormat(cells.one_of(PARTS, "unknown_part")),
        "HTS Prefixes": CellFormat(cells.hts_prefixes),
        "Countries": CellFormat(lambda t: cells.countries(t, allow_all=True)),
        "Excluded Countries": CellFormat(lambda t: cells.countries(t, allow_all=False)),
        "Min Metal %": CellFormat(_share, "invalid_metal_share"),
        "Max Metal %": CellFormat(_share, "invalid_metal_share"),
        "Effective From": CellFormat(cells.us_date, "invalid_effective_from"),
        "Effective To": CellFormat(cells.us_date, "invalid_effective_to"),
        "Sequence": CellFormat(cells.integer, "invalid_rank"),
    },
)
PACKAGING_MATERIAL = LegacyFormat(
    "Packaging_Material.csv",
    "packaging_material",
    ("Material", "Description", "Is Packaging", "Unit Weight (kg)"),
    {
        "Material": CellFormat(cells.material),
        "Is Packaging": CellFormat(cells.one_of(PACKAGING_FLAGS, "invalid_packaging_flag", required=True)),
        "Unit Weight (kg)": CellFormat(cells.number, "invalid_unit_weight"),
    },
)
EXCHANGE_RATES = LegacyFormat(
    "Exchange_Rates.csv",
    "exchange_rates",
    ("Currency", "Date", "USD per Unit"),
    {
        "Date": CellFormat(cells.us_date, "invalid_date"),
        "USD per Unit": CellFormat(cells.number, "malformed_rate"),
    },
)
INVOICE_LINES = LegacyFormat(
    "Invoice_Lines.csv",
    "invoice_lines",
    (
        "Billing Doc",
        "Item",
        "Billing Type",
        "Billing Date",
        "Cancelled",
        "Material",
        "Description",
        "Quantity",
        "Unit",
        "Net Value",
        "Currency",
        "Shipment",
        "Port",
        "Mode",
        "Arrival Date",
    ),
    {
        "Billing Doc": CellFormat(cells.document),
        "Item": CellFormat(cells.item),
        "Billing Date": CellFormat(cells.us_date, "invalid_billing_date"),
        "Material": CellFormat(cells.material),
        "Quantity": CellFormat(cells.number, "invalid_quantity"),
        "Unit": CellFormat(cells.one_of(INVOICE_UNITS, "unknown_unit")),
        "Net Value": CellFormat(cells.number, "invalid_value"),
        "Arrival Date": CellFormat(cells.us_date, "invalid_arrival_date"),
    },
)

FORMATS: dict[str, LegacyFormat] = {
    f.file: f for f in (PRODUCT_LIST, HTS_CODE, HTS_TARIFF, PACKAGING_MATERIAL, EXCHANGE_RATES, INVOICE_LINES)
}


def converter(file: str, column: str) -> Convert:
    """The cell converter of a column: what the ETL reader applies, as the upload check does."""
    return FORMATS[file].cells[column].convert
