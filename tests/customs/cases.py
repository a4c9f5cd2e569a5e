"""Golden-case files (and cases generated in their shape) → the processor's inputs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from ior_customs.domain import FeeTable, ProcessorInputs
from ior_customs.domain.inputs import (
    EXCHANGE_RATE_COLUMNS,
    HTS_COLUMNS,
    PACKAGING_COLUMNS,
    PRODUCT_COLUMNS,
    PROVISION_COLUMNS,
    TRANSACTION_COLUMNS,
)
from ior_tools.paths import SHARED

GOLDEN = SHARED / "reference" / "golden"
CATALOGUE_FILE = "catalogue.yaml"
SECTIONS = ("hts", "products", "packaging", "provisions", "fees", "fx")
TRANSACTION_DEFAULTS = {"cancels": None, "cancelled": False}
DATASET_VERSIONS = {
    "transactions": "case",
    "product-master": "case",
    "packaging-materials": "case",
    "hts-reference": "case",
    "tariff-provisions": "case",
    "exchange-rates": "case",
}


def golden_files() -> list[Path]:
    """Every case file of the golden folder: any YAML file but the catalogue."""
    return sorted(p for p in GOLDEN.glob("*.yaml") if p.name != CATALOGUE_FILE)


def case_name(path: Path) -> str:
    """The case's own name, else its file name."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    return str(case.get("name") or path.stem) if isinstance(case, dict) else path.stem


def load_case(path: Path) -> dict[str, Any]:
    """The case with every reference section resolved: its own, else the catalogue's."""
    case: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalogue = yaml.safe_load(
        (path.parent / case.get("catalogue", CATALOGUE_FILE)).read_text(encoding="utf-8")
    )
    for section in SECTIONS:
        case.setdefault(section, catalogue.get(section, []))
    return case


def _with_seq(provisions: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one code numbered in file order, as the published dataset keys them."""
    seen: dict[str, int] = {}
    rows = []
    for row in provisions:
        seen[row["code"]] = seen.get(row["code"], 0) + 1
        rows.append({"seq": seen[row["code"]], **row})
    return rows


def _frame(rows: list[Mapping[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows as a dataset of Python cells; a column no row mentions is all empty."""
    frame = pd.DataFrame(list(rows), dtype=object)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    return frame


def inputs_from_case(case: Mapping[str, Any]) -> ProcessorInputs:
    """The processor's inputs for a case whose sections are resolved (see load_case)."""
    business_date = case["business_date"]
    return ProcessorInputs(
        business_date=business_date if isinstance(business_date, date) else date.fromisoformat(business_date),
        transactions=_frame(
            [{**TRANSACTION_DEFAULTS, **row} for row in case["invoice_lines"]], TRANSACTION_COLUMNS
        ),
        products=_frame(case["products"], PRODUCT_COLUMNS),
        packaging=_frame(case["packaging"], PACKAGING_COLUMNS),
        hts=_frame(case["hts"], HTS_COLUMNS),
        provisions=_frame(_with_seq(case["provisions"]), PROVISION_COLUMNS),
        exchange_rates=_frame(case["fx"], EXCHANGE_RATE_COLUMNS),
        fees=FeeTable.from_rows(case["fees"], version="case"),
        dataset_versions=DATASET_VERSIONS,
    )
