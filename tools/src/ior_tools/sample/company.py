"""The sample company's master data: products, packaging materials, HTS lines (`data/*.yaml`).

Master data does not depend on the seed or the scale: the company is the same company whatever is
generated for it; only transactions grow. The first ten products and three packaging materials are
those of the golden catalogue (`reference/golden/catalogue.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from ior_tools.sample.hts_lines import HtsLine, hts_lines

POUND_KG = Decimal("0.45359237")
_TO_KG = {"KG": Decimal(1), "G": Decimal("0.001"), "LB": POUND_KG}

# Markups of intercompany prices over the supplier's unit cost; products priced below cost are the
# ones the related-party review must flag.
_BELOW_COST_FACTOR = Decimal("0.70")


def to_kg(value: Decimal, unit: str) -> Decimal:
    return value * _TO_KG[unit]


@dataclass(frozen=True)
class Product:
    """A sellable product (MTART FERT or HAWA) with its weights and metal content."""

    material: str
    description: str
    mtart: str
    hts10: str
    origin: str
    weight_unit: str  # KG, G or LB; every weight of the product is in this unit
    net: Decimal
    gross: Decimal
    steel: Decimal
    aluminum: Decimal
    copper: Decimal
    metal_value: Decimal  # declared metal content value per unit
    metal_currency: str
    price_cents: int  # intercompany unit price in USD
    cost_cents: int  # latest supplier unit cost in USD
    quantity_range: tuple[int, int]
    in_traffic: bool  # False: reserved for the disagreement fixtures only

    @property
    def net_kg(self) -> Decimal:
        return to_kg(self.net, self.weight_unit)

    @property
    def sold_by_kg(self) -> bool:
        return self.material in SOLD_BY_KILOGRAM

    @property
    def gross_kg(self) -> Decimal:
        return to_kg(self.gross, self.weight_unit)

    @property
    def metal(self) -> Decimal:
        return self.steel + self.aluminum + self.copper

    @property
    def metal_share(self) -> Decimal:
        return self.metal / self.net

    @property
    def below_cost(self) -> bool:
        return self.price_cents < self.cost_cents


@dataclass(frozen=True)
class PackagingMaterial:
    """A packaging material (MTART VERP): its value is apportioned, it is never a customs line."""

    material: str
    description: str
    weight_unit: str
    weight: Decimal
    price_cents: int
    quantity_range: tuple[int, int]
    in_traffic: bool

    @property
    def unit_kg(self) -> Decimal:
        return to_kg(self.weight, self.weight_unit)


@dataclass(frozen=True)
class Company:
    products: tuple[Product, ...]
    packaging: tuple[PackagingMaterial, ...]
    hts: tuple[HtsLine, ...]

    @cached_property
    def products_by_material(self) -> dict[str, Product]:
        return {product.material: product for product in self.products}

    @cached_property
    def packaging_by_material(self) -> dict[str, PackagingMaterial]:
        return {item.material: item for item in self.packaging}

    def product(self, material: str) -> Product:
        return self.products_by_material[material]

    def packaging_material(self, material: str) -> PackagingMaterial:
        return self.packaging_by_material[material]


# Reserved for the disagreement fixtures (see disagreements.py): they never appear in regular traffic.
FIXTURE_ONLY_PRODUCTS = frozenset({"10000024", "10000070"})
FIXTURE_ONLY_PACKAGING = frozenset({"90000059"})  # the heat-treated wooden crate
BELOW_COST_PRODUCTS = frozenset({"10000043", "10000055"})
# Steel mounting hardware under a kg-only HTS number, weighed in KG: invoiced by the kilogram (VRKME
# KGM), so the net weight is on the invoice (DOMAIN §4 step 6) and every reported figure is what the
# same pieces would report.
SOLD_BY_KILOGRAM = frozenset({"10000008", "10000066"})
_PACKAGING_BASE = 90000000


def _range(text: str) -> tuple[int, int]:
    low, high = text.split("-")
    return int(low), int(high)


def _cents(text: str) -> int:
    return int((Decimal(text) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _cost_cents(material: str, price_cents: int) -> int:
    if material in BELOW_COST_PRODUCTS:
        factor = _BELOW_COST_FACTOR
    else:
        factor = Decimal("1.12") + Decimal("0.02") * (int(material) % 7)
    return int((Decimal(price_cents) / factor).to_integral_value(rounding=ROUND_HALF_UP))


def _product(row: dict[str, str]) -> Product:
    price_cents = _cents(row["price"])
    return Product(
        material=row["material"],
        description=row["description"],
        mtart=row["mtart"],
        hts10=row["hts10"],
        origin=row["origin"],
        weight_unit=row["unit"],
        net=Decimal(row["net"]),
        gross=Decimal(row["gross"]),
        steel=Decimal(row["steel"]),
        aluminum=Decimal(row["aluminum"]),
        copper=Decimal(row["copper"]),
        metal_value=Decimal(row["metal_value"]),
        metal_currency=row["metal_currency"],
        price_cents=price_cents,
        cost_cents=_cost_cents(row["material"], price_cents),
        quantity_range=_range(row["quantity"]),
        in_traffic=row["material"] not in FIXTURE_ONLY_PRODUCTS,
    )


def _carton(kind: str, size: list[int], board_kg_m2: str, base: str, per_m2: str) -> dict[str, str]:
    length, width, height = size
    area_m2 = Decimal(2 * (length * width + length * height + width * height)) / 10000
    weight = (area_m2 * Decimal(board_kg_m2)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    price = (Decimal(base) + area_m2 * Decimal(per_m2)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "description": f"{kind} {length}x{width}x{height}",
        "unit": "KG",
        "weight": f"{weight}",
        "price": f"{price}",
        "quantity": "1-60" if kind.startswith("Corrugated") else "1-30",
    }


def _packaging_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    cartons = data["cartons"]
    return [
        *data["packaging"],
        # Single-wall board weighs about 0.5 kg per square metre, double-wall about 0.9.
        *(_carton("Corrugated carton", size, "0.5", "0.80", "1.6") for size in cartons["single_wall"]),
        *(_carton("Double-wall carton", size, "0.9", "1.50", "2.4") for size in cartons["double_wall"]),
        *data["other_packaging"],
    ]


def _packaging(number: int, row: dict[str, str]) -> PackagingMaterial:
    material = f"{_PACKAGING_BASE + number}"
    return PackagingMaterial(
        material=material,
        description=row["description"],
        weight_unit=row["unit"],
        weight=Decimal(row["weight"]),
        price_cents=_cents(row["price"]),
        quantity_range=_range(row["quantity"]),
        in_traffic=material not in FIXTURE_ONLY_PACKAGING,
    )


@cache
def sample_company() -> Company:
    text = resources.files("ior_tools.sample").joinpath("data/company.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Company(
        products=tuple(_product(row) for row in data["products"]),
        packaging=tuple(_packaging(number, row) for number, row in enumerate(_packaging_rows(data), start=1)),
        hts=hts_lines(),
    )
