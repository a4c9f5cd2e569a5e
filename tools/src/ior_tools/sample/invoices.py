"""Intercompany billing (ZSDR002), generated one business day at a time and streamed.

A day is a set of shipments arriving on it; each shipment (an entry: port + arrival + shipment)
carries several invoices, each invoice goods lines and often packaging items. Around the regular
traffic a day holds a few credits (G2/RE), possibly the sample's one cancellation (an F2 with FKSTO
X and its S1), and the disagreement fixtures. Everything a day holds is drawn from its own RNG, so a
day can be generated twice (once to count, once to write) with the same result."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Generic, TypeVar

from ior_tools.sample.business_days import previous_weekday
from ior_tools.sample.company import Company, PackagingMaterial, Product
from ior_tools.sample.exchange_rates import RateBook

VESSEL_PORTS = ("2704", "2709", "5301", "1001", "3001")  # LA, Long Beach, Houston, New York, Seattle
AIR_PORTS = ("2720", "4701", "5501", "3901")  # LAX, JFK, Dallas/Fort Worth, Chicago
TRUCK_PORT = "2304"  # Laredo
FIXTURE_PORT = "2720"

_SHIPPERS = (("CN", 30), ("TW", 25), ("MY", 12), ("VN", 12), ("TH", 8), ("MX", 13))
_CURRENCIES: dict[str, tuple[tuple[str, int], ...]] = {
    "CN": (("USD", 75), ("CNY", 25)),
    "TW": (("USD", 70), ("TWD", 30)),
    "MY": (("USD", 85), ("EUR", 15)),
    "VN": (("USD", 85), ("EUR", 15)),
    "TH": (("USD", 90), ("EUR", 10)),
    "MX": (("USD", 100),),
}
_GOODS_PER_INVOICE = ((1, 22), (2, 18), (3, 15), (4, 12), (5, 10), (6, 8), (8, 8), (10, 5), (12, 2))
_LINES_PER_CREDIT_DOC = 1
_CREDIT_EVERY_LINES = 150

GOODS, PACKAGING, UNKNOWN = "goods", "packaging", "unknown"
_T = TypeVar("_T")
UNKNOWN_MATERIAL_BASE = 10009000
UNKNOWN_MATERIAL_TEXT = "Engineering sample, unreleased"


@dataclass(frozen=True)
class Shipment:
    number: str
    port: str
    mode: str
    arrival: date
    entry_id: str = ""  # <port>-<arrival yyyymmdd>-<shipment>, filled in on creation

    def __post_init__(self) -> None:
        entry_id = f"{self.port}-{self.arrival.isoformat().replace('-', '')}-{self.number}"
        object.__setattr__(self, "entry_id", entry_id)


@dataclass(slots=True)
class Item:
    posnr: int
    material: str
    description: str
    quantity: int
    value_cents: int
    kind: str  # goods | packaging | unknown
    malformed: str | None = None  # the structural fault injected into the row, if any
    kilograms: Decimal | None = None  # invoiced by weight (KGM): the pieces' net kg; None: in pieces


@dataclass(slots=True)
class Invoice:
    vbeln: str
    fkart: str
    fkdat: date
    currency: str
    shipment: Shipment
    items: list[Item]
    role: str  # regular | credit | cancelled | cancellation | fixture
    fksto: str = ""
    sfakn: str = ""
    fixture: str = ""  # the disagreement kind a fixture invoice serves


@dataclass(frozen=True)
class FixtureItem:
    material: str
    quantity: int
    value_cents: int


@dataclass(frozen=True)
class FixtureShipment:
    """A dedicated air shipment carrying one disagreement's invoices (USD, chosen quantities)."""

    kind: str
    invoices: tuple[tuple[FixtureItem, ...], ...]


@dataclass(frozen=True)
class DayPlan:
    business_date: date
    day_index: int
    lines: int
    fixtures: tuple[FixtureShipment, ...] = ()
    with_cancellation: bool = False
    billing_lag_days: int = 0
    """Days every document of the day is billed earlier than usual (ocean freight is billed at
    shipment, weeks before it arrives; this stretches that to any lag)."""


@dataclass(frozen=True)
class FaultAction:
    """A change applied to one eligible regular invoice: `malformed` (with its rule) or `unknown`."""

    kind: str
    rule: str = ""
    material: str = ""


@dataclass
class _Counters:
    invoices: int = 0
    shipments: int = 0
    eligible: int = 0


def is_fault_eligible(invoice: Invoice) -> bool:
    """A regular F2 invoice with two goods lines or more: a fault in one line leaves the others processable,
    so the invoice's packaging is still apportioned and no other line changes its outcome."""
    return invoice.role == "regular" and sum(item.kind == GOODS for item in invoice.items) >= 2


class _Weighted(Generic[_T]):
    """Weighted draws from a fixed table with one `random()` call each."""

    def __init__(self, table: Sequence[tuple[_T, int]]) -> None:
        self.values = [value for value, _ in table]
        self.cumulative = list(accumulate(weight for _, weight in table))

    def draw(self, rng: random.Random) -> _T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _draw_row(material: Product | PackagingMaterial) -> tuple[str, str, int, int, int]:
    low, high = material.quantity_range
    return material.material, material.description, material.price_cents, low, high - low + 1


def _pick(rng: random.Random, options: Sequence[_T]) -> _T:
    # One random() per draw, cheaper than Random.choice on the hot path.
    return options[int(rng.random() * len(options))]


class DayGenerator:
    """The billing documents of one arrival date, in VBELN order."""

    def __init__(self, company: Company, rates: RateBook, plan: DayPlan, seed: int) -> None:
        self.company = company
        self.rates = rates
        self.plan = plan
        self.seed = seed
        self._shippers: _Weighted[str] = _Weighted(_SHIPPERS)
        self._currencies: dict[str, _Weighted[str]] = {
            country: _Weighted(table) for country, table in _CURRENCIES.items()
        }
        self._goods_count: _Weighted[int] = _Weighted(_GOODS_PER_INVOICE)
        traffic = [product for product in company.products if product.in_traffic]
        self._all_products = traffic
        self._products_by_origin = {
            origin: [product for product in traffic if product.origin == origin] for origin, _ in _SHIPPERS
        }
        self._packaging = [item for item in company.packaging if item.in_traffic]
        # Plain tuples for the hot path: material, description, USD cents, lowest quantity, quantity span.
        self._goods = [_draw_row(product) for product in traffic]
        self._goods_by_origin = {
            origin: [_draw_row(product) for product in products]
            for origin, products in self._products_by_origin.items()
        }
        self._wraps = [_draw_row(item) for item in self._packaging]
        self._price_cache: dict[tuple[str, str, date], int] = {}

    # -- numbering ------------------------------------------------------------------------------
    def _next_vbeln(self, counters: _Counters) -> str:
        counters.invoices += 1
        if counters.invoices >= 10_000_000:
            raise ValueError("more than 9,999,999 billing documents on one day")
        return f"9{self.plan.day_index:02d}{counters.invoices:07d}"

    def _next_shipment(self, counters: _Counters, port: str, mode: str) -> Shipment:
        counters.shipments += 1
        if counters.shipments >= 100_000:
            raise ValueError("more than 99,999 shipments on one day")
        number = f"SH{self.plan.business_date:%y%m%d}{counters.shipments:05d}"
        return Shipment(number=number, port=port, mode=mode, arrival=self.plan.business_date)

    # -- prices ---------------------------------------------------------------------------------
    def _unit_cents(self, material: str, usd_cents: int, currency: str, fkdat: date) -> int:
        if currency == "USD":
            return usd_cents
        key = (material, currency, fkdat)
        cached = self._price_cache.get(key)
        if cached is None:
            rate = self.rates.usd_per_unit(currency, fkdat)
            if rate is None:
                raise ValueError(f"no {currency} rate for {fkdat}: the rate table does not cover the sample")
            cached = int((Decimal(usd_cents) / rate).to_integral_value(rounding=ROUND_HALF_UP))
            self._price_cache[key] = cached
        return cached

    # -- documents ------------------------------------------------------------------------------
    def invoices(self, faults: Mapping[int, FaultAction] | None = None) -> Iterator[Invoice]:
        """Every billing document of the day; `faults` maps eligible-invoice ordinals to changes."""
        rng = random.Random(f"{self.seed}:day:{self.plan.business_date.isoformat()}")
        counters = _Counters()
        fixture_lines = sum(len(items) for fixture in self.plan.fixtures for items in fixture.invoices)
        cancellation_lines = 4 if self.plan.with_cancellation else 0
        remaining = self.plan.lines - fixture_lines - cancellation_lines
        credits_left = max(1, self.plan.lines // _CREDIT_EVERY_LINES)
        if remaining < credits_left + 1:
            raise ValueError(f"{self.plan.lines} lines per day leave no room for regular invoices")
        cancellation_due = self.plan.with_cancellation
        while remaining > 0:
            shipment, country, ship_date = self._regular_shipment(rng, counters)
            for _ in range(1 + int(rng.random() * 4)):
                room = remaining - credits_left * _LINES_PER_CREDIT_DOC
                if room <= 0:
                    break
                invoice = self._regular_invoice(rng, counters, shipment, country, ship_date, room)
                remaining -= len(invoice.items)
                if faults is not None and is_fault_eligible(invoice):
                    action = faults.get(counters.eligible)
                    counters.eligible += 1
                    if action is not None:
                        self._apply_fault(invoice, action, counters.eligible - 1)
                yield self._by_weight(invoice)
            if cancellation_due:
                cancellation_due = False
                yield from map(
                    self._by_weight, self._cancellation_pair(rng, counters, shipment, country, ship_date)
                )
            if credits_left and (rng.random() < 0.25 or remaining <= credits_left * _LINES_PER_CREDIT_DOC):
                credits_left -= 1
                remaining -= _LINES_PER_CREDIT_DOC
                yield self._by_weight(self._credit(rng, counters, shipment, country))
        for fixture in self.plan.fixtures:
            yield from map(self._by_weight, self._fixture_invoices(counters, fixture))

    def _by_weight(self, invoice: Invoice) -> Invoice:
        """The invoice with the lines of products sold by the kilogram invoiced in kilograms."""
        for item in invoice.items:
            product = self.company.products_by_material.get(item.material)
            if product is not None and product.sold_by_kg:
                item.kilograms = product.net_kg * item.quantity
        return invoice

    def count_eligible(self) -> int:
        """How many regular invoices could carry a fault (F2 with at least two goods lines)."""
        return sum(1 for invoice in self.invoices({}) if is_fault_eligible(invoice))

    def _regular_shipment(self, rng: random.Random, counters: _Counters) -> tuple[Shipment, str, date]:
        country = self._shippers.draw(rng)
        draw = rng.random()
        if country == "MX":
            port, mode, transit = (
                (TRUCK_PORT, "30", 1 + int(rng.random() * 3))
                if draw < 0.7
                else ("5501", "40", 1 + int(rng.random() * 2))
            )
        elif draw < 0.65:
            port, mode = _pick(rng, VESSEL_PORTS), ("11" if draw < 0.60 else "10")
            transit = 12 + int(rng.random() * 13)
        else:
            port, mode = _pick(rng, AIR_PORTS), ("40" if draw < 0.93 else "41")
            transit = 1 + int(rng.random() * 4)
        ship_date = previous_weekday(self.plan.business_date - timedelta(days=transit))
        return self._next_shipment(counters, port, mode), country, ship_date

    def _pick_product(self, rng: random.Random, country: str) -> Product:
        local = self._products_by_origin[country]
        return _pick(rng, local) if local and rng.random() < 0.8 else _pick(rng, self._all_products)

    def _regular_invoice(
        self,
        rng: random.Random,
        counters: _Counters,
        shipment: Shipment,
        country: str,
        ship_date: date,
        room: int,
    ) -> Invoice:
        currency = self._currencies[country].draw(rng)
        draw = rng.random
        fkdat = previous_weekday(ship_date - timedelta(days=int(draw() * 3) + self.plan.billing_lag_days))
        goods = min(self._goods_count.draw(rng), room)
        packaging = 1 + int(draw() * 3) if draw() < 0.6 else 0
        packaging = min(packaging, room - goods)
        local = self._goods_by_origin[country]
        everything, wraps = self._goods, self._wraps
        items: list[Item] = []
        for index in range(goods + packaging):
            if index < goods:
                # Mostly the shipper's own products, sometimes anything the group sells.
                pool = local if local and draw() < 0.8 else everything
                material, description, usd_cents, low, span = pool[int(draw() * len(pool))]
                kind = GOODS
            else:
                material, description, usd_cents, low, span = wraps[int(draw() * len(wraps))]
                kind = PACKAGING
            share = draw()
            quantity = low + int(span * share * share)  # most lines small, a few large
            unit = usd_cents if currency == "USD" else self._unit_cents(material, usd_cents, currency, fkdat)
            items.append(Item(10 * (index + 1), material, description, quantity, unit * quantity, kind))
        return Invoice(self._next_vbeln(counters), "F2", fkdat, currency, shipment, items, "regular")

    def _credit(self, rng: random.Random, counters: _Counters, shipment: Shipment, country: str) -> Invoice:
        product = self._pick_product(rng, country)
        lag = rng.randint(0, 3) + self.plan.billing_lag_days
        fkdat = previous_weekday(self.plan.business_date - timedelta(days=lag))
        quantity = rng.randint(1, 5)
        if rng.random() < 0.5:
            fkart, value = "RE", product.price_cents * quantity  # a return, credited in full
        else:
            fkart, value = "G2", max(1, product.price_cents * quantity // 10)  # a price adjustment
        item = Item(10, product.material, product.description, quantity, value, GOODS)
        return Invoice(self._next_vbeln(counters), fkart, fkdat, "USD", shipment, [item], "credit")

    def _cancellation_pair(
        self, rng: random.Random, counters: _Counters, shipment: Shipment, country: str, ship_date: date
    ) -> Iterator[Invoice]:
        fkdat = previous_weekday(ship_date - timedelta(days=1 + self.plan.billing_lag_days))
        items = []
        for index in range(2):
            product = self._pick_product(rng, country)
            low, high = product.quantity_range
            quantity = rng.randint(low, high)
            items.append(
                Item(
                    10 * (index + 1),
                    product.material,
                    product.description,
                    quantity,
                    product.price_cents * quantity,
                    GOODS,
                )
            )
        original = Invoice(
            self._next_vbeln(counters), "F2", fkdat, "USD", shipment, items, "cancelled", fksto="X"
        )
        copies = [
            Item(item.posnr, item.material, item.description, item.quantity, item.value_cents, GOODS)
            for item in items
        ]
        cancel_date = min(fkdat + timedelta(days=1), self.plan.business_date)
        yield original
        yield Invoice(
            self._next_vbeln(counters),
            "S1",
            cancel_date,
            "USD",
            shipment,
            copies,
            "cancellation",
            sfakn=original.vbeln,
        )

    def _fixture_invoices(self, counters: _Counters, fixture: FixtureShipment) -> Iterator[Invoice]:
        shipment = self._next_shipment(counters, FIXTURE_PORT, "40")
        fkdat = previous_weekday(self.plan.business_date - timedelta(days=2 + self.plan.billing_lag_days))
        for spec in fixture.invoices:
            items = []
            for index, entry in enumerate(spec):
                if entry.material in self.company.packaging_by_material:
                    kind, description = PACKAGING, self.company.packaging_material(entry.material).description
                else:
                    kind, description = GOODS, self.company.product(entry.material).description
                items.append(
                    Item(
                        10 * (index + 1), entry.material, description, entry.quantity, entry.value_cents, kind
                    )
                )
            yield Invoice(
                self._next_vbeln(counters),
                "F2",
                fkdat,
                "USD",
                shipment,
                items,
                "fixture",
                fixture=fixture.kind,
            )

    # -- faults ---------------------------------------------------------------------------------
    def _apply_fault(self, invoice: Invoice, action: FaultAction, ordinal: int) -> None:
        if action.kind == "unknown":
            rng = random.Random(f"{self.seed}:unknown:{self.plan.business_date.isoformat()}:{ordinal}")
            quantity = rng.randint(1, 20)
            unit = self._unit_cents(action.material, 4500, invoice.currency, invoice.fkdat)
            invoice.items.append(
                Item(
                    invoice.items[-1].posnr + 10,
                    action.material,
                    UNKNOWN_MATERIAL_TEXT,
                    quantity,
                    unit * quantity,
                    UNKNOWN,
                )
            )
        else:
            goods = [item for item in invoice.items if item.kind == GOODS]
            rng = random.Random(f"{self.seed}:malformed:{self.plan.business_date.isoformat()}:{ordinal}")
            rng.choice(goods).malformed = action.rule
