"""DOMAIN §3 step 2: a goods line with a metal candidate and 0 < M < V becomes a non-metal part
(V − M, with all the line's quantity and kilograms) and a metal part (M); any other line is one
whole part, all-metal when it has a metal candidate and M > 0 and M ≥ V."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ior_customs.domain.goods import Goods
from ior_customs.domain.money import IntArray, subtract

PARTS = ("whole", "non_metal", "metal")
WHOLE, NON_METAL_PART, METAL_PART = range(len(PARTS))


@dataclass(frozen=True)
class Parts:
    """One element per part. The first len(goods) parts are, in goods order, the part of each
    goods line that carries its quantity and kilograms (whole or non-metal); metal parts follow."""

    goods: npt.NDArray[np.int64]
    part: npt.NDArray[np.int64]
    value_cents: IntArray
    selection: npt.NDArray[np.int64]
    """The provisions selection (stack) of the part."""


def split_into_parts(
    goods: Goods,
    has_metal_candidate: npt.NDArray[np.bool_],
    non_metal_selection: npt.NDArray[np.int64],
    metal_selection: npt.NDArray[np.int64],
) -> Parts:
    """The three per-material arrays are indexed by material."""
    usd, metal = goods.usd_cents, goods.metal_cents
    has_metal = has_metal_candidate[goods.material]
    metal_positive = np.asarray(metal > 0, dtype=bool)
    split = has_metal & metal_positive & np.asarray(metal < usd, dtype=bool)
    all_metal = has_metal & metal_positive & ~split
    splits = np.flatnonzero(split)
    carrying_value = np.asarray(np.where(split, subtract(usd, metal), usd))
    return Parts(
        goods=np.concatenate([np.arange(len(goods)), splits]),
        part=np.concatenate([np.where(split, NON_METAL_PART, WHOLE), np.full(len(splits), METAL_PART)]),
        value_cents=np.concatenate([carrying_value, np.asarray(metal)[splits]]),
        selection=np.concatenate(
            [
                np.where(all_metal, metal_selection[goods.material], non_metal_selection[goods.material]),
                metal_selection[goods.material[splits]],
            ]
        ),
    )
