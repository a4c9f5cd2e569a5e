"""The company's HTS lines are real: each kept row matches the official USITC HTS 2026 Rev. 10."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from ior_tools.paths import OFFICIAL_HTS
from ior_tools.sample.company import sample_company
from ior_tools.sample.hts_lines import HtsLine, hts_lines


@pytest.fixture(scope="module")
def official() -> list[dict[str, Any]]:
    if not OFFICIAL_HTS.exists():
        pytest.skip(f"the official HTS export is not at {OFFICIAL_HTS}")
    with gzip.open(OFFICIAL_HTS, "rt", encoding="utf-8") as stream:
        rows: list[dict[str, Any]] = json.load(stream)
    return rows


def _general_rate(rows: list[dict[str, Any]], index: int) -> tuple[str, str]:
    """DOMAIN §2: the `general` text of the nearest row at or above the statistical line that has one."""
    for row in reversed(rows[: index + 1]):
        if row["general"].strip():
            return row["general"].strip(), row["htsno"]
    raise AssertionError("no general rate above the line")


@pytest.mark.parametrize("line", hts_lines(), ids=lambda line: line.dotted)
def test_kept_line_matches_the_official_hts(official: list[dict[str, Any]], line: HtsLine) -> None:
    index = next(i for i, row in enumerate(official) if row["htsno"] == line.dotted)
    row = official[index]
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}\.\d{2}", line.dotted), "not a ten-digit statistical line"
    assert line.description == re.sub(r"<[^>]+>", "", row["description"]).strip()
    assert tuple(unit for unit in row["units"] if unit) == line.units
    general, source = _general_rate(official, index)
    assert (line.general, line.rate_from) == (general, source)
    assert line.dotted.startswith(source), "the rate comes from a row that is not an ancestor"
    assert general == "Free" or re.fullmatch(r"\d+(\.\d+)?%", general), "not an ad valorem rate"


def test_the_company_uses_every_kept_line_and_nothing_else() -> None:
    company = sample_company()
    assert len(hts_lines()) == 21
    assert {product.hts10 for product in company.products} == {line.hts10 for line in hts_lines()}
