"""The analysts' cell formats → the canonical strings of the SAP extracts.

Each converter takes a cell's text and returns SAP's form, or raises `CellError` with the rule
broken and a reason. A blank cell is passed on blank: whether it may be blank is the dataset
rules' call, the same on both paths."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

# The English names the analysts use (legacy-formats.md), and their ISO codes.
COUNTRY_CODES: dict[str, str] = {
    "China": "CN",
    "Taiwan": "TW",
    "Malaysia": "MY",
    "Vietnam": "VN",
    "Thailand": "TH",
    "Mexico": "MX",
    "United States": "US",
}
ALL_COUNTRIES = "All"
MATNR_LENGTH = 18
VBELN_LENGTH = 10
POSNR_LENGTH = 6

_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_US_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_DOTTED_HTS = re.compile(r"([0-9]{4})\.([0-9]{2})\.([0-9]{4})")
_DOTTED_PREFIX = re.compile(r"[0-9]{1,4}|[0-9]{4}\.[0-9]{2}|[0-9]{4}\.[0-9]{2}\.[0-9]{2}(?:[0-9]{2})?")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%")
_MATERIAL = re.compile(r"[1-9][0-9]{0,17}")
_DOCUMENT = re.compile(r"[1-9][0-9]{0,9}")
_ITEM = re.compile(r"[1-9][0-9]{0,5}")
_INTEGER = re.compile(r"-?[0-9]+")


# No cell of any column may hold a NUL: pandas hashes text only up to one, so a cell holding one
# would be taken for another cell's text wherever a column is keyed, matched or read once per value.
NUL = "\x00"
NUL_RULE = "text_holds_nul"
NUL_MESSAGE = "holds a NUL character (U+0000), which no published text may carry"


class CellError(ValueError):
    """A cell is not in its column's pinned format."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(message)


def number(text: str) -> str:
    """`"12,345.67"` → `12345.67`; separators only in groups of three."""
    if not text:
        return ""
    if not _NUMBER.fullmatch(text):
        raise CellError(
            "invalid_number", f"{text!r} is not a number (use . for decimals, optionally , for thousands)"
        )
    return text.replace(",", "")


def us_date(text: str) -> str:
    """`03/16/2026` → `2026-03-16`."""
    if not text:
        return ""
    match = _US_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        month, day, year = (int(g) for g in match.groups())
        return date(year, month, day).isoformat()
    except ValueError:
        raise CellError("invalid_date", f"{text!r} is not a date written MM/DD/YYYY") from None


def country(text: str) -> str:
    if not text:
        return ""
    try:
        return COUNTRY_CODES[text]
    except KeyError:
        known = ", ".join(COUNTRY_CODES)
        raise CellError("unknown_country", f"{text!r} is not a known country ({known})") from None


def countries(text: str, *, allow_all: bool) -> str:
    """`China;Taiwan` → `CN;TW`; `All` → `*` where every country is allowed."""
    if allow_all and text == ALL_COUNTRIES:
        return "*"
    return ";".join(country(name.strip()) for name in text.split(";")) if text else ""


def dotted_hts(text: str) -> str:
    """`8517.62.0020` → `8517620020`."""
    if not text:
        return ""
    if not _DOTTED_HTS.fullmatch(text):
        raise CellError("malformed_hts", f"{text!r} is not an HTS number written 8517.62.0020")
    return text.replace(".", "")


def hts_prefixes(text: str) -> str:
    """`8517.62;8504.40.95` → `851762;85044095`; blank = every HTS number."""
    if not text:
        return ""
    prefixes = [p.strip() for p in text.split(";")]
    bad = [p for p in prefixes if not _DOTTED_PREFIX.fullmatch(p)]
    if bad:
        raise CellError(
            "invalid_prefixes", f"{bad[0]!r} is not an HTS prefix written 8517 or 8517.62 or 8517.62.00"
        )
    return ";".join(p.replace(".", "") for p in prefixes)


def percent(text: str, *, sign_required: bool = True) -> str:
    """`7.5%` → `7.5` (percent, as ZFMIOR003 writes it); `15` too where the column is in percent."""
    if not text:
        return ""
    match = _PERCENT.fullmatch(text)
    if match:
        return match.group(1)
    if not sign_required and re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return text
    raise CellError("invalid_percentage", f"{text!r} is not a percentage such as 7.5%")


def duty_rate(text: str) -> str:
    """`Free` or `2.6%`, as the company's HTS table writes it."""
    if not text or text == "Free" or _PERCENT.fullmatch(text):
        return text
    raise CellError("invalid_rate", f"{text!r} is not Free or a percentage such as 2.6%")


def material(text: str) -> str:
    """`10000004` → SAP's 18-digit `000000000010000004`."""
    return _pad(text, _MATERIAL, MATNR_LENGTH, "material number", "malformed_material")


def document(text: str) -> str:
    return _pad(text, _DOCUMENT, VBELN_LENGTH, "billing document number", "malformed_document")


def item(text: str) -> str:
    return _pad(text, _ITEM, POSNR_LENGTH, "item number", "malformed_item")


def _pad(text: str, pattern: re.Pattern[str], length: int, what: str, rule: str) -> str:
    if not text:
        return ""
    if not pattern.fullmatch(text):
        raise CellError(rule, f"{text!r} is not a {what} (digits, no leading zeros)")
    return text.zfill(length)


def integer(text: str) -> str:
    if not text:
        return ""
    if not _INTEGER.fullmatch(text):
        raise CellError("invalid_integer", f"{text!r} is not a whole number")
    return text


def one_of(mapping: dict[str, str], rule: str, *, required: bool = False) -> Callable[[str], str]:
    """A closed vocabulary: each allowed cell text and the SAP value it stands for. A blank cell is
    passed on blank unless `required` (when blank has no meaning of its own on the SAP side)."""
    allowed = ", ".join(repr(k) for k in mapping)

    def convert(text: str) -> str:
        if not text and not required:
            return ""
        try:
            return mapping[text]
        except KeyError:
            shown = repr(text) if text else "a blank cell"
            raise CellError(rule, f"{shown} is not one of {allowed}") from None

    return convert
