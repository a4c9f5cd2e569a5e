"""fee-table: the customs fee table (DOMAIN §4 step 7) from the fee notices (CBP_FEES): the fiscal
years' figures the product ships, each cited, then the ones admins recorded, in that order.

Each notice must be whole on its own: a citation, the MPF minimum and maximum in dollars and cents,
above zero, the minimum not above the maximum, both rates above zero and at most 1 %, its days
within its fiscal year (1 October to 30 September). Of the whole notices, a later one with the same
first day replaces an earlier one (a correction). The rest must make one unbroken run of days: in
order of their first day, a notice starting before the one before it ends overlaps it, and one
starting after the day that follows leaves a gap; each is refused with the days concerned, and so
is every notice after a gap. The table never fills a gap or guesses a year: customs flags a formal
entry on a day no row covers (`fee_rate_missing`) until an admin records that year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from ior_contracts.datasets import FEE_TABLE
from ior_contracts.fees import fiscal_year_period

from ior_etl.domain.dataset import DatasetBuild, SourceRows
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.sap_fields import CBP_FEES
from ior_etl.domain.typed import typed_frame
from ior_etl.domain.validation import ROW, Rule, RuleSet, validate_for
from ior_etl.domain.values import date_or_none, decimal_or_none

MAX_RATE = Decimal("0.01")
_CENT = Decimal("0.01")
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Notice:
    """One notice's cells parsed; None where a cell does not parse (a rule says why)."""

    fiscal_year: int | None
    start: date | None
    end: date | None
    mpf_rate: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    hmf_rate: Decimal | None
    citation: str

    @property
    def period(self) -> tuple[date, date] | None:
        return fiscal_year_period(self.fiscal_year) if self.fiscal_year is not None else None


def _parse(row: pd.Series) -> _Notice:
    year = row["fiscal_year"].strip()
    return _Notice(
        fiscal_year=int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None,
        start=date_or_none(row["effective_from"]),
        end=date_or_none(row["effective_to"]),
        mpf_rate=decimal_or_none(row["mpf_rate"]),
        minimum=decimal_or_none(row["mpf_minimum"]),
        maximum=decimal_or_none(row["mpf_maximum"]),
        hmf_rate=decimal_or_none(row["hmf_rate"]),
        citation=row["citation"].strip(),
    )


def _within_year(n: _Notice) -> bool:
    if n.start is None or n.end is None or n.period is None:
        return True
    first, last = n.period
    return first <= n.start <= n.end <= last


def _in_cents(n: _Notice) -> bool:
    return all(a is None or a == a.quantize(_CENT) for a in (n.minimum, n.maximum))


def _rate_ok(rate: Decimal | None) -> bool:
    return rate is not None and Decimal(0) < rate <= MAX_RATE


@dataclass(frozen=True)
class _Check:
    """A rule on one notice alone."""

    name: str
    reason: str
    field: str
    passes: Callable[[_Notice], bool]


NOTICE_CHECKS: tuple[_Check, ...] = (
    _Check(
        "malformed_fiscal_year", "fiscal year {fiscal_year} is not a year", "fiscal_year",
        lambda n: n.fiscal_year is not None,
    ),
    _Check(
        "malformed_date", "{effective_from} or {effective_to} is not an ISO date", "effective_from",
        lambda n: n.start is not None and n.end is not None,
    ),
    _Check(
        "outside_fiscal_year",
        "{effective_from} to {effective_to} is not a run of days within fiscal year {fiscal_year} "
        "(1 October to 30 September)",
        "effective_from",
        _within_year,
    ),
    _Check("missing_citation", "no citation: name the notice the figures come from", "citation",
           lambda n: n.citation != ""),
    _Check(
        "amount_not_in_cents",
        "MPF minimum {mpf_minimum} or maximum {mpf_maximum} is not an amount in dollars and cents",
        "mpf_minimum",
        lambda n: n.minimum is not None and n.maximum is not None and _in_cents(n),
    ),
    _Check(
        "amount_not_positive", "MPF minimum {mpf_minimum} and maximum {mpf_maximum} must be above zero",
        "mpf_minimum", lambda n: all(a is None or a > 0 for a in (n.minimum, n.maximum)),
    ),
    _Check(
        "minimum_above_maximum", "MPF minimum {mpf_minimum} is above its maximum {mpf_maximum}",
        "mpf_minimum", lambda n: n.minimum is None or n.maximum is None or n.minimum <= n.maximum,
    ),
    _Check(
        "mpf_rate_out_of_bounds", "MPF rate {mpf_rate} is not a fraction above 0 and at most 0.01 (1 %)",
        "mpf_rate", lambda n: _rate_ok(n.mpf_rate),
    ),
    _Check(
        "hmf_rate_out_of_bounds", "HMF rate {hmf_rate} is not a fraction above 0 and at most 0.01 (1 %)",
        "hmf_rate", lambda n: _rate_ok(n.hmf_rate),
    ),
)  # fmt: skip

SUPERSEDED, OVERLAPS, LEAVES_A_GAP = "superseded", "overlaps", "leaves_a_gap"


def _notice_rule(check: _Check) -> Rule:
    return Rule(
        check.name, check.reason, lambda f: ~f["failures"].map(lambda r: check.name in r), check.field
    )


def _table_rule(name: str, reason: str) -> Rule:
    return Rule(name, reason, lambda f: f["refused"].ne(name), "effective_from")


RULES = RuleSet(
    FEE_TABLE.name,
    CBP_FEES.name,
    "fee notice FY{fiscal_year} from {effective_from} ({citation})",
    CBP_FEES.fields,
    (
        *(_notice_rule(c) for c in NOTICE_CHECKS),
        _table_rule(SUPERSEDED, "replaced by {detail}"),
        _table_rule(OVERLAPS, "its days up to {effective_to} overlap {detail}, which stays"),
        _table_rule(LEAVES_A_GAP, "{detail}"),
    ),
    {f: f for f in CBP_FEES.fields},
)


def _describe(frame: pd.DataFrame, i: int) -> str:
    row = frame.iloc[i]
    who = (
        "the product" if row["recorded_by"] == "shipped" else f"{row['recorded_by']} at {row['recorded_at']}"
    )
    return f"FY{row['fiscal_year']} ({row['effective_from']} to {row['effective_to']}, recorded by {who})"


def _days(notice: _Notice) -> tuple[date, date]:
    """A whole notice's first and last day (both parse, or it would not be whole)."""
    assert notice.start is not None
    assert notice.end is not None
    return notice.start, notice.end


def _refusals(
    frame: pd.DataFrame, notices: Sequence[_Notice], whole: Sequence[bool]
) -> tuple[list[str], list[str]]:
    """Per row, the table rule that refuses it ("" when none) and the detail its reason shows."""
    refused, detail = [""] * len(frame), [""] * len(frame)
    latest_by_start: dict[date, int] = {}
    for i in (i for i in range(len(frame)) if whole[i]):
        start = _days(notices[i])[0]
        if start in latest_by_start:  # rows are in landing order: the later notice replaces
            earlier = latest_by_start[start]
            refused[earlier], detail[earlier] = SUPERSEDED, _describe(frame, i)
        latest_by_start[start] = i
    taken, taken_end = -1, date.min
    gap: tuple[date, date] | None = None
    for i in sorted(latest_by_start.values(), key=lambda i: _days(notices[i])[0]):
        start, end = _days(notices[i])
        if gap is None and taken >= 0 and start > taken_end + _DAY:
            gap = (taken_end + _DAY, start - _DAY)
        if gap is not None:
            refused[i] = LEAVES_A_GAP
            detail[i] = f"no row covers {gap[0]} to {gap[1]}: record that fiscal year first"
        elif taken >= 0 and start <= taken_end:
            refused[i], detail[i] = OVERLAPS, _describe(frame, taken)
        else:
            taken, taken_end = i, end
    return refused, detail


def _candidates(notices: pd.DataFrame) -> pd.DataFrame:
    frame = notices[[*CBP_FEES.fields, ROW]].reset_index(drop=True)
    parsed = [_parse(row) for _, row in frame.iterrows()]
    failures = [tuple(c.name for c in NOTICE_CHECKS if not c.passes(n)) for n in parsed]
    refused, detail = _refusals(frame, parsed, [not f for f in failures])
    return frame.assign(
        failures=pd.Series(failures, dtype=object),
        refused=pd.Series(refused, dtype="str"),
        detail=pd.Series(detail, dtype="str"),
        parsed=pd.Series(parsed, dtype=object),
    )


def build_fee_table(notices: pd.DataFrame, *, policy: HoldPolicy | None = None) -> DatasetBuild:
    """The CBP_FEES extract's notices → fee-table."""
    result = validate_for(_candidates(notices), RULES, policy)
    valid = result.valid.assign(start=[n.start for n in result.valid["parsed"]]).sort_values("start")
    taken: list[_Notice] = list(valid["parsed"])
    frame = typed_frame(
        {
            "effective_from": pd.to_datetime([n.start for n in taken]),
            "effective_to": pd.to_datetime([n.end for n in taken]),
            "fiscal_year": [n.fiscal_year for n in taken],
            "mpf_rate": [n.mpf_rate for n in taken],
            "mpf_minimum": [n.minimum for n in taken],
            "mpf_maximum": [n.maximum for n in taken],
            "hmf_rate": [n.hmf_rate for n in taken],
            "citation": [n.citation for n in taken],
            "recorded_by": valid["recorded_by"],
        },
        FEE_TABLE,
    )
    sources = SourceRows.of(RULES.source, valid)
    return DatasetBuild(RULES.dataset, "automated", frame, result, sources=sources)


# --- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How far ahead the table covers from `as_of`, without a gap."""

    as_of: date
    covered_until: date | None
    threshold_days: int

    @property
    def days_ahead(self) -> int:
        return 0 if self.covered_until is None else (self.covered_until - self.as_of).days

    @property
    def short(self) -> bool:
        return self.days_ahead < self.threshold_days


def coverage(table: pd.DataFrame, as_of: date, threshold_days: int) -> Coverage:
    """The last day covered from `as_of` on by the rows of a fee-table frame, following them for as
    long as each starts the day after the one before ends."""
    periods = sorted(
        (start.date(), end.date())
        for start, end in zip(table["effective_from"], table["effective_to"], strict=True)
    )
    until: date | None = None
    for start, end in periods:
        takes_as_of = until is None and start <= as_of <= end
        follows = until is not None and start == until + _DAY
        if takes_as_of or follows:
            until = end
    return Coverage(as_of, until, threshold_days)
