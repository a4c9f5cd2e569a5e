"""Exchange rates to USD (DOMAIN §4 step 3): the rate of the latest GDATU ≤ FKDAT, at most 7 days
old; USD needs none. Rates are scaled integers; a conversion is rounded once, half up."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.columns import Coded, code_text, parse_days, parse_decimals
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.grouping import group_by
from ior_customs.domain.money import IntArray, as_exact, divide_half_up, multiply

USD = "USD"
RATE_MAX_AGE_DAYS = 7


class InvalidExchangeRateError(CustomsDomainError):
    """An exchange rate is missing, not positive, or given twice for one currency and date."""


@dataclass(frozen=True)
class Rates:
    """One rate per element, scaled by 10**scale; `found` is false where none applies."""

    found: npt.NDArray[np.bool_]
    scaled: IntArray
    scale: int


class ExchangeRates:
    """The exchange-rates dataset by currency, dates in order."""

    def __init__(self, frame: pd.DataFrame) -> None:
        currency = code_text(frame["currency"])
        days = parse_days(frame["date"], "date")
        rate = parse_decimals(frame["usd_per_unit"], "usd_per_unit")
        if (currency.codes < 0).any() or (days < 0).any() or rate.missing.any() or (rate.values <= 0).any():
            raise InvalidExchangeRateError("every exchange rate needs a currency, a date and a rate > 0")
        self.scale = rate.scale
        self._table: dict[str, tuple[list[int], list[int]]] = {}
        order = np.lexsort((days, currency.codes))
        for i in order:
            label = str(currency.labels[currency.codes[i]])
            dates, rates = self._table.setdefault(label, ([], []))
            if dates and dates[-1] == days[i]:
                raise InvalidExchangeRateError(f"two {label} rates on day {days[i]}")
            dates.append(int(days[i]))
            rates.append(int(rate.values[i]))

    def rate_on(self, currency: str, day: int) -> int | None:
        """The scaled USD rate for `currency` on billing day `day`, or None."""
        if currency == USD:
            return int(10**self.scale)
        dates, rates = self._table.get(currency, ([], []))
        position = bisect_right(dates, day) - 1
        if position < 0 or day - dates[position] > RATE_MAX_AGE_DAYS:
            return None
        rate: int = rates[position]
        return rate

    def for_each(self, currency: Coded, days: npt.NDArray[np.int64]) -> Rates:
        """The rate of each (currency, billing day) pair; looked up once per distinct pair."""
        currency_codes = currency.codes
        if len(days) == 0:
            return Rates(np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64), self.scale)
        pairs = group_by((currency_codes + 1) * (int(days.max()) + 2) + (days + 1))
        found = np.zeros(len(pairs), dtype=bool)
        scaled = np.zeros(len(pairs), dtype=object)
        for i, row in enumerate(pairs.first_row):
            code = int(currency_codes[row])
            rate = None if code < 0 else self.rate_on(str(currency.labels[code]), int(days[row]))
            found[i] = rate is not None
            scaled[i] = rate or 0
        return Rates(found[pairs.of_row], as_exact(scaled)[pairs.of_row], self.scale)


def convert(amount: IntArray, rates: Rates, divisor: IntArray | int = 1) -> IntArray:
    """amount × rate ÷ divisor, rounded once, half up; amount and result in cents."""
    return divide_half_up(multiply(amount, rates.scaled), multiply(divisor, 10**rates.scale))
