"""Text a spreadsheet would run as a formula (OWASP's CSV injection) is kept, and flagged for review
as `formula_like_text`, whichever path it came by: an SAP extract or a legacy file."""

from __future__ import annotations

import pandas as pd
import pytest
from ior_etl.domain.building import build_manual
from ior_etl.domain.dataset import FORMULA_FLAG, formula_like
from ior_etl.domain.sap_fields import ZSDR002
from ior_etl.domain.transactions import build_transactions

from tests.etl.unit.records import billing, frame, legacy_csv

HYPERLINK = '=HYPERLINK("http://evil.example","Click")'


def test_formula_like_text_is_every_cell_starting_as_a_formula() -> None:
    cells = pd.Series(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Router", "", None, "a=b"])
    assert formula_like(cells).tolist() == [True] * 6 + [False] * 4


def test_an_sap_description_that_starts_as_a_formula_is_kept_and_flagged() -> None:
    lines = frame(ZSDR002, billing("90020001", ARKTX=HYPERLINK), billing("90020002"))

    result = build_transactions(lines)

    assert len(result.frame) == 2
    assert result.frame.set_index("document").loc["90020001", "description"] == HYPERLINK
    assert result.flags == {FORMULA_FLAG: 1}


@pytest.mark.parametrize("description", [HYPERLINK, "@SUM(1+1)", "+cmd"])
def test_a_legacy_hts_code_description_that_starts_as_a_formula_is_kept_and_flagged(description: str) -> None:
    quoted = '"' + description.replace('"', '""') + '"'
    data = legacy_csv(
        "HTS Code,Description,Duty Rate,Unit",
        f"8517.62.0020,{quoted},Free,No.",
        "7326.90.8688,Other articles of iron or steel,2.9%,kg",
    )

    result = build_manual("hts_code", data)

    assert len(result.frame) == 2
    assert description in result.frame["description"].tolist()
    assert result.flags.get(FORMULA_FLAG) == 1
    assert not result.held


def test_ordinary_descriptions_raise_no_flag() -> None:
    assert build_transactions(frame(ZSDR002, billing("90020001"))).flags == {}
