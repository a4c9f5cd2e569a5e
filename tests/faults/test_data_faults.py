"""Bad data, end to end on both paths: the generator breaks some billing lines (an invalid quantity,
an invalid billing date, an unknown currency), adds lines for materials the master data does not
know, and drops a currency's exchange rates for a week, in the SAP extracts and the analysts' CSVs
alike. Everything else is the fault-free run's data.

Expected: each broken line is set aside with its reason and surfaces as its alert — malformed rows
as the ETL's quarantine alert (on the manual path a malformed cell the upload check can see is
refused there, with its row and rule, and the analysts upload the day without it), unknown
materials and missing rates as customs' quarantine alert — and every other invoice line reaches the
customs lines exactly as in the fault-free run: none lost, none counted twice; entries that hold no
faulted line are unchanged line for line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from ior_tools.sample import Faults, Manifest, MissingRate
from ior_tools.sample.exchange_rates import RATE_WINDOW_DAYS

from tests.faults.drive import (
    FAST_SAP,
    RefusedRow,
    await_extracts,
    request_extracts,
    settle,
    small_company,
    upload_days,
)
from tests.faults.outcome import MODES, Outcome, RunLines, Source, duplicate_runs, new_alerts, read_outcome
from tests.support.stack import running_stack, stack_fixture

# One malformed row a day (a dataset with more than 1 % of its rows rejected is held whole), an
# unknown material a day, and the EUR rates of the week up to 2026-03-05, a billing date of the
# second business day's EUR invoices.
FAULTS = Faults(
    malformed_rows=2,
    unknown_materials=2,
    missing_rates=(MissingRate("EUR", date(2026, 3, 5)),),
)
ROWS_QUARANTINED = "etl.rows.quarantined.v1"
LINES_QUARANTINED = "customs.lines.quarantined.v1"
ETL_ALERT = re.compile(r"^(\d+) of \d+ rows of transactions \((\w+)\) quarantined$")


@dataclass(frozen=True)
class Injected:
    """The manifest's account of the injected faults, per business date."""

    rejected: dict[date, dict[Source, str]]  # by the ETL: malformed rows and their rule
    quarantined: dict[date, dict[Source, str]]  # by customs: unknown materials, missing rates
    rate_dependent: frozenset[Source]  # priced in the dropped currency near the dropped week

    def faulted(self, day: date) -> set[Source]:
        return set(self.rejected.get(day, {})) | set(self.quarantined.get(day, {}))


def injected(sample: Path) -> Injected:
    manifest = Manifest.model_validate_json((sample / "manifest.json").read_text(encoding="utf-8"))
    rejected: dict[date, dict[Source, str]] = {}
    quarantined: dict[date, dict[Source, str]] = {}
    for row in manifest.faults.malformed_rows:
        source = (row.key["VBELN"], int(row.key["POSNR"]))
        rejected.setdefault(row.business_date, {})[source] = str(row.expected["rule"])
    for line in manifest.faults.unknown_materials:
        source = (line.key["VBELN"], int(line.key["POSNR"]))
        quarantined.setdefault(line.business_date, {})[source] = "unknown_material"
    for dropped in manifest.faults.missing_rates:
        for affected in dropped.affected:
            quarantined.setdefault(affected.business_date, {})[affected.document, affected.item] = (
                affected.reason
            )
    return Injected(rejected, quarantined, _rate_dependent(sample, FAULTS.missing_rates))


def _rate_dependent(sample: Path, missing: tuple[MissingRate, ...]) -> frozenset[Source]:
    """Invoice lines whose rate a dropped week can move (an older rate within the window takes over)."""
    found: set[Source] = set()
    for text in (sample / "sap" / "ZSDR002.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(text)
        billed = date.fromisoformat(row["FKDAT"]) if row["FKDAT"][:4] != "0000" else None
        for rate in missing:
            first, last = rate.dropped_window
            if (
                row["WAERK"] == rate.currency
                and billed
                and first <= billed <= last + timedelta(RATE_WINDOW_DAYS)
            ):
                found.add((row["VBELN"], int(row["POSNR"])))
    return frozenset(found)


@dataclass(frozen=True)
class BadData:
    days: list[date]
    injected: Injected
    outcome: Outcome
    refused: list[RefusedRow]  # the manual path's rows the upload check refused


@stack_fixture(scope="module")
def bad_data(tmp_path_factory: pytest.TempPathFactory, baseline: Outcome) -> Iterator[BadData]:
    sample = tmp_path_factory.mktemp("bad-data")
    days = small_company(sample, FAULTS)
    with running_stack(tmp_path_factory.mktemp("ior-home"), env=FAST_SAP, sap_data=sample / "sap") as stack:
        await_extracts(stack, request_extracts(stack))
        refused = upload_days(stack, sample, days)
        settle(stack)
        yield BadData(days, injected(sample), read_outcome(stack, days), refused)


def _untouched_entries(run: RunLines, touched: set[Source]) -> set[str]:
    """Entries of the fault-free run none of whose lines came from a touched invoice line."""
    entries = {entry for entry, _ in run.lines}
    hit = {entry for (entry, _), sources in run.line_sources.items() if touched & set(sources)}
    return entries - hit


def test_the_faults_were_injected(bad_data: BadData) -> None:
    for day in bad_data.days:
        assert bad_data.injected.faulted(day)
    assert any(
        reason == "no_exchange_rate" for q in bad_data.injected.quarantined.values() for reason in q.values()
    )


@pytest.mark.parametrize("mode", MODES)
def test_no_invoice_line_is_lost_or_counted_twice(bad_data: BadData, baseline: Outcome, mode: str) -> None:
    for day in bad_data.days:
        expected, actual = baseline.runs[day, mode], bad_data.outcome.runs[day, mode]
        faulted = bad_data.injected.faulted(day)
        lost = {s for s in expected.sources if s not in faulted and actual.sources[s] == 0}
        recounted = {s: n for s, n in actual.sources.items() if n != expected.sources.get(s, n)}
        in_lines = faulted & set(actual.sources)
        assert (lost, recounted, in_lines, actual.repeated_keys) == (set(), {}, set(), ()), (day, mode)
    assert duplicate_runs(bad_data.outcome) == []


@pytest.mark.parametrize("mode", MODES)
def test_entries_without_a_faulted_line_are_unchanged(
    bad_data: BadData, baseline: Outcome, mode: str
) -> None:
    for day in bad_data.days:
        expected, actual = baseline.runs[day, mode], bad_data.outcome.runs[day, mode]
        touched = bad_data.injected.faulted(day) | bad_data.injected.rate_dependent
        untouched = _untouched_entries(expected, touched)
        assert untouched, day
        same = {k: v for k, v in expected.lines.items() if k[0] in untouched}
        assert {k: actual.lines.get(k) for k in same} == same, (day, mode)


@pytest.mark.parametrize("mode", MODES)
def test_unknown_materials_and_missing_rates_are_quarantined_with_their_reason(
    bad_data: BadData, mode: str
) -> None:
    for day in bad_data.days:
        wanted = set(bad_data.injected.quarantined.get(day, {}).items())
        assert wanted <= bad_data.outcome.runs[day, mode].quarantined, (day, mode)


def _refused(bad_data: BadData, mode: str) -> set[tuple[date, str, int, str]]:
    """The rows the upload check refused: on the manual path only, where the analysts upload."""
    return {(r.day, r.document, r.item, r.rule) for r in bad_data.refused} if mode == "manual" else set()


def test_the_upload_check_refuses_each_malformed_cell_it_can_see_with_its_rule(bad_data: BadData) -> None:
    # A quantity or a billing date is checked at upload; a currency code only by the ETL's rules.
    at_upload = {
        (day, document, item, rule)
        for day, rejected in bad_data.injected.rejected.items()
        for (document, item), rule in rejected.items()
        if rule in ("invalid_quantity", "invalid_billing_date")
    }
    assert at_upload
    assert _refused(bad_data, "manual") == at_upload


@pytest.mark.parametrize("mode", MODES)
def test_malformed_rows_are_set_aside_by_the_etl_or_the_upload_check_with_their_rule(
    bad_data: BadData, mode: str
) -> None:
    rows = bad_data.outcome.rejected_rows.get(mode, [])
    refused = _refused(bad_data, mode)
    missing = [
        (day, document, item, rule)
        for day, rejected in bad_data.injected.rejected.items()
        for (document, item), rule in rejected.items()
        if not any(document in row and rule in row for row in rows)
        and (day, document, item, rule) not in refused
    ]
    assert missing == [], f"malformed rows in the lines, not set aside: {missing}"


@pytest.mark.parametrize("mode", MODES)
def test_malformed_rows_the_etl_sees_surface_as_its_quarantine_alert(
    bad_data: BadData, baseline: Outcome, mode: str
) -> None:
    extra = new_alerts(baseline, bad_data.outcome)
    found = [ETL_ALERT.match(what) for kind, what in extra.elements() if kind == ROWS_QUARANTINED]
    counted = sum(int(m.group(1)) for m in found if m and m.group(2) == mode)
    injected = sum(len(r) for r in bad_data.injected.rejected.values())
    assert counted == injected - len(_refused(bad_data, mode))


@pytest.mark.parametrize("mode", MODES)
def test_quarantined_lines_surface_as_the_customs_quarantine_alert(bad_data: BadData, mode: str) -> None:
    for day in bad_data.days:
        run = bad_data.outcome.runs[day, mode]
        text = f"{len(run.quarantined)} invoice line(s) of {day} ({mode}) quarantined"
        assert (LINES_QUARANTINED, text) in bad_data.outcome.alerts, text


def test_no_alert_but_the_faults_own(bad_data: BadData, baseline: Outcome) -> None:
    """Bad lines change the comparison of their date too, so its discrepancy alert may differ."""
    extra = new_alerts(baseline, bad_data.outcome)
    assert {kind for kind, _ in extra} <= {
        ROWS_QUARANTINED,
        LINES_QUARANTINED,
        "compare.discrepancy.detected.v1",
    }
