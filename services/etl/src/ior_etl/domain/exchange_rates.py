"""exchange-rates: ZEMM07 rates of type M into USD, as USD for one unit of each currency.

USD per unit = UKURS × TFACT ÷ FFACT; a negative UKURS is an indirect quotation, TFACT ÷ (|UKURS| ×
FFACT). Quotients are exact when they terminate and rounded half-up to 12 places when they do not.
Rows of another rate type or target currency are not this dataset's and are left out, not rejected."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import EXCHANGE_RATES
from ior_contracts.vocabulary import Mode

from ior_etl.domain.currencies import is_currency
from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import STANDARD_RATE_TYPE, ZEMM07
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import ROW, Rule, RuleSet, matching, unique_key, validate_for
from ior_etl.domain.values import DECIMAL, decimal_or_none, iso_dates, matches, round_places

TARGET_CURRENCY = "USD"
USD_PER_UNIT_PLACES = 12


def usd_per_unit(rate: Decimal, from_factor: Decimal, to_factor: Decimal) -> Decimal:
    """USD for one unit of the currency, from SAP's rate and factors."""
    value = rate * to_factor / from_factor if rate >= 0 else to_factor / (-rate * from_factor)
    rounded = round_places(value, USD_PER_UNIT_PLACES)
    return value if value == rounded else rounded


def _usd(rate: str, from_factor: str, to_factor: str) -> Decimal | None:
    """None where the text does not allow it (other rules say why); 0 for a zero rate."""
    r, f, t = decimal_or_none(rate), decimal_or_none(from_factor), decimal_or_none(to_factor)
    if r is None or f is None or t is None or f <= 0 or t <= 0:
        return None
    return Decimal(0) if r == 0 else usd_per_unit(r, f, t)


def _factor_ok(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda f: matches(f[column], r"[0-9]+(\.[0-9]+)?") & ~matches(f[column], r"0+(\.0+)?")


RULES = RuleSet.of_table(
    EXCHANGE_RATES.name,
    ZEMM07,
    "exchange rate {from_currency} {valid_from}",
    Rule(
        "unknown_currency",
        "currency {from_currency} is not an ISO 4217 code",
        lambda f: is_currency(f["from_currency"]),
        "from_currency",
    ),
    Rule("invalid_date", "date {valid_from} is not a date", lambda f: f["date"].notna(), "valid_from"),
    matching("malformed_rate", "rate", DECIMAL, "rate {rate} is not a number"),
    Rule(
        "invalid_from_factor",
        "from-currency factor {from_factor} is not a number above zero",
        _factor_ok("from_factor"),
        "from_factor",
    ),
    Rule(
        "invalid_to_factor",
        "to-currency factor {to_factor} is not a number above zero",
        _factor_ok("to_factor"),
        "to_factor",
    ),
    Rule(
        "non_positive_rate",
        "USD per unit {usd_per_unit} is not above zero",
        lambda f: pd.Series([v is None or v > 0 for v in f["usd_per_unit"]], index=f.index),
        "rate",
    ),
    unique_key(["from_currency", "valid_from"], f"appears more than once in {ZEMM07.name}"),
)


def _candidates(table: pd.DataFrame) -> pd.DataFrame:
    frame = table[[*ZEMM07.fields, ROW]].rename(columns=ZEMM07.to_neutral)
    frame = frame[frame["rate_type"].eq(STANDARD_RATE_TYPE) & frame["to_currency"].eq(TARGET_CURRENCY)]
    frame = frame.reset_index(drop=True)
    usd = [
        _usd(r, f, t) for r, f, t in zip(frame["rate"], frame["from_factor"], frame["to_factor"], strict=True)
    ]
    return frame.assign(
        date=iso_dates(frame["valid_from"]), usd_per_unit=pd.Series(usd, index=frame.index, dtype=object)
    )


def build_exchange_rates(
    table: pd.DataFrame,
    *,
    mode: Mode = "automated",
    policy: HoldPolicy | None = None,
    earlier: pd.DataFrame | None = None,
) -> DatasetBuild:
    """ZEMM07 (or `Exchange_Rates.csv` read into its form) → exchange-rates."""
    result = validate_for(_candidates(table), RULES, policy, earlier=earlier)
    valid = result.valid
    frame = typed_frame(
        {"currency": valid["from_currency"], "date": valid["date"], "usd_per_unit": valid["usd_per_unit"]},
        EXCHANGE_RATES,
    )
    return DatasetBuild(RULES.dataset, mode, frame, result, sources=SourceRows.of(RULES.source, valid))
