"""Customs lines as the dashboard lists them: flattened from a run's document, filtered and paged,
or exported as CSV with every cell a spreadsheet would run as a formula made text. Plain data, no AWS."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

CSV_COLUMNS = (
    "entry_id", "port", "arrival", "line", "hts10", "description", "origin", "part", "stack",
    "quantity_no", "quantity_kg", "net_kg", "gross_kg", "value", "rates", "duties", "duty",
    "entry_mpf", "entry_hmf", "sources", "materials", "datasets", "provisions",
)  # fmt: skip
"""`rates` and `duties` name each HTS number of the stack (`9903.88.15=0.25;…`); MPF and HMF are the
entry's (charged once per entry); `sources`, `materials` (its invoice items' distinct SAP materials),
`datasets` and `provisions` are the line's lineage ids."""

SORTS = ("entry_id", "line", "hts10", "origin", "description", "value", "duty")
"""Columns a list of lines may be sorted by; ties keep filing order."""

# What each quarantine reason asks of the people who can fix it (DOMAIN §4 step 1).
QUARANTINE_FIXES = {
    "unknown_material": "Add the material to the product master (MARA/MARC), then run the date again.",
    "no_hts_reference": "Add the material's HTS number to the HTS reference, then run the date again.",
    "no_origin": "Record the material's country of origin in the product master.",
    "no_weight": "Record the material's net and gross weight in the product master.",
    "no_exchange_rate": "Load the invoice currency's rate for the billing date (KURST M).",
    "unit_not_reportable": "Invoice in a unit the HTS number reports (No. or kg), or fix the unit.",
    "ambiguous_provision": "Make the tariff provisions for this HTS number and origin unambiguous.",
    "packaging_without_goods": "Invoice the packaging with the goods it packs, or drop it from the document.",
}


# OWASP's CSV injection: a cell starting with one of these is a formula to a spreadsheet (a
# description such as `=HYPERLINK(…)` from an uploaded file would run when the export is opened).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number may start with `-` and stay a number.
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def neutralised(cell: object) -> object:
    """A text cell that would start a formula, prefixed with `'` so a spreadsheet shows it as text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


@dataclass(frozen=True)
class LineFilter:
    entry: str | None = None
    hts: str | None = None
    origin: str | None = None
    text: str | None = None
    """Free text: part of the entry id, an HTS prefix, part of the description, an invoice document or
    a material number."""

    @property
    def wanted(self) -> str:
        """The free text as it is matched (trimmed, case folded); empty keeps every line."""
        return (self.text or "").strip().casefold()

    def keeps(self, line: dict[str, Any]) -> bool:
        if self.entry is not None and line["entry_id"] != self.entry:
            return False
        if self.hts is not None and not hts_starts(line["hts10"], self.hts):
            return False
        if self.origin is not None and not same_origin(line["origin"], self.origin):
            return False
        wanted = self.wanted
        if not wanted:
            return True
        return (
            names_entry(wanted, line["entry_id"])
            or names_description(wanted, line.get("description"))
            or names_hts(wanted, line["hts10"])
            or mentions_in_sources(wanted, line)
        )


def hts_starts(hts10: str, prefix: str) -> bool:
    # Analysts type `8517.62` or `851762`: compare digits only, as a prefix.
    return _digits(hts10).startswith(_digits(prefix))


def same_origin(origin: object, wanted: str) -> bool:
    return str(origin).casefold() == wanted.casefold()


# The free text (trimmed, case folded) names a line by what its run's line columns hold: part of its
# entry id or description, or, all digits and dots, a prefix of its HTS number; or by what only its
# entry's text holds (`mentions_in_sources`).


def names_entry(wanted: str, entry_id: str) -> bool:
    return wanted in entry_id.casefold()


def names_description(wanted: str, description: str | None) -> bool:
    return wanted in (description or "").casefold()


def names_hts(wanted: str, hts10: str) -> bool:
    digits = _digits(wanted)
    return bool(digits) and digits == wanted.replace(".", "") and _digits(hts10).startswith(digits)


def mentions_in_sources(wanted: str, line: dict[str, Any]) -> bool:
    """Whether the case-folded free text is one of the line's invoice documents or materials, which
    only its entry's text holds."""
    if any(wanted == str(document).casefold() for document, _ in line.get("sources", [])):
        return True
    material = material_key(wanted)
    return any(material == material_key(found) for found in distinct_materials(line))


def material_key(material: str) -> str:
    """A material number as SAP's ALPHA conversion outputs it: an all-digit number without its leading
    zeros (SAP pads MATNR to 18 digits; the published lines have it without them), case folded."""
    text = material.strip().casefold()
    return (text.lstrip("0") or "0") if text.isdigit() else text


def quarantined(found_lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's quarantined invoice lines, each with its reason and the fix it needs."""
    return [
        {
            "document": str(found["document"]),
            "item": int(found["item"]),
            "material": found.get("material"),
            "reason": found["reason"],
            "fix": QUARANTINE_FIXES.get(found["reason"], "Correct the invoice line or its master data."),
        }
        for found in found_lines
    ]


def cents(money: object) -> int:
    whole, _, fraction = str(money).lstrip("-").partition(".")
    value = int(whole or 0) * 100 + int((fraction + "00")[:2])
    return -value if str(money).startswith("-") else value


# An entry as summarised beside its lines: what identifies it and its totals as filed.
SUMMARY_FIELDS = ("entry_id", "port", "arrival", "formal", "flags", "totals")


def flatten(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each line with its entry's identifying fields, in entry and line order."""
    for entry in document.get("entries", []):
        yield from entry_lines(entry)


def entry_summary(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its lines: what identifies it, its totals as filed and its line count."""
    return {field: entry[field] for field in SUMMARY_FIELDS} | {"lines": len(entry["lines"])}


def entry_lines(entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    totals = entry.get("totals", {})
    head = {
        "entry_id": entry["entry_id"],
        "port": entry["port"],
        "arrival": entry["arrival"],
        "entry_mpf": totals.get("mpf"),
        "entry_hmf": totals.get("hmf"),
    }
    for line in entry["lines"]:
        yield head | line | {"sources": line.get("sources", []), "source_materials": source_materials(line)}


def source_materials(line: dict[str, Any]) -> list[str | None]:
    """The material of each of the line's invoice items, in the order of its `sources`: null where
    unknown, and for every item of a run published before lines carried their materials."""
    sources = line.get("sources", [])
    published = line.get("source_materials")
    if isinstance(published, list) and len(published) == len(sources):
        return [None if m is None else str(m) for m in published]
    return [None] * len(sources)


def distinct_materials(line: dict[str, Any]) -> list[str]:
    """The line's materials, each once, sorted."""
    return sorted({m for m in source_materials(line) if m is not None})


def to_csv(lines: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        quantity = line.get("quantity", {})
        lineage = line.get("lineage", {})
        row = line | {
            "stack": ";".join(line["stack"]),
            "quantity_no": quantity.get("No.", ""),
            "quantity_kg": quantity.get("kg", ""),
            "rates": _by_number(line["stack"], line.get("rates", {})),
            "duties": _by_number(line["stack"], line.get("duties", {})),
            "sources": ";".join(f"{document}/{item}" for document, item in line.get("sources", [])),
            "materials": ";".join(distinct_materials(line)),
            "datasets": ";".join(f"{k}={v}" for k, v in sorted(lineage.get("datasets", {}).items())),
            "provisions": ";".join(
                f"{code}={'|'.join(map(str, rows))}"
                for code, rows in sorted(lineage.get("provisions", {}).items())
            ),
        }
        writer.writerow(["" if row.get(c) is None else neutralised(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _by_number(stack: list[str], values: dict[str, str]) -> str:
    return ";".join(f"{number}={values[number]}" for number in stack if number in values)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
