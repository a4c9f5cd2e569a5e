"""Finding text that holds a NUL (U+0000), which is refused where it is read, before anything
hashes it: pandas hashes text in object arrays only up to a NUL (`pd.factorize(["a\\x00b", "a"])`
finds one value), so such a cell would be converted, keyed and published as another row's text,
and the rows sharing that text would take its verdict."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import contains
from typing import cast

import numpy as np
from ior_contracts.legacy.cells import NUL


def nul_cells(values: Sequence[object] | np.ndarray) -> np.ndarray | None:
    """Which of `values` are text holding a NUL, or None when none is: one pass in C, about 0.03 s
    over a million values."""
    texts = cast("Sequence[str]", values)
    try:
        if not any(map(contains, texts, repeat(NUL))):
            return None
    except TypeError:  # some value is not text, and only text can hold a NUL
        texts = [value if isinstance(value, str) else "" for value in values]
        if not any(map(contains, texts, repeat(NUL))):
            return None
    return np.fromiter(map(contains, texts, repeat(NUL)), dtype=bool, count=len(texts))
