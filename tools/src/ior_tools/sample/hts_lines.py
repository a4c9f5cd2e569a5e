"""The company's HTS lines: real statistical lines of the official HTS, kept in `data/hts_lines.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from ior_tools.sample.formats import general_rate_fraction


@dataclass(frozen=True)
class HtsLine:
    """One statistical line as the official HTS states it."""

    dotted: str  # USITC style, 8517.62.00.20
    description: str
    general: str  # `Free` or `x%`
    rate_from: str  # the row whose general rate applies
    units: tuple[str, ...]

    @property
    def hts10(self) -> str:
        return self.dotted.replace(".", "")

    @property
    def unit_text(self) -> str:
        """`No.`, `kg` or `No. and kg`, as the company table and the CSV write it."""
        return " and ".join(self.units)

    @property
    def rate(self) -> Decimal:
        return general_rate_fraction(self.general)


@cache
def hts_lines() -> tuple[HtsLine, ...]:
    text = resources.files("ior_tools.sample").joinpath("data/hts_lines.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["lines"]
    return tuple(
        HtsLine(
            dotted=row["hts10"],
            description=row["description"],
            general=row["general"],
            rate_from=row["rate_from"],
            units=tuple(row["units"]),
        )
        for row in rows
    )
