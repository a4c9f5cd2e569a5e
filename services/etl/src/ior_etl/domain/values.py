"""Cell values: SAP's canonical strings parsed exactly, and the canonical text a dataset publishes.

Vectorised checks use only RE2-compatible patterns (no look-around), so pandas keeps them in
Arrow's engine when it is there. Scalar parsers return None for anything they do not accept; the
rules, not the parsers, say why a value is refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

DECIMAL = r"-?[0-9]+(\.[0-9]+)?"
UNSIGNED_DECIMAL = r"[0-9]+(\.[0-9]+)?"
ZERO = r"0+(\.0+)?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
HTS10 = r"[0-9]{10}"
COUNTRY = r"[A-Z]{2}"

_DECIMAL_RE = re.compile(DECIMAL)
_ISO_DATE_RE = re.compile(ISO_DATE)
_PERCENT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)%")

# UN/ECE recommendation 20 codes for SAP's units of measure (internal and external forms).
UNIT_CODES: dict[str, str] = {"ST": "PCE", "PC": "PCE", "EA": "PCE", "PCE": "PCE", "KG": "KGM", "KGM": "KGM"}
BLANK = "(blank)"


# --- scalar parsers ----------------------------------------------------------------------------


def decimal_or_none(text: str) -> Decimal | None:
    """`"12.50"` → Decimal("12.50"); blank, exponents, spaces, thousands separators → None."""
    if not isinstance(text, str) or _DECIMAL_RE.fullmatch(text) is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # the pattern admits only valid literals; kept to stay total
        return None


def date_or_none(text: str) -> date | None:
    """`"2026-03-16"` → date; anything else (including impossible dates) → None."""
    if not isinstance(text, str) or _ISO_DATE_RE.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def ad_valorem_or_none(text: str) -> Decimal | None:
    """A rate text as the HTS writes it → a fraction: `Free` → 0, `2.6%` → 0.026; else None."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if stripped == "Free":
        return Decimal(0)
    match = _PERCENT_RE.fullmatch(stripped)
    return Decimal(match.group(1)) / 100 if match else None


def split_list(text: str) -> tuple[str, ...]:
    """`"CN;TW"` → ("CN", "TW"); blank → ()."""
    return tuple(part.strip() for part in text.split(";")) if text.strip() else ()


# --- canonical text ----------------------------------------------------------------------------


def decimal_text(value: Decimal) -> str:
    """The shortest exact text of a decimal, never with an exponent: 12.50 → `12.5`, 1E+2 → `100`."""
    if not value.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def round_places(value: Decimal, places: int) -> Decimal:
    """Half-up to `places` decimals, for quotients that do not terminate."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def display(value: object) -> str:
    """A value inside a reason a person reads."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return BLANK
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat())
    if isinstance(value, tuple):
        return ";".join(value) if value else BLANK
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if text != "" else BLANK


# --- once per distinct value ------------------------------------------------------------------

# Above this share of distinct values among a column's rows, hashing them costs more than it saves:
# on 1M Python strings one regex pass takes 0.33–0.36 s whatever the share, hashing and the pass over
# the distinct values 0.05 s at 1 %, 0.40 s at 30 %, 0.33 s at 50 % and 0.51 s at 100 %.
DISTINCT_SHARE = 0.5
# The rows whose distinct share decides, before the whole column is hashed (document numbers are
# nearly all distinct, and their first rows say so).
DISTINCT_PROBE = 10_000


def per_distinct(column: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`transform` (row by row: each result depends only on its row's value) applied to each distinct
    value of the column once, then spread back over the rows; a missing value is one distinct value
    like any other, so it comes out as `transform` makes it. A day's dates, currencies, units and
    materials repeat on every row: their string work is done per value, not per row."""
    rows = len(column)
    probe = column.iloc[:DISTINCT_PROBE]
    if len(probe) and probe.nunique(dropna=False) > DISTINCT_SHARE * len(probe):
        return transform(column)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    if len(uniques) > DISTINCT_SHARE * rows:
        return transform(column)
    distinct = transform(pd.Series(uniques, name=column.name))
    return pd.Series(distinct.array.take(codes), index=column.index, name=column.name)


# --- vectorised checks over string columns -----------------------------------------------------


def matches(column: pd.Series, pattern: str) -> pd.Series:
    """Rows whose whole text matches `pattern` (RE2 syntax)."""
    return per_distinct(column, lambda text: text.str.fullmatch(pattern).fillna(False).astype(bool))


def is_blank(column: pd.Series) -> pd.Series:
    return per_distinct(column, lambda text: text.fillna("").str.strip().eq(""))


def iso_dates(column: pd.Series) -> pd.Series:
    """ISO date strings → datetime64[s]; anything else (including 2026-02-30) → NaT."""
    return per_distinct(column, _iso_dates)


def _iso_dates(column: pd.Series) -> pd.Series:
    well_formed = column.str.fullmatch(ISO_DATE).fillna(False).astype(bool)
    parsed = pd.to_datetime(column.where(well_formed), format="%Y-%m-%d", errors="coerce")
    return parsed.astype("datetime64[s]")


def strip_leading_zeros(column: pd.Series) -> pd.Series:
    """ALPHA output for a column: all-digit values lose their leading zeros (all zeros → `0`)."""
    return per_distinct(column, _strip_leading_zeros)


def _strip_leading_zeros(column: pd.Series) -> pd.Series:
    digits = column.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    stripped = column.str.lstrip("0")
    stripped = stripped.where(stripped.ne(""), "0")
    return stripped.where(digits, column)


def canonical_decimals(column: pd.Series) -> pd.Series:
    """Well-formed decimal strings → their shortest exact text (`012.500` → `12.5`, `-0.0` → `0`)."""
    return per_distinct(column, _canonical_decimals)


def _canonical_decimals(column: pd.Series) -> pd.Series:
    text = column.str.replace(r"^(-?)0+([0-9])", r"\1\2", regex=True)
    has_point = text.str.contains(".", regex=False)
    trimmed = text.str.rstrip("0").str.rstrip(".")
    text = text.where(~has_point, trimmed)
    return text.mask(text.isin(["-0", ""]), "0")
