"""The manual fallback's synchronous check: a bundle of legacy CSVs against their pinned formats.

Plain data, no AWS. Problems are reported with their file, row and column, so an analyst can fix a
file in one pass; nothing is stored unless the whole bundle is clean. What a refusal says is
bounded whatever the file: the first problems of each file in full, the rest counted by rule and
column, and a hopeless file is checked no further once it has shown enough (a request and its answer
stay within Lambda's 6 MB and API Gateway's 29 s)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ior_contracts.legacy.csv_file import LegacyFileError
from ior_contracts.legacy.formats import FORMATS, LegacyFormat

# A synchronous Lambda request carries at most 6 MB; larger bundles go by presigned upload.
MAX_DIRECT_BYTES = 6 * 1024 * 1024
# A presigned upload may be large, but not unbounded: the ETL reads and checks a file in one piece.
MAX_FILE_BYTES = 200 * 1024 * 1024
# Problems of each file listed in full; the rest are counted.
LISTED_PER_FILE = 200
# A file with this many problems is hopeless: it is checked no further.
HOPELESS = 10_000
# A message quotes the cell it is about; a cell may be megabytes long.
MESSAGE_CHARS = 300
NAME_CHARS = 120

# What every legacy CSV must be, as `ior_contracts.legacy.csv_file` reads it: said to the analyst
# before an upload, so a file is right the first time.
ENCODING = "UTF-8 with a byte-order mark"
LINE_ENDING = "CRLF"
SEPARATOR = ","
COMMON_RULES = (
    "UTF-8 with a byte-order mark (EF BB BF) at the very start",
    "CRLF line ends (Windows), on every line",
    "comma separated; a field containing a comma is double-quoted",
    "the header row exactly as listed: the same names, in the same order, case and spaces matter",
    "numbers with a '.' decimal point; thousands separators only inside quotes (\"12,345.67\")",
    "dates as MM/DD/YYYY",
    "no cell holds a NUL character (U+0000)",
    "trailing empty lines are ignored",
)


@dataclass(frozen=True)
class FileProblem:
    file: str
    row: int | None
    column: str | None
    rule: str
    message: str


@dataclass(frozen=True)
class FileSummary:
    """Every problem a file showed, counted; `stopped_at_row`: the check gave up after that row."""

    file: str
    problems: int
    by_rule: dict[str, int]
    by_column: dict[str, int]
    stopped_at_row: int | None = None
    listed: int = 0  # of `problems`, those listed in full; the rest are only counted


@dataclass(frozen=True)
class CheckedFile:
    format: LegacyFormat
    rows: int


@dataclass(frozen=True)
class FileCheck:
    """One file's verdict: its format and rows when it could be read, the problems listed, the counts."""

    name: str
    checked: CheckedFile | None
    listed: list[FileProblem]
    summary: FileSummary


@dataclass(frozen=True)
class BundleCheck:
    files: dict[str, CheckedFile]
    problems: list[FileProblem]  # at most LISTED_PER_FILE per file
    summaries: list[FileSummary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        """Every problem found (a hopeless file's only until it was given up)."""
        return sum(s.problems for s in self.summaries)

    @classmethod
    def of(cls, checks: Iterable[FileCheck]) -> BundleCheck:
        done = sorted(checks, key=lambda c: c.name)
        if not done:
            return _problem("(upload)", "no_files", "the upload has no files")
        return cls(
            {c.name: c.checked for c in done if c.checked is not None},
            [p for c in done for p in c.listed],
            [c.summary for c in done if c.summary.problems],
        )


def check_bundle(contents: Mapping[str, bytes]) -> BundleCheck:
    """Every file checked to its format; unknown names and empty bundles are problems too."""
    return BundleCheck.of(check_file(name, io.BytesIO(body)) for name, body in contents.items())


def check_file(name: str, lines: Iterable[bytes]) -> FileCheck:
    """One file by its name's format, from its physical lines as they stream in."""
    legacy = FORMATS.get(name)
    if legacy is None:
        return unknown_file(name)
    try:
        report = legacy.check_lines(lines, max_problems=HOPELESS)
    except LegacyFileError as exc:
        return _single(name, exc.row, exc.column, exc.rule or "unreadable_file", str(exc))
    listed = [
        FileProblem(
            name, p.row, p.column, p.rule, _clip(f"{name} row {p.row}, column {p.column}: {p.message}")
        )
        for p in report.problems[:LISTED_PER_FILE]
    ]
    summary = FileSummary(
        name,
        len(report.problems),
        dict(Counter(p.rule for p in report.problems).most_common()),
        dict(Counter(p.column for p in report.problems).most_common()),
        report.stopped_at,
        len(listed),
    )
    return FileCheck(name, CheckedFile(legacy, report.rows), listed, summary)


def unknown_file(name: str) -> FileCheck:
    """A file whose name is none of the pinned formats': refused unread."""
    known = ", ".join(FORMATS)
    message = f"{_clip(name, NAME_CHARS)!r} is not one of the legacy files: {known}"
    return _single(name, None, None, "unknown_file", message)


def _single(name: str, row: int | None, column: str | None, rule: str, message: str) -> FileCheck:
    shown = _clip(name, NAME_CHARS)
    problem = FileProblem(shown, row, column, rule, _clip(message))
    return FileCheck(
        name, None, [problem], FileSummary(shown, 1, {rule: 1}, {column: 1} if column else {}, listed=1)
    )


def _problem(name: str, rule: str, message: str) -> BundleCheck:
    only = _single(name, None, None, rule, message)
    return BundleCheck({}, only.listed, [only.summary])


def _clip(text: str, limit: int = MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
