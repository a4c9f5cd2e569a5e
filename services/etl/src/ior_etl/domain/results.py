"""What a run decided, whether the rows went through the builders or the file was refused whole.

A legacy file that breaks its pinned format (encoding, byte-order mark, line ends, header, quoting)
cannot be read row by row: it is rejected whole, every data row of it counted as rejected, with
the row and column where the format breaks as the one quarantine record. A file of an upload the
API did not check (a presigned one) with bad rows or cells is refused whole too, each problem a
quarantine record, as the direct upload's check would have refused it. The file itself stays where
the upload stored it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from ior_contracts.legacy.csv_file import HEADER_ROW, LegacyFileError, Problem
from ior_contracts.legacy.formats import FormatReport
from ior_contracts.vocabulary import Mode

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.validation import REJECTED_COLUMNS, RuleSummary

FILE_RULE = "malformed_file"


@dataclass(frozen=True, eq=False)
class Result:
    dataset: str
    mode: Mode
    held: bool
    rejected: pd.DataFrame  # one row per failure, `REJECTED_COLUMNS`
    total_rows: int
    rejected_rows: int
    reevaluable_rows: int
    rule: str | None  # the rule that rejected the most rows
    reject_rate: Decimal
    threshold: Decimal
    rules: tuple[RuleSummary, ...]  # rows per first failing rule, most first
    build: DatasetBuild | None = None  # None when the file was refused whole

    @property
    def message(self) -> str:
        if self.build is not None:
            return self.build.outcome.message
        return f"{self.dataset} held: the file is not in its pinned format ({self.rules[0].example_reason})"


def from_build(build: DatasetBuild) -> Result:
    outcome = build.outcome
    rejected = build.rejected
    waiting = rejected[rejected["re_evaluable"].astype(bool)]
    return Result(
        dataset=build.dataset,
        mode=build.mode,
        held=outcome.held,
        rejected=rejected,
        total_rows=outcome.total_rows,
        rejected_rows=outcome.rejected_rows,
        reevaluable_rows=len(waiting[["source", "row"]].drop_duplicates()),
        rule=outcome.rule,
        reject_rate=outcome.reject_rate,
        threshold=outcome.threshold,
        rules=tuple(build.validation.summary()),
        build=build,
    )


def data_rows(data: bytes) -> int:
    """The rows a refused file holds, as far as lines tell (the header excluded), at least one."""
    lines = [line for line in data.splitlines() if line.strip()]
    return max(1, len(lines) - 1)


def file_refused(
    dataset: str, mode: Mode, file: str, error: LegacyFileError, data: bytes, threshold: Decimal
) -> Result:
    rows = data_rows(data)
    reason, rule = str(error), error.rule or FILE_RULE
    where = error.row if error.row is not None else HEADER_ROW
    problems = [Problem(where, error.column, rule, reason)]
    return _refused(dataset, mode, file, problems, rows, rows, (RuleSummary(rule, rows, reason),), threshold)


def format_refused(dataset: str, mode: Mode, report: FormatReport, data: bytes, threshold: Decimal) -> Result:
    """A file whose rows or cells break its pinned format, refused whole: every problem found is a
    quarantine record; the rows counted as rejected are those with a problem."""
    problems = report.problems
    # A check stopped at its limit did not read every row: the file's lines still say how many there are.
    rows = report.rows if report.stopped_at is None else max(report.rows, data.count(b"\n") - 1)
    first: dict[int, Problem] = {}
    for problem in problems:
        first.setdefault(problem.row, problem)
    by_rule = Counter(p.rule for p in first.values())
    example = {rule: next(p.message for p in first.values() if p.rule == rule) for rule in by_rule}
    rules = tuple(RuleSummary(r, n, example[r]) for r, n in by_rule.most_common())
    return _refused(dataset, mode, report.format.file, problems, rows, len(first), rules, threshold)


def _refused(
    dataset: str,
    mode: Mode,
    file: str,
    problems: list[Problem],
    rows: int,
    rejected_rows: int,
    rules: tuple[RuleSummary, ...],
    threshold: Decimal,
) -> Result:
    """A file refused whole: held, with its problems as the quarantine, whatever the threshold."""
    return Result(
        dataset=dataset,
        mode=mode,
        held=True,
        rejected=_refusals(file, problems),
        total_rows=rows,
        rejected_rows=rejected_rows,
        reevaluable_rows=0,
        rule=rules[0].rule,
        reject_rate=Decimal(rejected_rows) / Decimal(rows),
        threshold=threshold,
        rules=rules,
    )


def _refusals(file: str, problems: list[Problem]) -> pd.DataFrame:
    """The quarantine records of a file refused whole: one per problem, none re-evaluable, no record."""
    return pd.DataFrame(
        {
            "source": file,
            "row": pd.Series([p.row for p in problems], dtype="int64"),
            "rule": [p.rule for p in problems],
            "field": [p.column for p in problems],
            "reason": [p.message for p in problems],
            "re_evaluable": False,
            "record": [{} for _ in problems],
        }
    )[list(REJECTED_COLUMNS)]
