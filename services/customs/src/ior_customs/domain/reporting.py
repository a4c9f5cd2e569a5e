"""DOMAIN §4 step 6: what each consolidated line reports — whole-dollar value, quantity in the
unit of its HTS number, whole kilograms, and a duty per HTS number (rate × whole-dollar value, to
the cent; exemptions 0)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ior_customs.domain.entries import Consolidation
from ior_customs.domain.goods import Goods
from ior_customs.domain.money import IntArray, divide_half_up, group_sum, multiply, to_int64
from ior_customs.domain.parts import Parts
from ior_customs.domain.stacks import StackTable
from ior_customs.domain.weights import Fractions, round_kilograms_with_fractions, round_reported


@dataclass(frozen=True)
class Duties:
    line: npt.NDArray[np.int64]
    """The line of each stack position, lines in order and positions in stack order."""
    cents: npt.NDArray[np.int64]
    line_total: npt.NDArray[np.int64]


@dataclass(frozen=True)
class LineFigures:
    """One element per consolidated line, in line order."""

    value_cents: npt.NDArray[np.int64]
    dollars: npt.NDArray[np.int64]
    pieces: npt.NDArray[np.int64]
    net_kg: npt.NDArray[np.int64]
    gross_kg: npt.NDArray[np.int64]
    stack: npt.NDArray[np.int64]
    duties: Duties


def whole_dollars(cents: IntArray) -> npt.NDArray[np.int64]:
    return to_int64(divide_half_up(cents, 100))


def duties(dollars: npt.NDArray[np.int64], stack: npt.NDArray[np.int64], stacks: StackTable) -> Duties:
    """The duty of each HTS number of each line, given each line's whole dollars and stack."""
    starts, ends = stacks.offsets[stack], stacks.offsets[stack + 1]
    lengths = ends - starts
    line = np.repeat(np.arange(len(stack)), lengths)
    first_of_line = np.cumsum(lengths) - lengths
    position = starts[line] + np.arange(len(line)) - first_of_line[line]
    amount = divide_half_up(
        multiply(multiply(dollars[line], 100), stacks.flat_rate[position]), 10**stacks.rate_scale
    )
    cents = np.where(stacks.flat_exempt[position], 0, to_int64(amount))
    return Duties(line, cents, to_int64(group_sum(cents, line, len(stack))))


def report_lines(goods: Goods, parts: Parts, consolidation: Consolidation, stacks: StackTable) -> LineFigures:
    n = consolidation.n_lines
    line_of_part = consolidation.line_of_row
    # The first len(goods) parts carry each goods line's quantity and kilograms; metal parts none.
    line_of_goods = line_of_part[: len(goods)]
    value_cents = to_int64(group_sum(parts.value_cents, line_of_part, n))
    pieces = group_sum(np.where(goods.in_kg, 0, goods.quantity), line_of_goods, n)
    net = group_sum(goods.net, line_of_goods, n)
    gross = group_sum(goods.gross, line_of_goods, n)
    fractions = [Fractions(line_of_goods[f.line], f.numerator, f.denominator) for f in goods.gross_fractions]
    stack = stacks.stack_of_selection[parts.selection[consolidation.first_row]]
    dollars = whole_dollars(value_cents)
    return LineFigures(
        value_cents=value_cents,
        dollars=dollars,
        pieces=round_reported(pieces, 10**goods.quantity_scale),
        net_kg=round_reported(net, 10**goods.weight_scale),
        gross_kg=round_kilograms_with_fractions(gross, fractions, 10**goods.weight_scale),
        stack=stack,
        duties=duties(dollars, stack, stacks),
    )
