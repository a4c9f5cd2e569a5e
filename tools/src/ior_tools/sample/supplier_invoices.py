"""Supplier invoice items (ZEMM004): what the affiliates paid their suppliers, for the related-party check.

Each product has a few supplier invoice items in the weeks before the sample; its latest debit item
carries exactly the product's supplier unit cost, against which the intercompany price is checked.
The products priced below cost are far below it (70 %), the rest well above (at least 12 % markup),
so the check's verdict does not hang on the exchange rate used. A few credit items (SHKZG H) are
older than every debit item of their material, so they are never the latest cost."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ior_tools.sample.business_days import previous_weekday
from ior_tools.sample.company import Company


@dataclass(frozen=True)
class SupplierItem:
    belnr: str
    gjahr: str
    buzei: int
    ebeln: str
    material: str
    quantity: int
    amount_cents: int
    currency: str
    shkzg: str
    bldat: date


def supplier_items(company: Company, seed: int, first_business_date: date) -> list[SupplierItem]:
    rng = random.Random(f"{seed}:supplier-invoices")
    pending: list[tuple[date, str, str, int, int, str]] = []  # date, supplier, material, qty, cents, S/H
    for product in company.products:
        latest = previous_weekday(first_business_date - timedelta(days=rng.randint(3, 20)))
        quantity = rng.randint(50, 2000)
        pending.append(
            (latest, product.origin, product.material, quantity, product.cost_cents * quantity, "S")
        )
        for step in range(rng.randint(1, 2)):
            earlier = previous_weekday(latest - timedelta(days=14 * (step + 1) + rng.randint(0, 6)))
            drift = Decimal(1000 + rng.randint(-30, 30)) / 1000
            unit = int((product.cost_cents * drift).to_integral_value(rounding=ROUND_HALF_UP))
            quantity = rng.randint(50, 2000)
            pending.append((earlier, product.origin, product.material, quantity, unit * quantity, "S"))
        if rng.random() < 0.05:
            oldest = previous_weekday(latest - timedelta(days=60))
            quantity = rng.randint(5, 50)
            pending.append(
                (oldest, product.origin, product.material, quantity, product.cost_cents * quantity // 20, "H")
            )
    # One supplier invoice per supplier country and posting date; items numbered within it.
    pending.sort(key=lambda row: (row[0], row[1], row[2], row[5]))
    items: list[SupplierItem] = []
    documents: dict[tuple[date, str], tuple[str, str, list[int]]] = {}
    for bldat, supplier, material, quantity, cents, shkzg in pending:
        key = (bldat, supplier)
        if key not in documents:
            number = len(documents) + 1
            documents[key] = (f"{5100000000 + number}", f"{4500000000 + 10 * number}", [0])
        belnr, ebeln, counter = documents[key]
        counter[0] += 1
        items.append(
            SupplierItem(
                belnr, f"{bldat.year}", counter[0], ebeln, material, quantity, cents, "USD", shkzg, bldat
            )
        )
    return sorted(items, key=lambda item: (item.belnr, item.gjahr, item.buzei))
