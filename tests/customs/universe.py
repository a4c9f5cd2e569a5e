"""Random business days over a catalogue-like universe, in the golden files' shape: credits,
cancellations (cancelled credits among them), packaging (on invoices whose goods are worth nothing
too), several currencies with missing and stale rates, metal content splits, kilogram lines under
every kind of HTS unit, master-data gaps and provisions that may tie. Each day stays small.

Products and provision rows come from fixed pools (built once from a seeded generator) so that a
day costs few draws; hypothesis picks which of them a day has and everything on its invoices."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

HTS = [
    {
        "hts10": "8517620020",
        "unit": "No.",
        "general_rate": "0",
        "description": "Switching and routing apparatus",
    },
    {
        "hts10": "8517620090",
        "unit": "No.",
        "general_rate": "0",
        "description": "Other data transmission apparatus",
    },
    {
        "hts10": "8504409520",
        "unit": "No.",
        "general_rate": "0",
        "description": "Power supplies, 50 W to 150 W",
    },
    {
        "hts10": "8544429090",
        "unit": "No.",
        "general_rate": "0.026",
        "description": "Conductors with connectors",
    },
    {
        "hts10": "7326908688",
        "unit": "kg",
        "general_rate": "0.029",
        "description": "Other articles of iron or steel",
    },
    {
        "hts10": "7326901000",
        "unit": "No. and kg",
        "general_rate": "0.035",
        "description": "Articles of tinplate",
    },
    {
        "hts10": "8473305100",
        "unit": "No.",
        "general_rate": "0.0125",
        "description": "Parts of machines of 8471",
    },
    {
        "hts10": "7308909590",
        "unit": "kg",
        "general_rate": "0",
        "description": "Other structures of iron or steel",
    },
    {
        "hts10": "7616995190",
        "unit": "doz.",
        "general_rate": "0.025",
        "description": "Other articles of aluminium",
    },
]
REPORTABLE = [h["hts10"] for h in HTS if h["unit"] != "doz."]
BY_WEIGHT = frozenset(h["hts10"] for h in HTS if h["unit"] == "kg")
ORIGINS = ["CN", "TW", "MX", "VN", "MY"]
PACKAGING = [
    {"material": "90000001", "description": "Corrugated carton", "unit_kg": "0.9"},
    {"material": "90000002", "description": "EPS foam insert", "unit_kg": "0.15"},
    {"material": "90000003", "description": "Wooden pallet", "unit_kg": "22"},
    {"material": "90000004", "description": "Strapping", "unit_kg": "0.333"},
]
CODES = [
    ("9903.88.03", "S301", "additional", "0.25", 10),
    ("9903.88.15", "S301", "additional", "0.075", 10),
    ("9903.88.69", "S301", "exemption", "0", 10),
    ("9903.01.24", "IEEPA_F", "additional", "0.10", 20),
    ("9903.01.25", "IEEPA_R", "additional", "0.10", 25),
    ("9903.01.32", "IEEPA_R", "exemption", "0", 25),
    ("9903.03.01", "S122", "additional", "0.10", 27),
    ("9903.03.06", "S122", "exemption", "0", 27),
    ("9903.81.91", "S232", "additional", "0.50", 40),
    ("9903.82.02", "S232", "additional", "0.50", 40),
    ("9903.82.03", "S232", "exemption", "0", 40),
    ("9903.99.01", "S201", "additional", "0.333", 40),
]
"""(code, programme, kind, rate, rank): what every row of a code shares."""
RATES = {
    "EUR": ["1.0412", "1.085", "1.1237"],
    "TWD": ["0.03125", "0.03088"],
    "JPY": ["0.0067", "0.00651"],
    "GBP": ["1.27"],
}
FEES = [
    {"fee": "MPF", "rate": "0.003464", "min": "32.71", "max": "634.62",
     "effective_from": date(2024, 10, 1), "effective_to": date(2025, 9, 30)},
    {"fee": "MPF", "rate": "0.003464", "min": "33.58", "max": "651.50",
     "effective_from": date(2025, 10, 1), "effective_to": date(2026, 9, 30)},
]  # fmt: skip
HMF = {"fee": "HMF", "rate": "0.00125", "modes": ["10", "11"], "effective_from": date(1990, 1, 1)}
PACKAGING_MATERIALS = frozenset(p["material"] for p in PACKAGING)
DOCUMENTS = ["9001", "90010002", "900", "90020001", "91", "90010010"]
QUANTITIES = [
    ("10", "PCE"), ("1", "PCE"), ("250", "PCE"), ("3", "PCE"), ("2.5", "PCE"), ("0.125", "PCE"),
    ("12.5", "KGM"), ("40", "KGM"), ("7", "PCE"), ("120", "PCE"), ("0.9", "KGM"), ("3.33", "KGM"),
]  # fmt: skip
KILOGRAMS = [q for q in QUANTITIES if q[1] == "KGM"]
VALUES = [None, "999.50", "2500.50", "10000.50", "0.50", "0.00", "0.01", "333.33"]
"""None draws a random amount."""
WINDOWS = [(-60, None), (-30, 30), (0, None), (-10, 0), (-40, -1), (1, None), (-5, 5)]
"""(effective_from, effective_to) in days from the business date: in force, starting or ending on
the day, ended the day before, starting the day after."""


def _row(code: str, part: str, prefixes: list[str], **conditions: Any) -> dict[str, Any]:
    """A provision row of one of the universe's codes; no origin or share condition unless given."""
    _, programme, kind, rate, rank = next(c for c in CODES if c[0] == code)
    row = {"code": code, "programme": programme, "kind": kind, "rate": rate, "rank": rank, "part": part,
           "hts_prefixes": prefixes, "origins": ["*"], "origins_excluded": [], "min_metal_share": None,
           "max_metal_share": None}  # fmt: skip
    return {**row, **conditions}


def _complete(product: dict[str, Any]) -> bool:
    return bool(
        product["hts10"] in REPORTABLE
        and product["origin"]
        and product["net_kg"] not in (None, "0")
        and product["gross_kg"]
    )


def _product_pool(seed: int = 20260224, size: int = 48) -> list[dict[str, Any]]:
    """Product variants, most of them complete, some with a gap step 1 quarantines."""
    rng = random.Random(seed)
    pool = []
    for _ in range(size):
        net = rng.choice(["2.4", "0.05", "1.8", "0.333", "12", "0.4"])
        product: dict[str, Any] = {
            "hts10": rng.choice(REPORTABLE),
            "origin": rng.choice(ORIGINS),
            "net_kg": net,
            "gross_kg": str(Decimal(net) + Decimal(rng.choice(["0.7", "0", "0.125", "3"]))),
            "metal_share": rng.choice(["0", "0.05", "0.10", "0.15", "0.35", "0.5", "1.0", None]),
            "metal_value_per_unit": rng.choice(["0", "0", "0.90", "4.20", "12.00", "0.333", "250"]),
            "metal_value_currency": rng.choice(["USD", "USD", "USD", "EUR", "TWD", "GBP"]),
        }
        gap = rng.randrange(24)
        if gap == 0:
            product["hts10"] = rng.choice(["7616995190", "8523510000", ""])
        elif gap == 1:
            product["origin"] = ""
        elif gap == 2:
            product["net_kg"] = rng.choice([None, "0"])
        elif gap == 3:
            product["gross_kg"] = None
        pool.append(product)
    # Complete products first: they are what the simplest examples pick.
    return sorted(pool, key=lambda p: not _complete(p))


def _provision_pool(seed: int = 20260406, size: int = 60) -> list[dict[str, Any]]:
    """Provision rows over the universe's numbers, with prefixes of a few lengths so that rows of
    one programme can tie."""
    rng = random.Random(seed)
    pool = []
    for _ in range(size):
        prefixes = [
            rng.choice(REPORTABLE)[: rng.choice([0, 4, 4, 6, 8, 10])] for _ in range(rng.choice([1, 1, 2]))
        ]
        pool.append(
            _row(
                rng.choice(CODES)[0],
                rng.choice(["any", "any", "non_metal", "metal", "metal"]),
                prefixes,
                origins=["*"] if rng.random() < 0.6 else rng.sample(ORIGINS, rng.randint(1, 3)),
                origins_excluded=rng.sample(ORIGINS, rng.choice([0, 0, 1, 2])),
                min_metal_share=rng.choice([None, None, "0.15", "0.5"]),
                max_metal_share=rng.choice([None, None, "0.15", "0.5"]),
            )
        )
    return pool


PRODUCT_POOL = _product_pool()
PROVISION_POOL = _provision_pool()
TIES = [
    _row("9903.88.03", "any", ["8517"]),
    _row("9903.88.15", "any", ["8517", "8504"], origins=["CN", "TW"]),
    _row("9903.03.06", "metal", ["85044095"]),
    _row("9903.03.06", "metal", ["85044095", "7326"], origins_excluded=["MX"], min_metal_share="0.15"),
    _row("9903.03.01", "non_metal", [""], origins_excluded=["MX"]),
    _row("9903.81.91", "metal", ["85044095", "73269086"]),
    _row("9903.01.24", "any", ["85"], origins=["VN", "MY"]),
    _row("9903.01.24", "non_metal", ["73", "85"], origins=["VN"]),
]
"""Rows that tie with each other or with pool rows, and metal-part rows that split lines."""


def _seldom(draw: st.DrawFn, odds: int) -> bool:
    """True about once in `odds` draws; false is the simplest example."""
    return bool(draw(st.integers(0, odds - 1)) == odds - 1)


def _indices(draw: st.DrawFn, pool: list[Any], min_size: int, max_size: int, unique: bool) -> list[int]:
    return list(
        draw(st.lists(st.sampled_from(range(len(pool))), min_size=min_size, max_size=max_size, unique=unique))
    )


@st.composite
def business_days(draw: st.DrawFn) -> dict[str, Any]:
    """One day's case: business date, reference sections and invoice lines."""
    day = date(2025, 6, 1) + timedelta(days=draw(st.integers(0, 600)))
    products = [
        {"material": str(10000001 + i), "description": f"Product {i}", **PRODUCT_POOL[p]}
        for i, p in enumerate(_indices(draw, PRODUCT_POOL, 3, 8, unique=False))
    ]
    rows = [PROVISION_POOL[p] for p in _indices(draw, PROVISION_POOL, 0, 8, unique=True)]
    rows += [TIES[p] for p in _indices(draw, TIES, 0, 5, unique=True)]
    provisions = []
    for row in rows:
        start, end = draw(st.sampled_from(WINDOWS))
        window = {
            "effective_from": day + timedelta(days=start),
            "effective_to": None if end is None else day + timedelta(days=end),
        }
        provisions.append({**row, **window})
    fx = [
        {
            "currency": currency,
            "date": day - timedelta(days=offset),
            "usd_per_unit": rates[offset % len(rates)],
        }
        for currency, rates in RATES.items()
        for offset in draw(
            st.lists(st.integers(0, 12), min_size=currency in ("EUR", "TWD"), max_size=3, unique=True)
        )
    ]
    return {
        "business_date": day,
        "hts": HTS,
        "products": products,
        "packaging": PACKAGING,
        "provisions": provisions,
        "fees": FEES + ([] if _seldom(draw, 8) else [HMF]),
        "fx": fx,
        "invoice_lines": draw(
            invoice_lines(
                day,
                [p["material"] for p in products],
                # Products under a kg-only HTS number, which a kilogram line can report.
                {p["material"] for p in products if p["hts10"] in BY_WEIGHT},
            )
        ),
    }


@st.composite
def invoice_lines(
    draw: st.DrawFn, day: date, products: list[str], weighed: set[str] | None = None
) -> list[dict[str, Any]]:
    """1–4 documents of 1–5 items; one shipment, currency and billing date per document."""
    documents = draw(st.lists(st.sampled_from(DOCUMENTS), min_size=1, max_size=4, unique=True))
    # One mode per shipment: an entry's lines agree on it.
    modes = {
        "SH1": draw(st.sampled_from(["11", "40", "10", "30"])),
        "SH2": draw(st.sampled_from(["40", "11"])),
    }
    materials = [*products, *products, *products, *(p["material"] for p in PACKAGING), "10009999"]
    lines = []
    for document in documents:
        kind = draw(st.sampled_from(["F2"] * 10 + ["G2", "RE", "S1", "S2"]))
        shipment = draw(st.sampled_from(["SH1", "SH2"]))
        # A credit is cancelled often enough that cancelled credits are common (DOMAIN §4 step 1).
        cancelled = draw(st.booleans()) if kind in ("G2", "RE") else _seldom(draw, 15)
        # Now and then an invoice's goods are worth nothing: its packaging is shared equally.
        worthless = kind == "F2" and _seldom(draw, 3)
        header = {
            "document": document,
            "type": kind,
            "cancels": draw(st.sampled_from([*documents, "99999"])) if kind in ("S1", "S2") else None,
            "cancelled": cancelled,
            "billing_date": day - timedelta(days=draw(st.integers(0, 6))),
            "currency": draw(st.sampled_from(["USD", "EUR", "USD", "TWD", "JPY", "GBP"])),
            "shipment": shipment,
            "port": "2704" if shipment == "SH1" else "2709",
            "mode": modes[shipment],
        }
        for n in range(draw(st.integers(1, 5))):
            material = draw(st.sampled_from(materials))
            quantity, unit = draw(st.sampled_from(QUANTITIES))
            if material in (weighed or ()) and draw(st.booleans()):
                quantity, unit = draw(st.sampled_from(KILOGRAMS))
            value = draw(st.sampled_from(VALUES))
            if value is None:
                cents = draw(st.integers(0, 3_000_000))
                value = f"{cents // 100}.{cents % 100:02d}"
            if worthless and material not in PACKAGING_MATERIALS:
                value = "0.00"
            lines.append(
                {
                    **header,
                    "item": 10 * (n + 1),
                    "material": material,
                    "quantity": quantity,
                    "unit": unit,
                    "value": value,
                    "arrival": day + timedelta(days=1) if _seldom(draw, 20) else day,
                }
            )
    return lines


def features(case: dict[str, Any], records: dict[str, Any]) -> set[str]:
    """The rulings a day exercises, read from its lines and the records made of them: a kilogram
    line that became (part of) a customs line, a credit dropped as cancelled, and an invoice whose
    processed goods are all worth nothing sharing its packaging."""
    lines = {(str(r["document"]), int(r["item"])): r for r in case["invoice_lines"]}
    sources = {
        (str(d), int(i)) for e in records["entries"] for line in e["lines"] for d, i in line["sources"]
    }
    found = set()
    if any(lines[key]["unit"] == "KGM" for key in sources):
        found.add("kilogram_line")
    if any(r["type"] in ("G2", "RE") for r in records["dropped"]):
        found.add("cancelled_credit")
    wrapped = {
        (str(r["document"]), r["currency"])
        for r in lines.values()
        if str(r["material"]) in PACKAGING_MATERIALS
    }
    for document, currency in wrapped:
        goods = [lines[key] for key in sources if key[0] == document and lines[key]["currency"] == currency]
        if goods and all(g["value"] == "0.00" for g in goods):
            found.add("zero_value_invoice")
    return found
