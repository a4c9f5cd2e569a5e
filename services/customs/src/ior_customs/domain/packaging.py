"""DOMAIN §4 step 2: packaging items are not lines. Their value goes to the invoice's processable
goods lines in proportion to goods value, in invoice-currency cents, exact by largest remainder
(ties: larger goods value, then lower item number); their weight goes to the same lines in
proportion to net weight, as exact fractions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ior_customs.domain.grouping import group_by
from ior_customs.domain.money import IntArray, floor_divmod, group_sum, multiply, subtract, to_int64


@dataclass(frozen=True)
class PackagingShares:
    value_cents: npt.NDArray[np.int64]
    """Per goods line, the packaging value it receives, in invoice-currency cents."""
    weight_numerator: IntArray
    weight_denominator: IntArray
    """Per goods line, the packaging weight it receives: numerator ÷ denominator weight units."""
    orphaned: npt.NDArray[np.bool_]
    """Per packaging item: its invoice has no processable goods line to carry it."""


def _proportional_weights(
    basis: IntArray, group: npt.NDArray[np.int64], n_groups: int
) -> tuple[IntArray, IntArray]:
    """Each member's weight and its group's total; members of a group whose basis sums to zero
    share equally, since no proportion exists."""
    total = group_sum(basis, group, n_groups)
    empty = np.asarray(total == 0, dtype=bool)
    weights = np.where(empty[group], 1, basis)
    counts = np.bincount(group, minlength=n_groups)
    return weights, np.where(empty, counts, total)


def apportion(
    goods_invoice: npt.NDArray[np.int64],
    goods_value: npt.NDArray[np.int64],
    goods_item: npt.NDArray[np.int64],
    goods_net: IntArray,
    packaging_invoice: npt.NDArray[np.int64],
    packaging_value: npt.NDArray[np.int64],
    packaging_weight: IntArray,
) -> PackagingShares:
    """`*_invoice` identify the invoice (document and currency) of each goods line and packaging item."""
    invoices = group_by(np.concatenate([goods_invoice, packaging_invoice]))
    n = len(invoices)
    goods_group, packaging_group = (
        invoices.of_row[: len(goods_invoice)],
        invoices.of_row[len(goods_invoice) :],
    )
    goods_count = np.bincount(goods_group, minlength=n)
    orphaned = goods_count[packaging_group] == 0

    packaging_cents = group_sum(packaging_value, packaging_group, n)
    value_weight, value_total = _proportional_weights(goods_value, goods_group, n)
    base, remainder = floor_divmod(
        multiply(packaging_cents[goods_group], value_weight), value_total[goods_group]
    )
    base = to_int64(base)
    left_over = to_int64(subtract(packaging_cents, group_sum(base, goods_group, n)))
    # Largest remainder: the left-over cents go one each to the largest remainders of the invoice.
    # Fewer cents are left over than lines with a remainder, so only those lines are ranked.
    remainder = to_int64(remainder)
    ranked = np.flatnonzero((left_over[goods_group] > 0) & (remainder > 0))
    order = ranked[
        np.lexsort((goods_item[ranked], -goods_value[ranked], -remainder[ranked], goods_group[ranked]))
    ]
    sorted_group = goods_group[order]
    position = np.arange(len(order)) - np.searchsorted(sorted_group, sorted_group, side="left")
    extra = np.zeros(len(goods_group), dtype=np.int64)
    extra[order] = position < left_over[sorted_group]

    packaging_kg = group_sum(packaging_weight, packaging_group, n)
    net_weight, net_total = _proportional_weights(goods_net, goods_group, n)
    return PackagingShares(
        value_cents=base + extra,
        weight_numerator=multiply(packaging_kg[goods_group], net_weight),
        weight_denominator=net_total[goods_group],
        orphaned=orphaned,
    )
