"""DOMAIN §4 steps 2 and 3 for the day's processable goods lines: packaging value and weight
apportioned, exact kilograms, the value in USD cents and the metal content value, each converted
and rounded once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ior_customs.domain.currency import Rates, convert
from ior_customs.domain.invoices import InvoiceLines
from ior_customs.domain.money import IntArray, add, multiply
from ior_customs.domain.packaging import apportion
from ior_customs.domain.reference import MaterialFacts
from ior_customs.domain.screening import GOODS, PACKAGING, Screening
from ior_customs.domain.weights import Fractions


@dataclass(frozen=True)
class Goods:
    """One element per processable goods line. Quantities are scaled by 10**quantity_scale;
    weights are in units of 10**-weight_scale kg: `net` exactly, gross as `gross` plus the
    fractions owned by the line."""

    line: npt.NDArray[np.int64]
    """Index into the day's InvoiceLines."""
    material: npt.NDArray[np.int64]
    in_kg: npt.NDArray[np.bool_]
    quantity: IntArray
    quantity_scale: int
    net: IntArray
    gross: IntArray
    gross_fractions: list[Fractions]
    weight_scale: int
    usd_cents: IntArray
    metal_cents: IntArray

    def __len__(self) -> int:
        return len(self.line)


@dataclass(frozen=True)
class ValuedGoods:
    goods: Goods
    orphaned_packaging: npt.NDArray[np.int64]
    """Packaging items (indices into InvoiceLines) whose invoice has no processable goods line."""


def _take(rates: Rates, rows: npt.NDArray[np.int64]) -> Rates:
    return Rates(rates.found[rows], rates.scaled[rows], rates.scale)


def value_goods(
    lines: InvoiceLines, material: npt.NDArray[np.int64], facts: MaterialFacts, screening: Screening
) -> ValuedGoods:
    """The screened goods lines with packaging apportioned and their USD and metal values."""
    goods = np.flatnonzero(screening.disposition == GOODS)
    packing = np.flatnonzero(screening.disposition == PACKAGING)
    g_material = material[goods]
    quantity_scale = lines.quantity.scale
    weight_scale = max(1, quantity_scale + facts.weight_scale)
    # Quantity × weight per unit is at scale quantity_scale + facts.weight_scale; `spare` lifts it.
    spare = 10 ** (weight_scale - quantity_scale - facts.weight_scale)
    quantity = lines.quantity.values[goods]
    in_kg = screening.is_kilogram[goods]
    net_per_unit = facts.net_kg[g_material]
    gross_per_unit = facts.gross_kg[g_material]
    # A kilogram line's quantity is its net weight; its gross follows the product's gross ÷ net.
    kilograms = multiply(quantity, 10 ** (weight_scale - quantity_scale))
    net = np.where(in_kg, kilograms, multiply(multiply(quantity, net_per_unit), spare))
    gross = np.where(in_kg, 0, multiply(multiply(quantity, gross_per_unit), spare))
    kilogram_lines = np.flatnonzero(in_kg)
    kilogram_gross = Fractions(
        kilogram_lines, multiply(kilograms, gross_per_unit)[kilogram_lines], net_per_unit[kilogram_lines]
    )

    # Step 2, per invoice: document and currency.
    invoice_of = lines.document.codes * (len(lines.currency.labels) + 1) + lines.currency.codes
    shares = apportion(
        goods_invoice=invoice_of[goods],
        goods_value=lines.value_cents[goods],
        goods_item=lines.item[goods],
        goods_net=net,
        packaging_invoice=invoice_of[packing],
        packaging_value=lines.value_cents[packing],
        packaging_weight=multiply(
            multiply(facts.packaging_unit_kg[material[packing]], lines.quantity.values[packing]), spare
        ),
    )
    with_packaging = np.flatnonzero(np.asarray(shares.weight_numerator != 0, dtype=bool))
    packaging_weight = Fractions(
        with_packaging,
        shares.weight_numerator[with_packaging],
        shares.weight_denominator[with_packaging],
    )

    # Step 3: each amount converted once and rounded once, half up.
    usd = convert(add(lines.value_cents[goods], shares.value_cents), _take(screening.invoice_rates, goods))
    # Metal value per unit × pieces, where a kilogram line has quantity ÷ net-per-unit pieces.
    pieces_numerator = multiply(quantity, np.where(in_kg, 10**facts.weight_scale, 1))
    pieces_denominator = multiply(10**quantity_scale, np.where(in_kg, net_per_unit, 1))
    metal = convert(
        multiply(multiply(facts.metal_value[g_material], pieces_numerator), 100),
        _take(screening.metal_rates, goods),
        multiply(pieces_denominator, 10**facts.metal_value_scale),
    )
    return ValuedGoods(
        goods=Goods(
            line=goods,
            material=g_material,
            in_kg=in_kg,
            quantity=quantity,
            quantity_scale=quantity_scale,
            net=net,
            gross=gross,
            gross_fractions=[packaging_weight, kilogram_gross],
            weight_scale=weight_scale,
            usd_cents=usd,
            metal_cents=metal,
        ),
        orphaned_packaging=packing[shares.orphaned],
    )
