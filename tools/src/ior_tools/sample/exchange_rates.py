"""Market exchange rates as SAP keeps them (ZEMM07) and as the analysts keep them (USD per unit).

EUR is quoted directly (USD per EUR), CNY directly per 10 CNY (FFACT 10), TWD indirectly (a
negative UKURS: TWD per USD). Every USD-per-unit value is an exact, terminating decimal, so the
analysts' Exchange_Rates.csv can hold it exactly and both paths convert identically. Rates are a
function of the date alone: the same day always has the same rate, whatever the seed."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ior_tools.sample.business_days import weekdays_between

FOREIGN_CURRENCIES = ("CNY", "EUR", "TWD")
RATE_WINDOW_DAYS = 7  # DOMAIN §4 step 3: FKDAT − GDATU ≤ 7 days
# Reciprocals of these TWD-per-USD quotes terminate (2^a·5^b), so USD per TWD stays exact.
_TWD_PER_USD = (Decimal("31.25"), Decimal("32"), Decimal("32.768"))


@dataclass(frozen=True)
class RateRow:
    """One ZEMM07 row."""

    kurst: str
    fcurr: str
    tcurr: str
    gdatu: date
    ukurs: Decimal
    ffact: Decimal
    tfact: Decimal

    @property
    def usd_per_unit(self) -> Decimal:
        """DOMAIN §2: UKURS × TFACT ÷ FFACT, or TFACT ÷ (|UKURS| × FFACT) for an indirect quotation."""
        if self.ukurs < 0:
            return self.tfact / (-self.ukurs * self.ffact)
        return self.ukurs * self.tfact / self.ffact

    @property
    def is_usd_translation(self) -> bool:
        """The rows the pipeline uses: type M into USD."""
        return self.kurst == "M" and self.tcurr == "USD"


def _drift(day: date, period: int, amplitude: int) -> int:
    # A triangle wave in whole basis points: smooth, integer, the same on every platform.
    phase = day.toordinal() % period
    half = period // 2
    return amplitude * (abs(phase - half) - half // 2) // half


def _rates_on(day: date) -> list[RateRow]:
    noise = random.Random(f"fx:{day.isoformat()}")
    eur_bp = 10850 + _drift(day, 46, 120) + noise.randint(-25, 25)
    cny_bp = 13842 + _drift(day, 38, 60) + noise.randint(-12, 12)
    twd = _TWD_PER_USD[(day.toordinal() // 5 + noise.randint(0, 1)) % len(_TWD_PER_USD)]
    eur = Decimal(eur_bp) / 10000
    one, ten = Decimal(1), Decimal(10)
    return [
        RateRow("B", "EUR", "USD", day, eur + Decimal("0.0040"), one, one),
        RateRow("M", "CNY", "USD", day, Decimal(cny_bp) / 10000, ten, one),
        RateRow("M", "EUR", "GBP", day, Decimal(8420 + noise.randint(-30, 30)) / 10000, one, one),
        RateRow("M", "EUR", "USD", day, eur, one, one),
        RateRow("M", "TWD", "USD", day, -twd, one, one),
    ]


def market_rates(first: date, last: date) -> list[RateRow]:
    """Every quoted weekday's rows from `first` to `last`, sorted by ZEMM07's key."""
    rows = [row for day in weekdays_between(first, last) for row in _rates_on(day)]
    return sorted(rows, key=lambda row: (row.kurst, row.fcurr, row.tcurr, row.gdatu))


class RateBook:
    """USD per unit by currency and date, with the DOMAIN §4 lookup: latest GDATU ≤ day, ≤ 7 days old."""

    def __init__(self, rows: Iterable[RateRow]) -> None:
        by_currency: dict[str, dict[date, Decimal]] = {}
        for row in rows:
            if row.is_usd_translation:
                by_currency.setdefault(row.fcurr, {})[row.gdatu] = row.usd_per_unit
        self._rates = by_currency
        self._dates = {currency: sorted(rates) for currency, rates in by_currency.items()}

    def rate_date(self, currency: str, day: date) -> date | None:
        """The GDATU the pipeline would use for `currency` on `day`, or None when none is recent enough."""
        dates = self._dates.get(currency, [])
        index = bisect_right(dates, day)
        if index == 0:
            return None
        found = dates[index - 1]
        return found if day - found <= timedelta(days=RATE_WINDOW_DAYS) else None

    def usd_per_unit(self, currency: str, day: date) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        found = self.rate_date(currency, day)
        return None if found is None else self._rates[currency][found]

    def has_rate(self, currency: str, day: date) -> bool:
        return currency == "USD" or self.rate_date(currency, day) is not None
