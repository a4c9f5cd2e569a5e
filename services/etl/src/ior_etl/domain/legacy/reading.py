"""What every legacy file shares: a file read strictly to its pinned format into SAP-shaped frames,
its unreadable rows in the validation framework's shape, and the way back from SAP fields to the
file's rows and columns. Each file is declared as data (`LegacyFile`, in `files`).

A row with an unreadable cell is rejected with every unreadable cell of the row and goes no
further; the rows that read go to the same builders as the SAP extracts, and whatever those
reject is reported again as the file's row and column (`attributed`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np
import pandas as pd
from ior_contracts.legacy.cells import NUL_MESSAGE, NUL_RULE, CellError
from ior_contracts.legacy.csv_file import HEADER_ROW, LegacyTable, Problem
from ior_contracts.legacy.formats import FormatReport, LegacyFormat

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.extracts import columns_frame, records_frame
from ior_etl.domain.legacy.whole_file import read_table
from ior_etl.domain.nul_text import nul_cells
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
        table = read_table(data, self.format.file, self.format.header)
        columns, broken = read_columns(
            table, dict.fromkeys(self.cells.values()), self.format, nul=b"\x00" in data
        )
        return self._assembled(table, columns, broken)

    def read_checked(self, data: bytes, *, max_problems: int | None = None) -> LegacyRead | FormatReport:
        """The file read as `read` reads it when every row and cell keeps its pinned format; else the
        report `LegacyFormat.check` makes of it (the same problems, in its order and to its limit).
        One reading of the file for both: checking it first, cell by cell, took half again as long
        as reading a million-line file, and the read converts each distinct text once. Raises
        `LegacyFileError` as both do; where the check would stop at its limit before a break of the
        whole file, this reads on to the break and raises it."""
        table = read_table(data, self.format.file, self.format.header)
        # Every column, in the header's order: a NUL is a problem in any of them.
        columns, broken = read_columns(table, self.format.header, self.format, nul=b"\x00" in data)
        problems = [*table.problems, *(problem for i in sorted(broken) for problem in broken[i])]
        if problems:
            return _report(self.format, table, sorted(problems, key=_row), max_problems)
        return self._assembled(table, columns, broken)

    def _assembled(
        self, table: LegacyTable, columns: Mapping[str, Sequence[str]], broken: Mapping[int, list[Problem]]
    ) -> LegacyRead:
        count = len(table.numbers)
        kept = [i for i in range(count) if i not in broken] if broken else list(range(count))
        problems = [problem for i in sorted(broken) for problem in broken[i]]
        numbers = [table.numbers[i] for i in kept] if broken else table.numbers
        fields = self._fields(columns, count)
        if self.adjust is None:
            # Straight from the columns: a file of a million rows makes no record per row.
            every = len(kept) == count
            sap = {name: values if every else [values[i] for i in kept] for name, values in fields.items()}
            frames = {table_.name: columns_frame(sap, table_, numbers) for table_ in self.tables}
        else:
            adjust = self.adjust
            records = [adjust({name: values[i] for name, values in fields.items()}) for i in kept]
            frames = {table_.name: records_frame(records, table_, numbers) for table_ in self.tables}
        rows = RawRows(table)
        rejected = problems_frame(table.file, [*table.problems, *problems], rows)
        return LegacyRead(table.file, frames, rejected, rows, self.columns)

    def _fields(self, columns: Mapping[str, Sequence[str]], count: int) -> dict[str, Sequence[str]]:
        """Each SAP field's values, one per row: read from its column, fixed, or numbered."""
        fields = {name: columns[column] for name, column in self.cells.items()}
        fields.update({name: [value] * count for name, value in self.fixed.items()})
        if self.numbered is not None:
            counted, numbering = self.numbered
            counts: Counter[str] = Counter()
            numbers = []
            for value in fields[counted]:
                counts[value] += 1
                numbers.append(f"{counts[value]:03d}")
            fields[numbering] = numbers
        return fields


def read_columns(
    table: LegacyTable, columns: Iterable[str], format: LegacyFormat, *, nul: bool = True
) -> tuple[dict[str, Sequence[str]], dict[int, list[Problem]]]:
    """Each column's cells in SAP's form, converted as the pinned format says (the upload check
    applies the same converter, under the same rule name as the dataset's own rule for that field),
    a column at a time and each distinct text once (a day's dates, currencies and materials repeat
    on every row); a broken cell reads as empty. And each row's problems (by position), in column
    order: a row with any is rejected with all of them. A cell holding a NUL is one of them (`nul_text`),
    looked for unless `nul` is False (the file's bytes hold none)."""
    converted: dict[str, Sequence[str]] = {}
    broken: dict[int, list[Problem]] = {}
    for column in columns:
        texts: Sequence[str] = table.columns[column]
        holding = nul_cells(texts) if nul else None
        if holding is not None:
            for i in np.flatnonzero(holding).tolist():
                broken.setdefault(i, []).append(Problem(table.numbers[i], column, NUL_RULE, NUL_MESSAGE))
            # Read as empty, as a broken cell is: nothing hashes the text, nor converts it again below.
            texts = cast("Sequence[str]", np.where(holding, "", np.asarray(texts, dtype=object)))
        spec = format.cells.get(column)
        if spec is None:
            converted[column] = texts
            continue
        codes, distinct = pd.factorize(np.asarray(texts, dtype=object))
        values: list[str] = []
        failed: dict[int, CellError] = {}
        for code, text in enumerate(distinct.tolist()):
            try:
                values.append(spec.convert(text))
            except CellError as exc:
                failed[code] = exc
                values.append("")
        # Each row picks its distinct text's value: an array of Python objects, as a frame's column takes it.
        converted[column] = np.asarray(values, dtype=object).take(codes)
        if failed:
            unconverted = np.isin(codes, list(failed))
            if holding is not None:
                unconverted &= ~holding
            for i in np.flatnonzero(unconverted).tolist():
                error = failed[int(codes[i])]
                problem = Problem(table.numbers[i], column, spec.rule or error.rule, str(error))
                broken.setdefault(i, []).append(problem)
    return converted, broken


def _row(problem: Problem) -> int:
    return problem.row


def _report(
    format: LegacyFormat, table: LegacyTable, problems: list[Problem], max_problems: int | None
) -> FormatReport:
    """`format.check`'s report of a file whose problems (sorted by row, each row's in column order)
    are `problems`: the check reads row after row and stops after the row that brings its problems to
    `max_problems`, having read every row up to it."""
    if max_problems is None or len(problems) < max_problems:
        return FormatReport(format, len(table.raw), problems)
    last = problems[max_problems - 1].row
    return FormatReport(format, last - HEADER_ROW, [p for p in problems if p.row <= last], stopped_at=last)


class RawRows(Mapping[int, Mapping[str, str]]):
    """Every data row as read, by row number, each a mapping of the header's names to its cells
    (`(extra field n)` beyond the header), made when asked for: only rejected rows are."""

    def __init__(self, table: LegacyTable) -> None:
        self._header = table.header
        self._raw = table.raw

    def __getitem__(self, number: int) -> Mapping[str, str]:
        width = len(self._header)
        return {
            self._header[i] if i < width else f"(extra field {i - width + 1})": cell
            for i, cell in enumerate(self._raw[number])
        }

    def __iter__(self) -> Iterator[int]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


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
    field, the row as read as record, and the place in front of the reason; its published rows'
    source is the file as well."""
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
    # The published rows are cited by the file too: its name, and the row as a spreadsheet shows it.
    sources = replace(build.sources, source=read.file) if build.sources is not None else None
    return replace(build, validation=replace(build.validation, rejected=rejected), sources=sources)
