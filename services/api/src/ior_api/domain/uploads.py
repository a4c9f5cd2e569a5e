"""The manual fallback's synchronous check: a bundle of legacy CSVs against their pinned formats.

Plain data, no AWS. Every problem is reported with its file, row and column, so an analyst can fix
the file in one pass; nothing is stored unless the whole bundle is clean."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ior_contracts.legacy.csv_file import LegacyFileError
from ior_contracts.legacy.formats import FORMATS, LegacyFormat

# A synchronous Lambda request carries at most 6 MB; larger bundles go by presigned upload.
MAX_DIRECT_BYTES = 6 * 1024 * 1024
# A presigned upload may be large, but not unbounded: the ETL reads a file in one piece.
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class FileProblem:
    file: str
    row: int | None
    column: str | None
    rule: str
    message: str


@dataclass(frozen=True)
class CheckedFile:
    format: LegacyFormat
    rows: int


@dataclass(frozen=True)
class BundleCheck:
    files: dict[str, CheckedFile]
    problems: list[FileProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_bundle(contents: Mapping[str, bytes]) -> BundleCheck:
    """Every file checked to its format; unknown names and empty bundles are problems too."""
    if not contents:
        return BundleCheck({}, [FileProblem("(upload)", None, None, "no_files", "the upload has no files")])
    checked: dict[str, CheckedFile] = {}
    problems: list[FileProblem] = []
    for name in sorted(contents):
        legacy = FORMATS.get(name)
        if legacy is None:
            problems.append(
                FileProblem(
                    name,
                    None,
                    None,
                    "unknown_file",
                    f"{name!r} is not one of the legacy files: {', '.join(FORMATS)}",
                )
            )
            continue
        try:
            report = legacy.check(contents[name])
        except LegacyFileError as exc:
            problems.append(FileProblem(name, exc.row, exc.column, exc.rule or "unreadable_file", str(exc)))
            continue
        checked[name] = CheckedFile(legacy, report.rows)
        problems.extend(
            FileProblem(name, p.row, p.column, p.rule, f"{name} row {p.row}, column {p.column}: {p.message}")
            for p in report.problems
        )
    return BundleCheck(checked, problems)
