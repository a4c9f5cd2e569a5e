"""Chapter 99 tariff provisions (DOMAIN §3): which provisions apply to a product on the entry date,
for which parts, and in what order they are reported. Resolved once per distinct (HTS10, origin,
metal share) of the day's products, never per invoice line."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd
from ior_contracts.datasets import PROVISION_CODE_TERMS

from ior_customs.domain.columns import as_day, as_list
from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.reference import HtsTable, MaterialFacts

ANY, NON_METAL, METAL = "any", "non_metal", "metal"
ADDITIONAL, EXEMPTION = "additional", "exemption"
NON_METAL_SIDE = frozenset({ANY, NON_METAL})
"""Provision parts that apply to a non-metal part and to a whole part that is not all-metal."""
METAL_SIDE = frozenset({ANY, METAL})
"""Provision parts that apply to a metal part and to an all-metal whole part."""
MAX_STACK = 32
_COLUMNS = (
    "code", "seq", "programme", "kind", "rate", "part", "hts_prefixes", "origins", "origins_excluded",
    "min_metal_share", "max_metal_share", "effective_from", "effective_to", "rank",
)  # fmt: skip


class InvalidProvisionError(CustomsDomainError):
    """A provision row is malformed, or rows of one code disagree on what the code is."""


@dataclass(frozen=True)
class Provision:
    code: str
    seq: int
    programme: str
    kind: str
    rate: Decimal
    part: str
    prefixes: tuple[str, ...]
    origins: frozenset[str]
    origins_excluded: frozenset[str]
    min_metal_share: Decimal | None
    max_metal_share: Decimal | None
    effective_from: date
    effective_to: date | None
    rank: int

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def covers(self, origin: str, metal_share: Decimal) -> bool:
        if origin in self.origins_excluded or not ("*" in self.origins or origin in self.origins):
            return False
        if self.min_metal_share is not None and metal_share < self.min_metal_share:
            return False
        return self.max_metal_share is None or metal_share < self.max_metal_share

    @property
    def order(self) -> tuple[int, str]:
        return (self.rank, self.code)


def _decimal(value: object, column: str) -> Decimal | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise InvalidProvisionError(f"{column}: {value!r} is not a decimal") from None


def _whole(value: object, column: str, code: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise InvalidProvisionError(
            f"tariff-provisions: provision {code} has {column} {value!r}, not a whole number"
        ) from None


def _optional_day(value: object, column: str) -> date | None:
    if value is None or value is pd.NaT or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return date.fromordinal(as_day(value, column))


def read_provisions(frame: pd.DataFrame) -> tuple[Provision, ...]:
    """Every row of the tariff-provisions dataset; the rows of one code must agree on its
    programme, kind, rate and rank (a code is one HTS number with one rate)."""
    provisions = []
    columns = [frame[c].tolist() for c in _COLUMNS]
    for cells in zip(*columns, strict=True):
        row = dict(zip(_COLUMNS, cells, strict=True))
        rate = _decimal(row["rate"], "rate")
        start = _optional_day(row["effective_from"], "effective_from")
        if rate is None or start is None or row["kind"] not in (ADDITIONAL, EXEMPTION):
            raise InvalidProvisionError(
                f"tariff-provisions: provision {row['code']} needs a rate, a kind and effective_from"
            )
        if row["part"] not in (ANY, NON_METAL, METAL):
            raise InvalidProvisionError(
                f"tariff-provisions: provision {row['code']} has an unknown part {row['part']!r}"
            )
        provisions.append(
            Provision(
                code=str(row["code"]),
                seq=_whole(row["seq"], "seq", row["code"]),
                programme=str(row["programme"]),
                kind=str(row["kind"]),
                rate=rate,
                part=str(row["part"]),
                prefixes=as_list(row["hts_prefixes"]),
                origins=frozenset(o for o in as_list(row["origins"]) if o),
                origins_excluded=frozenset(o for o in as_list(row["origins_excluded"]) if o),
                min_metal_share=_decimal(row["min_metal_share"], "min_metal_share"),
                max_metal_share=_decimal(row["max_metal_share"], "max_metal_share"),
                effective_from=start,
                effective_to=_optional_day(row["effective_to"], "effective_to"),
                rank=_whole(row["rank"], "rank", row["code"]),
            )
        )
    _check_codes(provisions)
    return tuple(provisions)


def _check_codes(provisions: list[Provision]) -> None:
    """The ETL refuses such a set (DOMAIN §2); a run handed one anyway cannot order it."""
    by_code: dict[str, list[Provision]] = defaultdict(list)
    keys: set[tuple[str, int]] = set()
    for p in provisions:
        by_code[p.code].append(p)
        if (p.code, p.seq) in keys:
            raise InvalidProvisionError(f"tariff-provisions: provision {p.code} seq {p.seq} is given twice")
        keys.add((p.code, p.seq))
    for code, rows in sorted(by_code.items()):
        for term in PROVISION_CODE_TERMS:
            if len({getattr(p, term) for p in rows}) > 1:
                values = ", ".join(
                    f"{getattr(p, term)} at seq {p.seq}" for p in sorted(rows, key=lambda p: p.seq)
                )
                raise InvalidProvisionError(
                    f"tariff-provisions: the rows of {code} disagree on {term} ({values}); the rows of one "
                    "code agree on programme, kind, rate and rank"
                )


@dataclass(frozen=True)
class Resolution:
    """The provisions of one (HTS10, origin, metal share) on the entry date. Each side lists the
    kept provision of every programme, in reporting order (rank, then code)."""

    ambiguous: bool
    has_metal_candidate: bool
    non_metal_side: tuple[Provision, ...]
    metal_side: tuple[Provision, ...]


class ProvisionIndex:
    """The provisions in force on one day, indexed by prefix."""

    def __init__(self, provisions: Iterable[Provision], day: date) -> None:
        self._by_prefix: dict[str, list[Provision]] = defaultdict(list)
        for p in provisions:
            if p.in_force(day):
                for prefix in set(p.prefixes):
                    self._by_prefix[prefix].append(p)

    def candidates(self, hts10: str, origin: str, metal_share: Decimal) -> dict[Provision, int]:
        """Each matching provision with the length of its longest matching prefix."""
        found: dict[Provision, int] = {}
        for length in range(len(hts10) + 1):
            for p in self._by_prefix.get(hts10[:length], ()):
                if p.covers(origin, metal_share):
                    found[p] = length
        return found

    def resolve(self, hts10: str, origin: str, metal_share: Decimal) -> Resolution:
        candidates = self.candidates(hts10, origin, metal_share)
        has_metal = any(p.part == METAL for p in candidates)
        non_metal, tie_non_metal = _keep_longest(candidates, NON_METAL_SIDE)
        metal, tie_metal = _keep_longest(candidates, METAL_SIDE)
        # Without a metal candidate the line can only be a whole, non-all-metal part.
        ambiguous = tie_non_metal or (has_metal and tie_metal)
        return Resolution(ambiguous, has_metal, non_metal, metal)


def _keep_longest(
    candidates: dict[Provision, int], parts: frozenset[str]
) -> tuple[tuple[Provision, ...], bool]:
    """Per programme, the applicable candidate with the longest prefix; and whether two tie."""
    best: dict[str, list[Provision]] = {}
    for p, length in candidates.items():
        if p.part not in parts:
            continue
        kept = best.get(p.programme)
        if kept is None or length > candidates[kept[0]]:
            best[p.programme] = [p]
        elif length == candidates[kept[0]]:
            kept.append(p)
    tie = any(len(kept) > 1 for kept in best.values())
    chosen = sorted((kept[0] for kept in best.values()), key=lambda p: p.order)
    return tuple(chosen), tie


@dataclass(frozen=True)
class MaterialProvisions:
    """Per material of the day: its resolution (None without HTS number or origin), whether its
    provisions tie, and whether one of them has part `metal`."""

    resolutions: list[Resolution | None]
    ambiguous: npt.NDArray[np.bool_]
    has_metal: npt.NDArray[np.bool_]


def resolve_materials(facts: MaterialFacts, hts: HtsTable, index: ProvisionIndex) -> MaterialProvisions:
    """Provisions resolved once per distinct (HTS10, origin, metal share) of the day's products."""
    cache: dict[tuple[int, str, Decimal], Resolution] = {}
    resolutions: list[Resolution | None] = []
    for m in range(len(facts.hts)):
        origin = facts.origin.text(m)
        if facts.hts[m] < 0 or origin is None:
            resolutions.append(None)
            continue
        key = (int(facts.hts[m]), origin, facts.metal_share[m])
        if key not in cache:
            cache[key] = index.resolve(str(hts.hts10[key[0]]), origin, key[2])
        resolutions.append(cache[key])
    return MaterialProvisions(
        resolutions=resolutions,
        ambiguous=np.array([r is not None and r.ambiguous for r in resolutions], dtype=bool),
        has_metal=np.array([r is not None and r.has_metal_candidate for r in resolutions], dtype=bool),
    )
