"""The parity sign-off report: the parallel run over a date range, for the business (DOMAIN §7).

Every date of the range appears with its outcome: business days as `passed`, `failed`,
`missing_comparison` (transactions but no comparison) or `no_transactions`; weekday federal
holidays as `holiday`; weekend days only when something ran on them (`weekend`). Each day lists
its discrepancies (fields out of tolerance; lines missing, extra or duplicated) with the
resolution note recorded for it, if any. Resolutions that name no discrepancy are listed apart,
so nothing recorded disappears."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from ior_contracts.calendar import BusinessCalendar

from ior_compare.domain.cutover import DEFAULT_REQUIRED_STREAK
from ior_compare.domain.html import render
from ior_compare.domain.parity import DayRecord, ParityStreak, parity_streak
from ior_compare.domain.result import ComparisonResult

DayOutcome = Literal["passed", "failed", "missing_comparison", "no_transactions", "holiday", "weekend"]
DAY_OUTCOMES: tuple[DayOutcome, ...] = (
    "passed", "failed", "missing_comparison", "no_transactions", "holiday", "weekend",
)  # fmt: skip
_UNPAIRED = ("missing", "extra", "duplicate")


@dataclass(frozen=True)
class DayComparison:
    """One arrival date of the parallel run: its transactions and its latest comparison."""

    business_date: date
    has_transactions: bool
    passed: bool | None = None
    """None when the date has no comparison."""
    comparison_id: str | None = None
    discrepancies: Mapping[str, int] = field(default_factory=dict)
    """Count per discrepancy: a field name (`value`, `mpf` …) or `missing`/`extra`/`duplicate` lines
    or `entries_missing`/`entries_extra`/`entries_duplicate`."""

    @classmethod
    def from_result(
        cls,
        business_date: date,
        result: ComparisonResult,
        *,
        has_transactions: bool,
        comparison_id: str | None = None,
    ) -> DayComparison:
        found = {summary.field: summary.mismatches for summary in result.worst_fields}
        for outcome in _UNPAIRED:
            lines, entries = getattr(result.counts.lines, outcome), getattr(result.counts.entries, outcome)
            if lines:
                found[outcome] = lines
            if entries:
                found[f"entries_{outcome}"] = entries
        return cls(business_date, has_transactions, result.passed, comparison_id, found)


@dataclass(frozen=True)
class Resolution:
    """How a discrepancy of one date was explained or fixed."""

    business_date: date
    field: str
    note: str
    resolved_by: str | None = None


@dataclass(frozen=True)
class Discrepancy:
    field: str
    count: int
    resolution: Resolution | None


@dataclass(frozen=True)
class SignoffDay:
    business_date: date
    outcome: DayOutcome
    comparison_id: str | None
    holiday: str | None
    discrepancies: tuple[Discrepancy, ...]


@dataclass(frozen=True)
class SignoffReport:
    start: date
    end: date
    days: tuple[SignoffDay, ...]
    streak: ParityStreak
    required_streak: int
    unmatched_resolutions: tuple[Resolution, ...]

    @property
    def ready_for_cutover(self) -> bool:
        return self.streak.days >= self.required_streak

    def outcome_counts(self) -> dict[str, int]:
        tally = Counter(day.outcome for day in self.days)
        return {outcome: tally[outcome] for outcome in DAY_OUTCOMES}

    def unresolved(self) -> list[tuple[date, Discrepancy]]:
        return [
            (day.business_date, d) for day in self.days for d in day.discrepancies if d.resolution is None
        ]

    def to_data(self) -> dict[str, Any]:
        """JSON-able data (dates as ISO text)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "required_streak": self.required_streak,
            "streak": {
                "days": self.streak.days,
                "as_of": self.streak.as_of.isoformat(),
                "counted": [day.isoformat() for day in self.streak.counted],
                "broken_on": None if self.streak.broken_on is None else self.streak.broken_on.isoformat(),
                "broken_because": self.streak.broken_because,
            },
            "ready_for_cutover": self.ready_for_cutover,
            "outcome_counts": self.outcome_counts(),
            "days": [
                {
                    "business_date": day.business_date.isoformat(),
                    "outcome": day.outcome,
                    "comparison_id": day.comparison_id,
                    "holiday": day.holiday,
                    "discrepancies": [_discrepancy_data(d) for d in day.discrepancies],
                }
                for day in self.days
            ],
            "unresolved": len(self.unresolved()),
            "unmatched_resolutions": [_resolution_data(r) for r in self.unmatched_resolutions],
        }

    def to_markdown(self) -> str:
        lines = [
            f"# Parity sign-off, {self.start} to {self.end}",
            "",
            self._streak_sentence(),
            "",
            "| outcome | days |",
            "|---|---|",
            *(
                f"| {outcome.replace('_', ' ')} | {count} |"
                for outcome, count in self.outcome_counts().items()
            ),
            "",
            "## Days",
            "",
            "| date | outcome | discrepancies | resolution |",
            "|---|---|---|---|",
        ]
        for day in self.days:
            outcome = day.outcome.replace("_", " ") + (f": {day.holiday}" if day.holiday else "")
            found = "; ".join(f"{d.field} × {d.count}" for d in day.discrepancies)
            notes = "; ".join(f"{d.field}: {_note(d.resolution)}" for d in day.discrepancies if d.resolution)
            when = f"{day.business_date} ({day.business_date:%a})"
            lines.append(f"| {when} | {_cell(outcome)} | {_cell(found)} | {_cell(notes)} |")
        unresolved = self.unresolved()
        lines += ["", "## Unresolved discrepancies", ""]
        lines += [f"- {when} {_cell(d.field)} × {d.count}" for when, d in unresolved] or ["None."]
        if self.unmatched_resolutions:
            lines += ["", "## Resolutions that match no discrepancy", ""]
            lines += [
                f"- {r.business_date} {_cell(r.field)}: {_cell(_note(r))}" for r in self.unmatched_resolutions
            ]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        return render(
            _TEMPLATE,
            report=self,
            sentence=self._streak_sentence(),
            counts=self.outcome_counts(),
            unresolved=self.unresolved(),
        )

    def _streak_sentence(self) -> str:
        verdict = "ready for cutover" if self.ready_for_cutover else "not yet ready for cutover"
        sentence = (
            f"Parity streak: {self.streak.days} business day(s) as of {self.streak.as_of} "
            f"(required {self.required_streak}): {verdict}."
        )
        if self.streak.broken_on is not None:
            cause = (
                "failed" if self.streak.broken_because == "failed" else "had transactions but no comparison"
            )
            sentence += f" The streak starts after {self.streak.broken_on}, which {cause}."
        return sentence


def build_signoff(
    comparisons: Iterable[DayComparison],
    *,
    start: date,
    end: date,
    resolutions: Iterable[Resolution] = (),
    required_streak: int = DEFAULT_REQUIRED_STREAK,
    calendar: BusinessCalendar | None = None,
) -> SignoffReport:
    """The sign-off over `start`–`end` (inclusive); comparisons outside the range are ignored."""
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    calendar = calendar or BusinessCalendar()
    by_date: dict[date, DayComparison] = {}
    for given in comparisons:
        if start <= given.business_date <= end:
            if given.business_date in by_date:
                raise ValueError(f"two comparisons for {given.business_date}")
            by_date[given.business_date] = given
    notes: dict[tuple[date, str], Resolution] = {}
    for resolution in resolutions:
        notes[(resolution.business_date, resolution.field)] = resolution  # the last note recorded wins

    days: list[SignoffDay] = []
    used: set[tuple[date, str]] = set()
    day = start
    while day <= end:
        comparison = by_date.get(day)
        outcome = _outcome(day, comparison, calendar)
        if outcome is not None:
            found = []
            for name, count in sorted((comparison.discrepancies if comparison else {}).items()):
                if count:
                    found.append(Discrepancy(name, count, notes.get((day, name))))
                    used.add((day, name))
            comparison_id = comparison.comparison_id if comparison else None
            days.append(SignoffDay(day, outcome, comparison_id, calendar.holiday(day), tuple(found)))
        day += timedelta(days=1)

    records = [DayRecord(c.business_date, c.has_transactions, c.passed) for c in by_date.values()]
    streak = parity_streak(records, end, calendar)
    unmatched = tuple(r for key, r in sorted(notes.items()) if key not in used)
    return SignoffReport(start, end, tuple(days), streak, required_streak, unmatched)


def _outcome(day: date, comparison: DayComparison | None, calendar: BusinessCalendar) -> DayOutcome | None:
    if day.weekday() >= 5:
        return "weekend" if comparison is not None else None
    if calendar.holiday(day) is not None:
        return "holiday"
    if comparison is None:
        return "no_transactions"
    if comparison.passed is False:
        return "failed"
    if comparison.has_transactions:
        return "passed" if comparison.passed else "missing_comparison"
    return "no_transactions"


def _note(resolution: Resolution | None) -> str:
    if resolution is None:
        return ""
    return resolution.note + (f" ({resolution.resolved_by})" if resolution.resolved_by else "")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _resolution_data(resolution: Resolution) -> dict[str, str | None]:
    return {
        "business_date": resolution.business_date.isoformat(),
        "field": resolution.field,
        "note": resolution.note,
        "resolved_by": resolution.resolved_by,
    }


def _discrepancy_data(discrepancy: Discrepancy) -> dict[str, object]:
    resolution = discrepancy.resolution
    return {
        "field": discrepancy.field,
        "count": discrepancy.count,
        "resolution": None if resolution is None else resolution.note,
        "resolved_by": None if resolution is None else resolution.resolved_by,
    }


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Parity sign-off {{ report.start }} to {{ report.end }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.failed,.missing_comparison{color:#b42318}.passed{color:#1a7f37}
</style></head><body>
<h1>Parity sign-off, {{ report.start }} to {{ report.end }}</h1>
<p>{{ sentence }}</p>
<table><tr><th>outcome</th><th>days</th></tr>
{% for outcome, count in counts.items() %}
<tr><td>{{ outcome | replace('_', ' ') }}</td><td>{{ count }}</td></tr>
{% endfor %}</table>
<h2>Days</h2>
<table><tr><th>date</th><th>outcome</th><th>discrepancies</th><th>resolution</th></tr>
{% for day in report.days %}
<tr><td>{{ day.business_date }} ({{ day.business_date.strftime('%a') }})</td>
<td class="{{ day.outcome }}">{{ day.outcome | replace('_', ' ') }}
{%- if day.holiday %}: {{ day.holiday }}{% endif %}</td>
<td>{% for d in day.discrepancies %}{{ d.field }} × {{ d.count }}
{%- if not loop.last %}<br>{% endif %}{% endfor %}</td>
<td>{% for d in day.discrepancies if d.resolution %}{{ d.field }}: {{ d.resolution.note }}
{%- if d.resolution.resolved_by %} ({{ d.resolution.resolved_by }}){% endif %}
{%- if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}</table>
<h2>Unresolved discrepancies</h2>
{% if unresolved %}<ul>
{% for when, d in unresolved %}<li>{{ when }} {{ d.field }} × {{ d.count }}</li>{% endfor %}
</ul>{% else %}<p>None.</p>{% endif %}
{% if report.unmatched_resolutions %}<h2>Resolutions that match no discrepancy</h2><ul>
{% for r in report.unmatched_resolutions %}
<li>{{ r.business_date }} {{ r.field }}: {{ r.note }}</li>{% endfor %}
</ul>{% endif %}
</body></html>
"""
