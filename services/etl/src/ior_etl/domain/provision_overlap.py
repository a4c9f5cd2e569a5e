"""When two provisions of one programme could both be the most specific match (DOMAIN §2, §3).

They could when some HTS number, origin and date match both with the same longest prefix, their
metal-share intervals overlap and their parts can meet (`any` meets every part). Only the two
provisions' own prefixes are considered: a third, more specific provision may not apply on the
day, so it cannot be relied on to separate them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations

ALL_ORIGINS = "*"
HTS_DIGITS = 10
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Terms:
    """What decides whether a provision matches a line."""

    label: str
    programme: str
    part: str
    prefixes: tuple[str, ...]
    origins: tuple[str, ...]
    excluded: tuple[str, ...]
    min_share: Decimal | None
    max_share: Decimal | None
    valid_from: date
    valid_to: date | None


def tie_prefix(a: Terms, b: Terms) -> str | None:
    """A prefix both provisions share that is, for some HTS number, the longest match of both."""
    longer = set(a.prefixes) | set(b.prefixes)
    for shared in sorted(set(a.prefixes) & set(b.prefixes), key=lambda p: (len(p), p)):
        if not _covered(shared, {p for p in longer if len(p) > len(shared) and p.startswith(shared)}):
            return shared
    return None


def _covered(prefix: str, extensions: set[str]) -> bool:
    """Every HTS number starting with `prefix` also starts with one of `extensions`."""
    if len(prefix) >= HTS_DIGITS or not extensions:
        return False
    for digit in _DIGITS:
        branch = prefix + digit
        if branch in extensions:
            continue
        below = {e for e in extensions if e.startswith(branch)}
        if not below or not _covered(branch, below):
            return False
    return True


def origins_meet(a: Terms, b: Terms) -> bool:
    a_all, b_all = ALL_ORIGINS in a.origins, ALL_ORIGINS in b.origins
    if a_all and b_all:
        return True  # two finite exclusion lists cannot exclude every country
    excluded = set(a.excluded) | set(b.excluded)
    if a_all or b_all:
        listed = b.origins if a_all else a.origins
        return any(c not in excluded for c in listed)
    return any(c in b.origins and c not in excluded for c in a.origins)


def dates_meet(a: Terms, b: Terms) -> bool:
    return (b.valid_to is None or a.valid_from <= b.valid_to) and (
        a.valid_to is None or b.valid_from <= a.valid_to
    )


def shares_meet(a: Terms, b: Terms) -> bool:
    """[min, max) intervals overlap; no minimum is 0, no maximum is unbounded."""
    low = max(a.min_share or Decimal(0), b.min_share or Decimal(0))
    highs = [m for m in (a.max_share, b.max_share) if m is not None]
    return not highs or low < min(highs)


def parts_meet(a: Terms, b: Terms) -> bool:
    return "any" in (a.part, b.part) or a.part == b.part


def ambiguities(provisions: Sequence[Terms | None]) -> list[list[tuple[int, str]]]:
    """For each provision, the others it could tie with and the prefix they tie on (None entries,
    provisions whose terms do not parse, take no part)."""
    found: list[list[tuple[int, str]]] = [[] for _ in provisions]
    by_prefix: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, terms in enumerate(provisions):
        if terms is not None:
            for prefix in set(terms.prefixes):
                by_prefix[(terms.programme, prefix)].append(index)
    pairs = {pair for indexes in by_prefix.values() for pair in combinations(sorted(indexes), 2)}
    for i, j in sorted(pairs):
        a, b = provisions[i], provisions[j]
        if a is None or b is None:  # only parsed terms were indexed; kept for the type checker
            continue
        if not (parts_meet(a, b) and dates_meet(a, b) and origins_meet(a, b) and shares_meet(a, b)):
            continue
        tie = tie_prefix(a, b)
        if tie is not None:
            found[i].append((j, tie))
            found[j].append((i, tie))
    return found
