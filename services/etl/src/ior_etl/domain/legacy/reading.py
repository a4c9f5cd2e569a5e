"""What every legacy file shares: a file read strictly to its pinned format into SAP-shaped frames,
its unreadable rows in the validation framework's shape, and the way back from SAP fields to the
file's rows and columns. Each file is declared as data (`LegacyFile`, in `files`).

A row with an unreadable cell is rejected with every unreadable cell of the row and goes no
further; the rows that read go to the same builders as the SAP extracts, and whatever those
reject is reported again as the file's row and column (`attributed`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from ior_contracts.legacy.cells import CellError
from ior_contracts.legacy.csv_file import LegacyTable, Problem, Row, read_legacy_csv
from ior_contracts.legacy.formats import LegacyFormat

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.sap_fields import SapTable
from ior_etl.domain.validation import REJECTED_COLUMNS, empty_rejections

Record = dict[str, str]


@dataclass(frozen=True, eq=False)
class LegacyRead:
    file: str
    frames: dict[str, pd.DataFrame]  # SAP extract name → its rows, as the builders take them
    rejected: pd.DataFrame  # rows that could not be read, one row per problem
    rows: Mapping[int, Mapping[str, str]]  # every data row as read, by row number
    columns: Mapping[str, str]  # SAP field → the file's column it comes from


@dataclass(frozen=True)
class LegacyFile:
    """How one pinned legacy file becomes rows of the SAP tables its dataset is built from.

    Each SAP field is read from a column (`cells`, in reading order; a column read for two fields
    is read once) or takes a fixed value (`fixed`); `named` gives a fixed field the column a
    rejection names. `numbered` = (counted, numbering): the numbering field takes the count of rows
    so far with the counted field's value (`001`, `002`, …). `adjust` changes a row's record after
    it is read."""

    format: LegacyFormat
    dataset: str
    tables: tuple[SapTable, ...]
    cells: Mapping[str, str]
    fixed: Mapping[str, str] = field(default_factory=dict)
    named: Mapping[str, str] = field(default_factory=dict)
    numbered: tuple[str, str] | None = None
    adjust: Callable[[Record], Record] | None = None

    @property
    def columns(self) -> dict[str, str]:
        """SAP field → the file's column a rejection of it names."""
        return {**self.cells, **self.named}

    def read(self, data: bytes) -> LegacyRead:
        """The file's rows as SAP-shaped frames; raises `LegacyFileError` for a file that is not in its
        pinned format."""
        table = read_legacy_csv(data, self.format.file, self.format.header)
        columns, broken = read_columns(table.rows, dict.fromkeys(self.cells.values()), self.format)
        records: list[Record] = []
        numbers: list[int] = []
        problems: list[Problem] = []
        counts: Counter[str] = Counter()
        for i, row in enumerate(table.rows):
            record = {name: columns[column][i] for name, column in self.cells.items()} | dict(self.fixed)
            if self.numbered is not None:
                counted, numbering = self.numbered
                counts[record[counted]] += 1
                record[numbering] = f"{counts[record[counted]]:03d}"
            if i in broken:
                problems.extend(broken[i])
                continue
            records.append(self.adjust(record) if self.adjust else record)
            numbers.append(row.number)
        rows = raw_rows(table)
        frames = {sap.name: records_frame(records, sap, numbers) for sap in self.tables}
        rejected = problems_frame(table.file, [*table.problems, *problems], rows)
        return LegacyRead(table.file, frames, rejected, rows, self.columns)


def read_columns(
    rows: Sequence[Row], columns: Iterable[str], format: LegacyFormat
) -> tuple[dict[str, list[str]], dict[int, list[Problem]]]:
    """Each column's cells in SAP's form, converted as the pinned format says (the upload check
    applies the same converter, under the same rule name as the dataset's own rule for that field),
    a column at a time and each distinct text once (a day's dates, currencies and materials repeat
    on every row); a broken cell reads as empty. And each row's problems (by position), in column
    order: a row with any is rejected with all of them."""
    converted: dict[str, list[str]] = {}
    broken: dict[int, list[Problem]] = {}
    for column in columns:
        texts = [row.cells[column] for row in rows]
        spec = format.cells.get(column)
        if spec is None:
            converted[column] = texts
            continue
        seen: dict[str, str | CellError] = {}
        out: list[str] = []
        for i, text in enumerate(texts):
            value = seen.get(text)
            if value is None:
                try:
                    value = spec.convert(text)
                except CellError as exc:
                    value = exc
                seen[text] = value
            if isinstance(value, CellError):
                problem = Problem(rows[i].number, column, spec.rule or value.rule, str(value))
                broken.setdefault(i, []).append(problem)
                out.append("")
            else:
                out.append(value)
        converted[column] = out
    return converted, broken


def raw_rows(table: LegacyTable) -> dict[int, dict[str, str]]:
    width = len(table.header)
    return {
        number: {
            table.header[i] if i < width else f"(extra field {i - width + 1})": c for i, c in enumerate(cells)
        }
        for number, cells in table.raw.items()
    }


def problems_frame(file: str, problems: list[Problem], rows: Mapping[int, Mapping[str, str]]) -> pd.DataFrame:
    if not problems:
        return empty_rejections()
    ordered = sorted(problems, key=lambda p: p.row)  # stable: a row's problems keep column order
    return pd.DataFrame(
        {
            "source": file,
            "row": pd.Series([p.row for p in ordered], dtype="int64"),
            "rule": [p.rule for p in ordered],
            "field": [p.column for p in ordered],
            "reason": [f"{file} row {p.row}, column {p.column}: {p.message}" for p in ordered],
            "re_evaluable": False,
            "record": [dict(rows.get(p.row, {})) for p in ordered],
        }
    )[list(REJECTED_COLUMNS)]


def attributed(build: DatasetBuild, read: LegacyRead) -> DatasetBuild:
    """A manual build's rejections told in the file's terms: its name as source, the CSV column as
    field, the row as read as record, and the place in front of the reason."""
    rejected = build.rejected.copy()
    from_builder = rejected["source"].ne(read.file).to_numpy()
    if from_builder.any():
        part = rejected.loc[from_builder]
        fields = [read.columns.get(f, f) if isinstance(f, str) else None for f in part["field"]]
        rejected.loc[from_builder, "field"] = fields
        rejected.loc[from_builder, "reason"] = [
            f"{read.file} row {row}, column {column}: {reason}"
            if column
            else f"{read.file} row {row}: {reason}"
            for row, column, reason in zip(part["row"], fields, part["reason"], strict=True)
        ]
        rejected.loc[from_builder, "record"] = pd.Series(
            [dict(read.rows.get(int(row), {})) for row in part["row"]], index=part.index, dtype=object
        )
        rejected.loc[from_builder, "source"] = read.file
    return replace(build, validation=replace(build.validation, rejected=rejected))
