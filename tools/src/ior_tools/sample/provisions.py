"""The chapter 99 provisions of the sample company (DOMAIN §3), kept in `data/provisions.yaml`.

Built on the golden catalogue's provisions; the Section 301 rows are extended to every HTS line the
company uses, following the official HTS footnotes (`See 9903.88.03.`). The table is unambiguous:
within a programme no two rows can both be the most specific match for one line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

PROGRAMME_NAMES: dict[str, str] = {
    "S301": "Section 301",
    "S232": "Section 232",
    "S122": "Section 122",
    "IEEPA_F": "IEEPA Fentanyl",
    "IEEPA_R": "IEEPA Reciprocal",
}
PART_NAMES: dict[str, str] = {"any": "All", "non_metal": "Non-metal", "metal": "Metal"}
KIND_NAMES: dict[str, str] = {"additional": "Additional", "exemption": "Exemption"}


@dataclass(frozen=True)
class Provision:
    code: str
    item: int
    programme: str
    kind: str  # additional | exemption
    rate: Decimal  # fraction
    part: str  # any | non_metal | metal
    prefixes: tuple[str, ...]  # ("",) matches every HTS10
    origins: tuple[str, ...]  # ("*",) = every origin
    excluded: tuple[str, ...]
    min_share: Decimal | None  # inclusive, fraction by weight
    max_share: Decimal | None  # exclusive
    effective_from: date
    effective_to: date | None  # inclusive; None = open
    rank: int

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def matching_prefix(self, hts10: str) -> str | None:
        """The longest of the row's prefixes that the HTS10 starts with, or None."""
        matches = [prefix for prefix in self.prefixes if hts10.startswith(prefix)]
        return max(matches, key=len) if matches else None

    def matches_origin(self, origin: str) -> bool:
        return ("*" in self.origins or origin in self.origins) and origin not in self.excluded

    def matches_share(self, share: Decimal) -> bool:
        above_min = self.min_share is None or share >= self.min_share
        below_max = self.max_share is None or share < self.max_share
        return above_min and below_max


def provision_from_row(row: Mapping[str, Any]) -> Provision:
    """A provision from its catalogue form (the golden catalogue's field names; YAML dates as dates)."""

    def share(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return Provision(
        code=str(row["code"]),
        item=int(row.get("item", 1)),
        programme=str(row["programme"]),
        kind=str(row["kind"]),
        rate=Decimal(str(row["rate"])),
        part=str(row["part"]),
        prefixes=tuple(str(prefix) for prefix in row["hts_prefixes"]),
        origins=tuple(str(origin) for origin in row["origins"]),
        excluded=tuple(str(origin) for origin in row["origins_excluded"]),
        min_share=share(row["min_metal_share"]),
        max_share=share(row["max_metal_share"]),
        effective_from=row["effective_from"],
        effective_to=row["effective_to"],
        rank=int(row["rank"]),
    )


@cache
def sample_provisions() -> tuple[Provision, ...]:
    text = resources.files("ior_tools.sample").joinpath("data/provisions.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["provisions"]
    return tuple(sorted((provision_from_row(row) for row in rows), key=lambda row: (row.code, row.item)))
