"""The response of `GET /api/comparisons/{id}/explained`: a comparison's discrepancies, each with the
expected (manual) and actual (automated) sides together and the cause in the two runs' inputs, as the
compare service explained them (`compare-explanation/1`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ior_api.domain.lines import source_materials
from ior_api.entrypoints.web.schemas import Body


class FieldCompared(Body):
    field: str = Field(description="The compared field, e.g. `rates`, `duty`, `mpf`.")
    expected: str | None = Field(description="The manual side's value as the run published it.")
    actual: str | None = Field(description="The automated side's value as the run published it.")
    differs: bool = Field(description="Out of tolerance.")
    delta: str | None = Field(description="Actual − expected in the field's unit, signed; null for text.")
    tolerance: str | None = Field(description="The tolerance applied, when the field differs.")
    critical: bool = Field(description="A critical field out of tolerance: the comparison fails on it.")


class StackNumber(Body):
    number: str = Field(description="An HTS number of the stack, chapter 99 numbers first.")
    rate: str | None = Field(description="Its ad valorem rate, a fraction.")
    duty: str | None = Field(description="The duty charged at it, dollars.")
    provision_rows: list[int] | None = Field(
        description="The rows of the tariff provisions that put a chapter 99 number there."
    )


class Side(Body):
    line: int | None = Field(description="The line number in its entry; null for an entry.")
    description: str | None
    stack: list[StackNumber]
    values: dict[str, str | None] = Field(description="Every compared field's value on this side.")
    sources: list[tuple[str, int]] = Field(description="The invoice items (document, item) consolidated.")
    source_materials: list[str | None] = Field(
        description="The SAP material of each invoice item, in the order of `sources`; null where unknown, "
        "as for every item of an explanation made before sides carried them."
    )
    datasets: dict[str, str] = Field(description="The dataset versions (or fee-table rows) it was made from.")

    @model_validator(mode="before")
    @classmethod
    def _materials_beside_sources(cls, side: Any) -> Any:
        return side | {"source_materials": source_materials(side)} if isinstance(side, dict) else side


class Sides(Body):
    expected: Side | None = Field(description="The manual side; null when the item is extra.")
    actual: Side | None = Field(description="The automated side; null when the item is missing.")


class SourceRow(Body):
    file: str = Field(
        description="The legacy file (`HTS_Code.csv`) or SAP table (`ZFMIOR001`) it was read from."
    )
    row: int = Field(description="Its row there: a file's row as a spreadsheet shows it, an extract's line.")


class CitedValue(Body):
    value: str | None = Field(description="The cell; `absent` when the row is not in this version.")
    version: str = Field(description="The dataset version it is read from.")
    made_from: list[str] = Field(description="What the ETL made that version from (files, extracts).")
    source: SourceRow | None = Field(
        default=None,
        description="Where the row was read; absent for a version published before the ETL said.",
    )


class InputDifference(Body):
    dataset: str
    key: str = Field(description="The row's key, e.g. the HTS number or `document item`.")
    field: str = Field(description="The column that differs; `(row)` when one version lacks the row.")
    expected: CitedValue
    actual: CitedValue


class Discrepancy(Body):
    id: str = Field(description="Its position in the explanation, from 1: what a URL selects.")
    level: Literal["line", "entry"]
    entry_id: str
    hts10: str | None
    origin: str | None
    part: str | None
    outcome: Literal["mismatch", "missing", "extra", "duplicate"]
    critical: bool
    expected_line: int | None
    actual_line: int | None
    fields: list[FieldCompared]
    sides: Sides
    input_differences: list[InputDifference] = Field(description="The cause, cell by cell.")


class WorstField(Body):
    field: str
    critical: bool
    mismatches: int
    max_abs_delta: str | None


class DatasetVersions(Body):
    expected: dict[str, str]
    actual: dict[str, str]


class ComparisonExplained(Body):
    comparison_id: str
    business_date: date
    status: Literal["passed", "failed"]
    failure_reasons: list[str]
    worst_fields: list[WorstField]
    passed_with_differences: bool = Field(
        description="It passed although fields differ: only non-critical fields are out of tolerance."
    )
    expected_run_id: str | None
    actual_run_id: str | None
    total: int = Field(description="Discrepancies found; at most the first 200 are explained.")
    datasets: DatasetVersions
    unreadable: dict[str, dict[str, str]] = Field(
        description="Per side, the datasets whose version could not be read, and why."
    )
    discrepancies: list[Discrepancy]
