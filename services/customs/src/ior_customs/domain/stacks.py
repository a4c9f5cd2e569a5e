"""HTS stacks: the chapter 99 numbers of a part in reporting order, the chapter 1–97 number last.
A *selection* is the provisions (with their rows) chosen for one product side; selections that
report the same numbers share a stack, numbered in reporting order (number by number, as text)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.money import IntArray, as_exact, format_scaled
from ior_customs.domain.provisions import EXEMPTION, MAX_STACK, MaterialProvisions, Provision
from ior_customs.domain.reference import HtsTable, dotted


class StackTooLongError(CustomsDomainError):
    """A line would report more HTS numbers than CBP allows."""


@dataclass(frozen=True)
class StackTable:
    """Stacks numbered in their reporting order, and the stack of each selection."""

    numbers: list[tuple[str, ...]]
    """Per stack, its HTS numbers, dotted."""
    rate_texts: list[tuple[str, ...]]
    offsets: npt.NDArray[np.int64]
    """Stack s owns the flat positions offsets[s]:offsets[s + 1]."""
    flat_rate: IntArray
    flat_exempt: npt.NDArray[np.bool_]
    rate_scale: int
    stack_of_selection: npt.NDArray[np.int64]
    selection_rows: list[tuple[tuple[str, int], ...]]
    """Per selection, the (code, seq) of each provision row behind its chapter 99 numbers."""


@dataclass(frozen=True)
class MaterialStacks:
    """The stacks of the day's goods, and per material the selection of each side (−1 if none)."""

    table: StackTable
    non_metal_selection: npt.NDArray[np.int64]
    metal_selection: npt.NDArray[np.int64]


def stacks_for(
    materials: npt.NDArray[np.int64],
    provisions: MaterialProvisions,
    material_hts: npt.NDArray[np.int64],
    hts: HtsTable,
) -> MaterialStacks:
    """Stacks of the materials given: only what processable goods report, so a long stack of a
    quarantined product cannot stop the run."""
    builder = StackBuilder(hts)
    non_metal = np.full(len(material_hts), -1, dtype=np.int64)
    metal = np.full(len(material_hts), -1, dtype=np.int64)
    for m in materials:
        resolution = provisions.resolutions[m]
        if resolution is None:
            raise ValueError(f"material {m} has no provisions resolved")
        non_metal[m] = builder.select(int(material_hts[m]), resolution.non_metal_side)
        if resolution.has_metal_candidate:
            metal[m] = builder.select(int(material_hts[m]), resolution.metal_side)
    return MaterialStacks(builder.build(), non_metal, metal)


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class _Numbers:
    """The HTS numbers of one stack with their rates (scaled) and whether each is an exemption."""

    rates: list[int]
    exempt: list[bool]


class StackBuilder:
    """Collects the selections of the day's goods, then numbers their stacks in reporting order."""

    def __init__(self, hts: HtsTable) -> None:
        self._hts = hts
        self._selections: dict[tuple[int, tuple[Provision, ...]], int] = {}

    def select(self, hts_row: int, provisions: tuple[Provision, ...]) -> int:
        """The id of this selection, registering it when new."""
        key = (hts_row, provisions)
        if key not in self._selections:
            if len(provisions) + 1 > MAX_STACK:
                number = dotted(str(self._hts.hts10[hts_row]))
                raise StackTooLongError(f"{number} would report {len(provisions) + 1} HTS numbers")
            self._selections[key] = len(self._selections)
        return self._selections[key]

    def build(self) -> StackTable:
        selections = list(self._selections)  # in id order: dicts keep insertion order
        rate_scale = max(
            [self._hts.rate_scale]
            + [_decimal_places(p.rate) for _, provisions in selections for p in provisions]
        )
        stacks: dict[tuple[str, ...], _Numbers] = {}
        stack_of_selection: list[tuple[str, ...]] = []
        for hts_row, provisions in selections:
            numbers = (*(p.code for p in provisions), dotted(str(self._hts.hts10[hts_row])))
            if numbers not in stacks:
                # Rows of one code share its rate and kind, so the numbers determine the rates.
                rates = [int(p.rate.scaleb(rate_scale)) for p in provisions]
                rates.append(int(self._hts.rate[hts_row]) * 10 ** (rate_scale - self._hts.rate_scale))
                stacks[numbers] = _Numbers(rates, [p.kind == EXEMPTION for p in provisions] + [False])
            stack_of_selection.append(numbers)
        ordered = sorted(stacks)
        rank = {numbers: i for i, numbers in enumerate(ordered)}
        offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(numbers) for numbers in ordered])
        flat_rate = [r for numbers in ordered for r in stacks[numbers].rates]
        return StackTable(
            numbers=ordered,
            rate_texts=[tuple(format_scaled(r, rate_scale) for r in stacks[n].rates) for n in ordered],
            offsets=offsets,
            flat_rate=as_exact(np.array(flat_rate, dtype=object))
            if flat_rate
            else np.zeros(0, dtype=np.int64),
            flat_exempt=np.array([e for numbers in ordered for e in stacks[numbers].exempt], dtype=bool),
            rate_scale=rate_scale,
            stack_of_selection=np.array([rank[n] for n in stack_of_selection], dtype=np.int64),
            selection_rows=[tuple((p.code, p.seq) for p in provisions) for _, provisions in selections],
        )
