"""The official USITC HTS export (a JSON array of rows) → its 10-digit statistical lines.

A statistical line's general rate is the `general` text of the nearest row at or above it in the
hierarchy (its own, else its indent-ancestors', nearest first); its unit is its own `units`
(`[""]` and `[]` mean none; `["No.", "kg"]` and `["kg", "No."]` are both `No. and kg`, DOMAIN §2).
Descriptions lose their markup: tags, entities, zero-width characters and runs of whitespace."""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_TAG = re.compile(r"<[^>]*>")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u00ad\ufeff]")
_SPACE = re.compile(r"\s+")
_GZIP_MAGIC = b"\x1f\x8b"
# The official file lists the two units of a line reported in both in either order.
_NUMBER_AND_KG = frozenset({"No.", "kg"})


class OfficialHtsError(ValueError):
    """The official export cannot be read as a JSON array of HTS rows."""


@dataclass(frozen=True)
class OfficialLine:
    hts10: str
    description: str
    units: tuple[str, ...]
    general: str  # the rate text that applies; "" when no row at or above has one
    rate_from: str  # the row it comes from, as the HTS writes it (8517.62.00)

    @property
    def unit_text(self) -> str:
        """`No.`, `kg`, `No. and kg` — as the company table writes units; "" when none."""
        if len(self.units) == len(_NUMBER_AND_KG) and set(self.units) == _NUMBER_AND_KG:
            return "No. and kg"
        return " and ".join(self.units)


@dataclass(frozen=True)
class OfficialRevision:
    label: str  # e.g. `2026 Rev. 10`
    lines: Mapping[str, OfficialLine]


def clean_description(text: str | None) -> str:
    if not text:
        return ""
    text = html.unescape(_TAG.sub(" ", text))
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def parse_official_revision(data: bytes, label: str) -> OfficialRevision:
    """The export's bytes (gzip or plain JSON) → its statistical lines."""
    try:
        raw = gzip.decompress(data) if data[:2] == _GZIP_MAGIC else data
        rows = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise OfficialHtsError(f"HTS {label}: not a JSON document ({exc})") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise OfficialHtsError(f"HTS {label}: expected a JSON array of row objects")
    return OfficialRevision(label, statistical_lines(rows))


def statistical_lines(rows: Iterable[Mapping[str, Any]]) -> dict[str, OfficialLine]:
    lines: dict[str, OfficialLine] = {}
    # The chain of rows above the current one: (indent, digits, htsno, general text).
    ancestors: list[tuple[int, str, str, str]] = []
    for row in rows:
        htsno = str(row.get("htsno") or "").strip()
        digits = htsno.replace(".", "")
        indent = _indent(row.get("indent"))
        general = str(row.get("general") or "").strip()
        while ancestors and ancestors[-1][0] >= indent:
            ancestors.pop()
        if len(digits) == 10 and digits.isdigit() and digits not in lines:
            rate_text, rate_from = general, htsno
            if not general:
                rate_text, rate_from = _inherited(ancestors, digits)
            lines[digits] = OfficialLine(
                hts10=digits,
                description=clean_description(row.get("description")),
                units=tuple(u.strip() for u in row.get("units") or () if isinstance(u, str) and u.strip()),
                general=rate_text,
                rate_from=rate_from,
            )
        ancestors.append((indent, digits, htsno, general))
    return lines


def _inherited(ancestors: list[tuple[int, str, str, str]], digits: str) -> tuple[str, str]:
    for _, above, htsno, general in reversed(ancestors):
        if general and digits.startswith(above):
            return general, htsno
    return "", ""


def _indent(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
