"""How values are written: canonical strings for the SAP extracts, the analysts' way for the CSVs.

SAP side: ISO dates, plain decimal strings, MATNR zero-padded to 18 digits (ALPHA conversion).
CSV side (legacy-formats.md): MM/DD/YYYY, no leading zeros, dotted `8517.62.0020`, English country
names, `"12,345.67"` thousands separators on money."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

COUNTRY_NAMES: dict[str, str] = {
    "CN": "China",
    "TW": "Taiwan",
    "MY": "Malaysia",
    "VN": "Vietnam",
    "TH": "Thailand",
    "MX": "Mexico",
    "US": "United States",
}


def matnr(material: str) -> str:
    """SAP's internal form of a numeric material number: 18 digits, leading zeros."""
    return material.zfill(18)


def iso(day: date) -> str:
    return day.isoformat()


def us_date(day: date) -> str:
    """The analysts' date, `MM/DD/YYYY`."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def sap_decimal(value: Decimal, places: int) -> str:
    """A decimal string with a fixed number of places, as SAP's QUAN/CURR fields carry them."""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def plain(value: Decimal) -> str:
    """The shortest exact decimal string (`2.40` → `2.4`, `3.000` → `3`), as Excel shows a number."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def cents_text(cents: int) -> str:
    """Integer cents as a plain two-place decimal (`1234567` → `12345.67`)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def money_csv(cents: int) -> str:
    """Money the analysts' Excel way: two places, thousands separators from 1,000 up."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def dotted_analyst(digits: str) -> str:
    """An HTS number or prefix the analysts' way: `8517620020` → `8517.62.0020`, `851762` → `8517.62`."""
    if not digits:
        return ""
    parts = [digits[:4]]
    if len(digits) > 4:
        parts.append(digits[4:6])
    if len(digits) > 6:
        parts.append(digits[6:])
    return ".".join(parts)


def dotted_usitc(hts10: str) -> str:
    """The USITC style the product's own outputs use: `8517620020` → `8517.62.00.20`."""
    return f"{hts10[:4]}.{hts10[4:6]}.{hts10[6:8]}.{hts10[8:10]}"


def percent_text(fraction: Decimal) -> str:
    """A rate as the analysts write it: `0.075` → `7.5%`, `0` → `0%`."""
    return f"{plain(fraction * 100)}%"


def general_rate_fraction(text: str) -> Decimal:
    """The official `general` text of an ad valorem rate as a fraction: `Free` → 0, `2.6%` → 0.026."""
    if text == "Free":
        return Decimal(0)
    if not text.endswith("%"):
        raise ValueError(f"not an ad valorem rate: {text!r}")
    return Decimal(text[:-1]) / 100
