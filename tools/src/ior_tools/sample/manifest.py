"""manifest.json: what was generated, with which parameters, and what the pipeline should find in it.

Written with sorted keys and a fixed indent, from data that depends only on the arguments, so equal
arguments give a byte-identical manifest. `Manifest.model_validate_json` reads it back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceValue(_Model):
    """A raw value where one path reads it: an SAP entity set or a legacy CSV."""

    source: str = Field(description="Entity set (`ZFMIOR002`) or CSV path under the output directory.")
    key: dict[str, str]
    field: str
    value: str


class DatasetDifference(_Model):
    """One field of one published dataset row that differs between the automated and the manual path."""

    dataset: str = Field(description="Dataset name as in DOMAIN §2, e.g. `product-master`.")
    key: dict[str, str]
    field: str
    automated: str
    manual: str
    sap: SourceValue
    csv: SourceValue
    equivalent_in_comparison: bool = Field(
        default=False,
        description="True when the comparison's own rule (DOMAIN §6) treats the values as equal.",
    )


class PredictedDifference(_Model):
    """A comparison difference (DOMAIN §6) the disagreement causes: expected = manual, actual = automated."""

    business_date: date
    level: Literal["line", "entry"]
    entry_id: str
    hts10: str | None = Field(description="USITC style, `8517.62.00.20`; null for an entry-level field.")
    origin: str | None
    part: str | None
    field: str
    expected: Any
    actual: Any


class LineOutcome(_Model):
    business_date: date
    document: str
    item: int
    reason: str


class FixtureDocument(_Model):
    business_date: date
    entry_id: str
    document: str


DisagreementKind = Literal["changed_weight", "stale_rate", "packaging_flag", "formatting"]
DISAGREEMENT_KINDS: tuple[DisagreementKind, ...] = (
    "changed_weight",
    "stale_rate",
    "packaging_flag",
    "formatting",
)


class Disagreement(_Model):
    kind: DisagreementKind
    summary: str
    assumption: str | None = None
    dataset_differences: list[DatasetDifference]
    fixture_documents: list[FixtureDocument]
    predicted_differences: list[PredictedDifference]
    manual_only_quarantine: list[LineOutcome] = Field(default_factory=list)


class MalformedRow(_Model):
    business_date: date
    entity_set: str
    key: dict[str, str]
    csv: SourceValue
    field: str
    value: str
    expected: dict[str, str] = Field(
        description="Where the row stops and why: stage, dataset, outcome, rule."
    )


class UnknownMaterialLine(_Model):
    business_date: date
    entity_set: str
    key: dict[str, str]
    material: str
    expected: dict[str, str]


class DroppedRate(_Model):
    currency: str
    billing_date: date
    dropped_gdatu: list[date]
    affected: list[LineOutcome]


class FaultsRecord(_Model):
    malformed_rows: list[MalformedRow] = Field(default_factory=list)
    unknown_materials: list[UnknownMaterialLine] = Field(default_factory=list)
    missing_rates: list[DroppedRate] = Field(default_factory=list)


class DayOutcome(_Model):
    """What the automated path should do with one business date's billing lines (DOMAIN §4 step 1)."""

    lines: int = Field(description="Billing lines arriving on the date (ZSDR002 = Invoice_Lines.csv rows).")
    invoices: int
    entries: int = Field(description="Distinct entries: port + arrival + shipment.")
    goods_lines: int = Field(description="F2 lines, not cancelled, that are not packaging items.")
    packaging_items: int = Field(description="F2 lines, not cancelled, of packaging materials.")
    held_out_credit: int = Field(description="G2/RE lines, held out as credits.")
    dropped_cancelled: int = Field(description="S1/S2 lines and lines of documents with FKSTO = X.")
    rejected_by_etl: list[LineOutcome] = Field(description="Malformed lines; `reason` is the broken rule.")
    quarantined: list[LineOutcome] = Field(description="Lines customs quarantines, with the DOMAIN reason.")
    related_party_review: int = Field(
        description="F2 goods lines of products priced below their latest supplier unit cost (ZEMM004)."
    )
    by_currency: dict[str, int]
    by_mode: dict[str, int]


class Cancellation(_Model):
    business_date: date
    document: str = Field(description="The S1 cancellation document.")
    cancels: str = Field(description="The cancelled F2 document, which carries FKSTO = X.")


class Manifest(_Model):
    format_version: int = FORMAT_VERSION
    generator: str = "ior_tools.sample"
    seed: int
    parameters: dict[str, Any]
    business_dates: list[date]
    company: dict[str, Any]
    counts: dict[str, dict[str, int]]
    outcomes: dict[str, DayOutcome] = Field(
        description="The automated path's expected outcome per business date."
    )
    cancellations: list[Cancellation]
    comparison_tolerances: dict[str, str]
    disagreements: list[Disagreement]
    faults: FaultsRecord
    files: dict[str, str] = Field(
        description="SHA-256 of every file written, by path under the output directory."
    )

    def write(self, path: Path) -> None:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
