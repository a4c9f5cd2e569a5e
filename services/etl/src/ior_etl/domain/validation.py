"""One validation framework for every dataset.

A dataset declares a `RuleSet`: the columns every candidate row carries (a pandera schema: present,
text, never null — blanks are `""`) and its rules, each a named pandera check over the whole frame
with a reason template a person can read. `validate` runs every rule on every row, so a row is
reported with all the rules it fails, not only the first; the valid rest goes on. Rules that fail
only because master data has not arrived yet are flagged `master_data`: a row failing nothing
else is re-evaluable, and the next build from that master data (every source it waits for feeds
its dataset) reads it again.

pandera's lazy `SchemaErrors` would spread a frame-wide check over one failure case per column;
the checks are run one by one and their boolean output kept instead, which costs one mask per
rule whatever the number of failures."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from ior_contracts.legacy.csv_file import NO_ROWS

from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import SapTable
from ior_etl.domain.values import decimal_text, display, is_blank, matches, round_places

ROW = "source_row"
REJECTED_COLUMNS = ("source", "row", "rule", "field", "reason", "re_evaluable", "record")
EMPTY_RULE = NO_ROWS  # the legacy reader refuses a header-only file under the same rule

_RULE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_FORMATTER = string.Formatter()


class CandidateShapeError(ValueError):
    """A candidate frame lacks declared columns or carries them in the wrong type."""


class RuleDeclarationError(ValueError):
    """A rule set is declared inconsistently."""


@dataclass(frozen=True)
class Rule:
    """A named, row-level rule: `check(frame)` is True where a row passes.

    `reason` is a template over the candidate frame's columns (`{net_kg}`); `field` is the column
    at fault, reported as its source field or CSV column."""

    name: str
    reason: str
    check: Callable[[pd.DataFrame], pd.Series]
    field: str | None = None
    master_data: bool = False

    def __post_init__(self) -> None:
        if not _RULE_NAME.fullmatch(self.name):
            raise RuleDeclarationError(f"rule name {self.name!r} is not snake_case")

    def as_check(self) -> pa.Check:
        return pa.Check(self.check, name=self.name, error=self.reason, ignore_na=False)


@dataclass(frozen=True)
class RuleSet:
    """A dataset's declared candidate columns and rules.

    `to_source` names each candidate column as the source calls it (SAP field), for the original
    record kept with a rejected row; `subject` prefixes every reason (`product {material}`)."""

    dataset: str
    source: str
    subject: str
    columns: tuple[str, ...]
    rules: tuple[Rule, ...]
    to_source: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [r.name for r in self.rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise RuleDeclarationError(f"{self.dataset}: rules declared twice: {', '.join(repeated)}")

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)

    def _schema(self, checks: list[pa.Check], *, text: type[str] | None) -> pa.DataFrameSchema:
        columns = {name: pa.Column(text, nullable=False) for name in self.columns}
        columns[ROW] = pa.Column("int64", nullable=False)
        return pa.DataFrameSchema(columns, checks=checks, strict=False, name=self.dataset)

    @property
    def structure(self) -> pa.DataFrameSchema:
        """The columns every candidate row has, never null (blank is `""`), and its row number. That
        they hold text is checked from the dtype alone (`validate`): pandera's `str` check looks at
        every value and costs more than the rules on a small frame."""
        return self._schema([], text=None)

    @property
    def schema(self) -> pa.DataFrameSchema:
        """The declared schema with every rule as a check, as documentation and for `pandera` tooling."""
        return self._schema([rule.as_check() for rule in self.rules], text=str)

    @classmethod
    def of_table(cls, dataset: str, table: SapTable, subject: str, *rules: Rule) -> RuleSet:
        """The rules of a dataset built from one SAP table: its fields, under the builders' names, are
        the candidate columns, and a rejected row's record names them as SAP does."""
        return cls(dataset, table.name, subject, tuple(table.to_sap), rules, table.to_sap)

    def with_rules(self, *extra: Rule) -> RuleSet:
        return RuleSet(
            self.dataset, self.source, self.subject, self.columns, (*self.rules, *extra), self.to_source
        )


@dataclass(frozen=True)
class Outcome:
    """Published, or held: too many rows rejected (or none read), naming the rule that rejected most."""

    dataset: str
    held: bool
    total_rows: int
    rejected_rows: int
    reject_rate: Decimal
    threshold: Decimal
    rule: str | None
    rule_rows: int

    @property
    def status(self) -> Literal["published", "held"]:
        return "held" if self.held else "published"

    @property
    def message(self) -> str:
        if self.total_rows == 0:
            return f"{self.dataset} {self.status}: no rows were read"
        counts = f"{self.rejected_rows} of {self.total_rows} rows rejected ({_percent(self.reject_rate)})"
        if not self.held:
            return f"{self.dataset} published: {counts}, threshold {_percent(self.threshold)}"
        return (
            f"{self.dataset} held: {counts}, above the threshold of {_percent(self.threshold)}; "
            f"most by {self.rule} ({self.rule_rows} {'row' if self.rule_rows == 1 else 'rows'})"
        )


def _percent(fraction: Decimal) -> str:
    return f"{decimal_text(round_places(fraction * 100, 2))} %"


@dataclass(frozen=True)
class RuleSummary:
    rule: str
    rows: int
    example_reason: str


@dataclass(frozen=True, eq=False)
class ValidationResult:
    """The candidate rows with which passed every rule, the rejected ones (one row per failure), and
    what to do with them. The valid rows are taken from the candidates when first asked for: on a
    million text rows that copy costs as much as the rules, and a held run never needs it."""

    dataset: str
    candidates: pd.DataFrame
    passed: np.ndarray
    rejected: pd.DataFrame
    total_rows: int
    rule_names: tuple[str, ...]
    threshold: Decimal
    hold_empty: bool = True

    @cached_property
    def valid(self) -> pd.DataFrame:
        if self.passed.all():
            return self.candidates
        return self.candidates.loc[self.passed].reset_index(drop=True)

    @property
    def rejected_rows(self) -> int:
        return len(self.rejected[["source", "row"]].drop_duplicates())

    @property
    def rule_counts(self) -> dict[str, int]:
        """Rows each rule rejected, every rule of every row counted, in declared order."""
        counts = self.rejected.groupby("rule", sort=False)["row"].size()
        return {name: int(counts.get(name, 0)) for name in self.rule_names}

    @property
    def first_rule_counts(self) -> dict[str, int]:
        """Rows by the first rule each failed (declared order): they add up to `rejected_rows`."""
        firsts = self.rejected.drop_duplicates(["source", "row"], keep="first")
        counts = firsts.groupby("rule", sort=False)["row"].size()
        return {name: int(counts.get(name, 0)) for name in self.rule_names}

    @property
    def reject_rate(self) -> Decimal:
        if self.total_rows == 0:
            return Decimal(0)
        return Decimal(self.rejected_rows) / Decimal(self.total_rows)

    def summary(self, *, by_first_rule: bool = True) -> list[RuleSummary]:
        """Each rule with its row count and one reason, most frequent first. By default a row counts
        under its first failing rule only, as `etl.rows.quarantined.v1` reports them (the counts add
        up to the rejected rows); `by_first_rule=False` counts every rule of every row."""
        examples = self.rejected.drop_duplicates("rule").set_index("rule")["reason"]
        counts = self.first_rule_counts if by_first_rule else self.rule_counts
        counted = [(name, n) for name, n in counts.items() if n]
        counted.sort(key=lambda item: -item[1])  # stable: declared order breaks ties
        return [RuleSummary(name, n, str(examples[name])) for name, n in counted]

    @property
    def outcome(self) -> Outcome:
        counts = self.rule_counts
        dominant = max(counts, key=lambda name: counts[name]) if any(counts.values()) else None
        if self.total_rows == 0:
            return Outcome(self.dataset, self.hold_empty, 0, 0, Decimal(0), self.threshold, EMPTY_RULE, 0)
        held = self.reject_rate > self.threshold
        return Outcome(
            self.dataset,
            held,
            self.total_rows,
            self.rejected_rows,
            self.reject_rate,
            self.threshold,
            dominant,
            counts[dominant] if dominant else 0,
        )


def validate_for(
    candidates: pd.DataFrame,
    rules: RuleSet,
    policy: HoldPolicy | None = None,
    *,
    earlier: pd.DataFrame | None = None,
) -> ValidationResult:
    """`validate` with the dataset's reject-rate threshold and empty-run rule from the hold policy."""
    policy = policy or HoldPolicy()
    return validate(
        candidates,
        rules,
        threshold=policy.threshold(rules.dataset),
        hold_empty=policy.hold_empty,
        earlier=earlier,
    )


def validate(
    candidates: pd.DataFrame,
    rules: RuleSet,
    *,
    threshold: Decimal,
    hold_empty: bool = True,
    earlier: pd.DataFrame | None = None,
) -> ValidationResult:
    """Run every rule on every candidate row.

    `earlier` holds rows rejected before validation (a manual file's unreadable cells): they count
    in the total and the reject rate, and their rules come first."""
    frame = candidates.reset_index(drop=True)
    try:
        rules.structure.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        problems = sorted(
            {
                f"{case if check == 'column_in_dataframe' else column}: {check}"
                for column, case, check in zip(
                    cases["column"], cases["failure_case"], cases["check"], strict=True
                )
            }
        )
        raise CandidateShapeError(f"{rules.dataset}: {'; '.join(problems)}") from None
    not_text = [c for c in rules.columns if not pd.api.types.is_string_dtype(frame[c].dtype)]
    if not_text:
        raise CandidateShapeError(f"{rules.dataset}: columns {', '.join(not_text)} do not hold text")

    failed: dict[str, np.ndarray] = {}
    for rule in rules.rules:
        passed = rule.as_check()(frame).check_output
        failed[rule.name] = ~np.asarray(pd.Series(passed).fillna(False), dtype=bool)
    any_failed = np.logical_or.reduce(list(failed.values())) if failed else np.zeros(len(frame), dtype=bool)

    rejected = _rejections(frame, rules, failed)
    earlier = earlier if earlier is not None and len(earlier) else None
    names = rules.rule_names
    if earlier is not None:
        earlier_names = tuple(dict.fromkeys(earlier["rule"]))
        names = (*earlier_names, *(n for n in names if n not in earlier_names))
        rejected = pd.concat([earlier[list(REJECTED_COLUMNS)], rejected], ignore_index=True)
        rejected = rejected.sort_values("row", kind="mergesort", ignore_index=True)
    earlier_rows = 0 if earlier is None else len(earlier[["source", "row"]].drop_duplicates())
    return ValidationResult(
        dataset=rules.dataset,
        candidates=frame,
        passed=~any_failed,
        rejected=rejected,
        total_rows=len(frame) + earlier_rows,
        rule_names=names,
        threshold=threshold,
        hold_empty=hold_empty,
    )


def _rejections(frame: pd.DataFrame, rules: RuleSet, failed: Mapping[str, np.ndarray]) -> pd.DataFrame:
    parts = []
    rows = frame[ROW].to_numpy()
    for order, rule in enumerate(rules.rules):
        positions = np.flatnonzero(failed[rule.name])
        if not len(positions):
            continue
        records = frame.iloc[positions][list(rules.columns)].rename(columns=dict(rules.to_source))
        field_name = rules.to_source.get(rule.field, rule.field) if rule.field else None
        parts.append(
            pd.DataFrame(
                {
                    "source": rules.source,
                    "row": rows[positions],
                    "rule": rule.name,
                    "field": field_name,
                    "reason": render(f"{rules.subject}: {rule.reason}", frame, positions),
                    "master_data": rule.master_data,
                    "order": order,
                    "record": records.to_dict("records"),
                }
            )
        )
    if not parts:
        return empty_rejections()
    rejected = pd.concat(parts, ignore_index=True).sort_values(["row", "order"], kind="mergesort")
    rejected["re_evaluable"] = (
        rejected.groupby(["source", "row"])["master_data"].transform("all").astype(bool)
    )
    return rejected[list(REJECTED_COLUMNS)].reset_index(drop=True)


def empty_rejections() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series(dtype="str"),
            "row": pd.Series(dtype="int64"),
            "rule": pd.Series(dtype="str"),
            "field": pd.Series(dtype="str"),
            "reason": pd.Series(dtype="str"),
            "re_evaluable": pd.Series(dtype="bool"),
            "record": pd.Series(dtype="object"),
        }
    )


def render(template: str, frame: pd.DataFrame, positions: Sequence[int] | np.ndarray) -> list[str]:
    """The template filled in for each row at `positions`, values shown as a person reads them."""
    names = list(dict.fromkeys(name for _, name, _, _ in _FORMATTER.parse(template) if name))
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise RuleDeclarationError(f"reason {template!r} names columns the frame lacks: {', '.join(missing)}")
    # Take the rows before converting: a column of a million values is never turned into objects.
    shown = {n: [display(v) for v in frame[n].iloc[positions].tolist()] for n in names}
    return [template.format(**{n: shown[n][i] for n in names}) for i in range(len(positions))]


# --- rules many datasets declare ---------------------------------------------------------------


def where_known(frame: pd.DataFrame, a: str, b: str, test: Callable[[Any, Any], bool]) -> pd.Series:
    """`test(a, b)` where both values are known; rows missing either are another rule's business."""
    return pd.Series(
        [x is None or y is None or test(x, y) for x, y in zip(frame[a], frame[b], strict=True)],
        index=frame.index,
    )


def unique_key(columns: Sequence[str], reason: str, *, field: str | None = None) -> Rule:
    """Rows sharing a key are all rejected: which one is right is for a person to say."""
    key = list(columns)
    return Rule("duplicate_key", reason, lambda f: ~f.duplicated(key, keep=False), field=field or key[0])


def present(name: str, column: str, reason: str, *, field: str | None = None) -> Rule:
    """`column` is not blank."""
    return Rule(name, reason, lambda f: ~is_blank(f[column]), field or column)


def matching(
    name: str, column: str, pattern: str, reason: str, *, blank: bool = False, field: str | None = None
) -> Rule:
    """`column`'s whole text matches `pattern` (RE2 syntax), or is blank where `blank` allows it."""
    if blank:
        return Rule(
            name, reason, lambda f: is_blank(f[column]) | matches(f[column], pattern), field or column
        )
    return Rule(name, reason, lambda f: matches(f[column], pattern), field or column)


def one_of(name: str, column: str, values: Iterable[str], what: str) -> Rule:
    """`column` holds one of `values`, which the reason lists after `what`."""
    allowed = list(values)
    reason = f"{what} {{{column}}} is not one of " + ", ".join(allowed)
    return Rule(name, reason, lambda f: f[column].isin(allowed), column)
