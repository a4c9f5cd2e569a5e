"""What the automated path should do with each billing line (DOMAIN §4 step 1), tallied per day.

By construction the sample's master data is complete, so without faults every F2 line is processed:
credits are held out, the cancellation is dropped, and nothing is quarantined. Faults add exactly
the rejections and quarantines recorded here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from ior_tools.sample.company import Company
from ior_tools.sample.exchange_rates import RATE_WINDOW_DAYS, RateBook
from ior_tools.sample.faults import MissingRate
from ior_tools.sample.invoices import PACKAGING, UNKNOWN, Invoice
from ior_tools.sample.manifest import DayOutcome, LineOutcome

CREDIT_TYPES = ("G2", "RE")
CANCELLATION_TYPES = ("S1", "S2")
RATE_WINDOW = timedelta(days=RATE_WINDOW_DAYS)


@dataclass
class DayTally:
    """Counts and outcomes of one business date, built invoice by invoice as the day is written."""

    company: Company
    rates: RateBook  # the rates as published, after any dropped by a fault
    business_date: date
    missing_rates: tuple[MissingRate, ...] = ()
    lines: int = 0
    invoices: int = 0
    entries: set[str] = field(default_factory=set)
    goods_lines: int = 0
    packaging_items: int = 0
    held_out_credit: int = 0
    dropped_cancelled: int = 0
    related_party_review: int = 0
    rejected: list[LineOutcome] = field(default_factory=list)
    quarantined: list[LineOutcome] = field(default_factory=list)
    by_currency: Counter[str] = field(default_factory=Counter)
    by_mode: Counter[str] = field(default_factory=Counter)
    by_missing_rate: dict[MissingRate, list[LineOutcome]] = field(default_factory=dict)
    _rate_known: dict[tuple[str, date], bool] = field(init=False, default_factory=dict)
    _below_cost: frozenset[str] = field(init=False, default=frozenset())
    _metal_currency: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._below_cost = frozenset(
            product.material for product in self.company.products if product.below_cost
        )
        # Materials whose declared metal value needs a rate of its own (DOMAIN §4 step 1).
        self._metal_currency = {
            product.material: product.metal_currency
            for product in self.company.products
            if product.metal_value and product.metal_currency != "USD"
        }

    def add(self, invoice: Invoice) -> None:
        count = len(invoice.items)
        self.lines += count
        self.invoices += 1
        self.entries.add(invoice.shipment.entry_id)
        self.by_currency[invoice.currency] += count
        self.by_mode[invoice.shipment.mode] += count
        if invoice.fkart in CREDIT_TYPES:
            self.held_out_credit += count
        elif invoice.fkart in CANCELLATION_TYPES or invoice.fksto:
            self.dropped_cancelled += count
        else:
            self._add_invoice(invoice)

    def _outcome(self, invoice: Invoice, posnr: int, reason: str) -> LineOutcome:
        return LineOutcome(
            business_date=self.business_date, document=invoice.vbeln, item=posnr, reason=reason
        )

    def _has_rate(self, currency: str, day: date) -> bool:
        known = self._rate_known.get((currency, day))
        if known is None:
            known = self._rate_known[(currency, day)] = self.rates.has_rate(currency, day)
        return known

    def _missing_currency(self, invoice_rate: bool, invoice: Invoice, material: str) -> str | None:
        if not invoice_rate:
            return invoice.currency
        metal_currency = self._metal_currency.get(material)
        if metal_currency is not None and not self._has_rate(metal_currency, invoice.fkdat):
            return metal_currency
        return None

    def _blame(self, currency: str, billing_date: date, outcome: LineOutcome) -> None:
        for missing in self.missing_rates:
            # No rate in [billing_date − 7, billing_date]: blame every drop overlapping that window.
            first, last = missing.dropped_window
            if missing.currency == currency and first <= billing_date <= last + RATE_WINDOW:
                self.by_missing_rate.setdefault(missing, []).append(outcome)

    def _add_invoice(self, invoice: Invoice) -> None:
        processable = 0
        missing_currencies: set[str] = set()
        packaging = []
        invoice_rate = self._has_rate(invoice.currency, invoice.fkdat)
        for item in invoice.items:
            if item.kind == PACKAGING:
                self.packaging_items += 1
                packaging.append(item)
                continue
            self.goods_lines += 1
            if item.malformed:
                self.rejected.append(self._outcome(invoice, item.posnr, item.malformed))
                continue
            if item.kind == UNKNOWN:
                self.quarantined.append(self._outcome(invoice, item.posnr, "unknown_material"))
                continue
            if item.material in self._below_cost:
                self.related_party_review += 1
            currency = self._missing_currency(invoice_rate, invoice, item.material)
            if currency is not None:
                outcome = self._outcome(invoice, item.posnr, "no_exchange_rate")
                self.quarantined.append(outcome)
                self._blame(currency, invoice.fkdat, outcome)
                missing_currencies.add(currency)
                continue
            processable += 1
        if packaging and not processable:
            for item in packaging:
                outcome = self._outcome(invoice, item.posnr, "packaging_without_goods")
                self.quarantined.append(outcome)
                for currency in sorted(missing_currencies):
                    self._blame(currency, invoice.fkdat, outcome)

    def outcome(self) -> DayOutcome:
        return DayOutcome(
            lines=self.lines,
            invoices=self.invoices,
            entries=len(self.entries),
            goods_lines=self.goods_lines,
            packaging_items=self.packaging_items,
            held_out_credit=self.held_out_credit,
            dropped_cancelled=self.dropped_cancelled,
            rejected_by_etl=sorted(self.rejected, key=lambda line: (line.document, line.item)),
            quarantined=sorted(self.quarantined, key=lambda line: (line.document, line.item)),
            related_party_review=self.related_party_review,
            by_currency=dict(sorted(self.by_currency.items())),
            by_mode=dict(sorted(self.by_mode.items())),
        )
