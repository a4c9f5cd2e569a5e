"""Faults the sample can carry on request (all off by default), and what the pipeline should do with them.

- malformed rows: a billing line whose quantity, billing date or currency is not valid, in SAP and
  in the day's CSV alike; the ETL rejects it (transactions dataset).
- unknown materials: an extra billing line for a material the master data does not know; customs
  quarantines it `unknown_material`.
- missing rates: a currency's rates dropped for the 7 days up to a billing date (ZEMM07 and
  Exchange_Rates.csv alike); lines that then have no rate are quarantined `no_exchange_rate`.
Faults only touch regular invoices that keep another processable goods line, so no other line
changes its outcome and the disagreement fixtures stay as predicted."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ior_tools.sample.exchange_rates import FOREIGN_CURRENCIES, RATE_WINDOW_DAYS, RateRow
from ior_tools.sample.invoices import UNKNOWN_MATERIAL_BASE, FaultAction


@dataclass(frozen=True)
class Malformation:
    """How a rule is broken: the SAP field and value, the CSV column and value."""

    rule: str
    sap_field: str
    sap_value: str
    csv_column: str
    csv_value: str


MALFORMATIONS: dict[str, Malformation] = {
    "invalid_quantity": Malformation("invalid_quantity", "FKIMG", "N/A", "Quantity", "N/A"),
    # SAP's initial date: an unset billing date, served by OData as null.
    "invalid_billing_date": Malformation(
        "invalid_billing_date", "FKDAT", "0000-00-00", "Billing Date", "00/00/0000"
    ),
    "unknown_currency": Malformation("unknown_currency", "WAERK", "QQQ", "Currency", "QQQ"),
}
MALFORMATION_ORDER = ("invalid_quantity", "invalid_billing_date", "unknown_currency")


class FaultError(ValueError):
    """A fault option that cannot be honoured."""


@dataclass(frozen=True)
class MissingRate:
    currency: str
    billing_date: date

    @classmethod
    def parse(cls, text: str) -> MissingRate:
        """`EUR@2026-03-25` → the EUR rates of 2026-03-18 … 2026-03-25 are dropped."""
        currency, separator, day = text.partition("@")
        if not separator:
            raise FaultError(f"expected CUR@YYYY-MM-DD, got {text!r}")
        currency = currency.strip().upper()
        if currency not in FOREIGN_CURRENCIES:
            raise FaultError(
                f"{currency!r} has no rates to drop; the sample's currencies are {FOREIGN_CURRENCIES}"
            )
        try:
            billing_date = date.fromisoformat(day.strip())
        except ValueError as error:
            raise FaultError(f"bad date in {text!r}: {error}") from error
        return cls(currency, billing_date)

    @property
    def dropped_window(self) -> tuple[date, date]:
        return self.billing_date - timedelta(days=RATE_WINDOW_DAYS), self.billing_date

    def drops(self, row: RateRow) -> bool:
        first, last = self.dropped_window
        return row.fcurr == self.currency and first <= row.gdatu <= last


@dataclass(frozen=True)
class Faults:
    malformed_rows: int = 0
    unknown_materials: int = 0
    missing_rates: tuple[MissingRate, ...] = ()

    def __post_init__(self) -> None:
        if self.malformed_rows < 0 or self.unknown_materials < 0:
            raise FaultError("fault counts cannot be negative")

    @property
    def needs_targets(self) -> bool:
        return bool(self.malformed_rows or self.unknown_materials)


def unknown_material(index: int) -> str:
    return str(UNKNOWN_MATERIAL_BASE + 1 + index)


def plan_targets(
    faults: Faults, seed: int, days: list[date], eligible: list[int]
) -> list[dict[int, FaultAction]]:
    """Per day, which eligible invoices (by ordinal) get which fault; faults spread round-robin over days."""
    malformed_by_day: list[list[str]] = [[] for _ in days]
    unknown_by_day: list[list[str]] = [[] for _ in days]
    for index in range(faults.malformed_rows):
        malformed_by_day[index % len(days)].append(MALFORMATION_ORDER[index % len(MALFORMATION_ORDER)])
    for index in range(faults.unknown_materials):
        unknown_by_day[index % len(days)].append(unknown_material(index))
    plans: list[dict[int, FaultAction]] = []
    for day, count, rules, materials in zip(days, eligible, malformed_by_day, unknown_by_day, strict=True):
        wanted = len(rules) + len(materials)
        if wanted > count:
            raise FaultError(
                f"{day}: {wanted} faults asked for, only {count} invoices can carry one; "
                "use more lines per day or fewer faults"
            )
        ordinals = random.Random(f"{seed}:faults:{day.isoformat()}").sample(range(count), wanted)
        plan = {
            ordinal: FaultAction("malformed", rule=rule)
            for ordinal, rule in zip(ordinals, rules, strict=False)
        }
        plan.update(
            {
                ordinal: FaultAction("unknown", material=material)
                for ordinal, material in zip(ordinals[len(rules) :], materials, strict=True)
            }
        )
        plans.append(plan)
    return plans
