"""`ior run --date D` on a fresh stack brings every line arriving on D, however long before it was
billed: billing is extracted by arrival, and the exchange rates from a week before the earliest
billing date that landed. The sample here bills every document two weeks before it ships, so no
line is billed within the extracts' 7-day look-back of its arrival. A package of its own: its stack
must never run beside another (the services' consumers are process-wide)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from ior_contracts.datasets import TRANSACTIONS
from ior_tools.runtime.stack import LocalStack
from ior_tools.sample import generate

from tests.ops.conftest import FAST_SAP, ior
from tests.support.stack import sample_company_stack, stack_fixture

LOOKBACK = timedelta(days=7)
LINES = 1000
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def lagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lagged")
    generate(out, seed=7, days=1, lines_per_day=LINES, billing_lag_days=14, fiscal_year_boundary=False)
    return out


@stack_fixture(scope="module")
def lagged_stack(tmp_path_factory: pytest.TempPathFactory, lagged: Path) -> Iterator[LocalStack]:
    with sample_company_stack(tmp_path_factory.mktemp("ior-home"), lagged, FAST_SAP) as running:
        yield running


@pytest.fixture(scope="module")
def day(lagged: Path) -> date:
    (only,) = json.loads((lagged / "manifest.json").read_text())["business_dates"]
    return date.fromisoformat(only)


@pytest.fixture(scope="module")
def ran(lagged_stack: LocalStack, lagged: Path, day: date) -> Any:
    return ior("run", "--date", day.isoformat(), "--legacy", str(lagged / "legacy"), "--wait", "300")


def _events(stack: LocalStack, detail_type: str) -> list[dict[str, Any]]:
    return [e.event["detail"]["data"] for e in stack.event_log.window() if e.detail_type == detail_type]


def test_the_sample_bills_every_line_before_the_look_back(lagged: Path, day: date) -> None:
    rows = [json.loads(line) for line in (lagged / "sap" / "ZSDR002.jsonl").read_text().splitlines()]
    assert len(rows) == LINES
    assert all(date.fromisoformat(r["ZZARRIVAL"]) == day for r in rows)
    assert max(date.fromisoformat(r["FKDAT"]) for r in rows) < day - LOOKBACK


def test_every_billing_line_arriving_on_the_date_lands(ran: Any, lagged_stack: LocalStack, day: date) -> None:
    assert ran.exit_code == 0, ran.output
    (billing,) = [d for d in _events(lagged_stack, "ingestion.extract.landed.v1") if d["source"] == "ZSDR002"]
    assert billing["extract"]["row_count"] == LINES
    automated = [
        d for d in _events(lagged_stack, "etl.dataset.published.v1")
        if d["dataset"] == TRANSACTIONS.name and d["mode"] == "automated"
    ]  # fmt: skip
    assert automated[-1]["snapshot"]["row_count"] == LINES
    assert automated[-1]["business_dates"] == [day.isoformat()]


def test_the_rates_of_the_billing_dates_land_with_them(ran: Any, lagged_stack: LocalStack, day: date) -> None:
    (rates,) = [d for d in _events(lagged_stack, "ingestion.extract.landed.v1") if d["source"] == "ZEMM07"]
    assert date.fromisoformat(rates["window"]["from_date"]) < day - LOOKBACK - timedelta(days=14)
    quarantined = _events(lagged_stack, "customs.lines.quarantined.v1")
    reasons = {r["reason"] for q in quarantined if q["mode"] == "automated" for r in q["reasons"]}
    assert "no_exchange_rate" not in reasons


def test_the_comparison_finds_nothing_missing_or_extra(ran: Any, lagged_stack: LocalStack, day: date) -> None:
    # The last comparison of the date: the one `ior run` asked for, once both paths had run.
    completed = _events(lagged_stack, "compare.comparison.completed.v1")[-1]
    assert completed["business_date"] == day.isoformat()
    lines, entries = completed["counts"]["lines"], completed["counts"]["entries"]
    assert lines["match"] > 0
    assert (lines["missing"], lines["extra"], entries["missing"], entries["extra"]) == (0, 0, 0, 0)


def test_a_date_whose_csvs_the_upload_check_refuses_runs_on_the_automated_path_and_says_why(
    ran: Any, lagged_stack: LocalStack, lagged: Path, day: date, tmp_path: Path
) -> None:
    # GIVEN the analysts' CSVs of the date with a quantity that is no number on row 2
    legacy = tmp_path / "legacy"
    shutil.copytree(lagged / "legacy", legacy)
    invoices = legacy / day.isoformat() / "Invoice_Lines.csv"
    lines = invoices.read_bytes().split(b"\r\n")
    cells = lines[1].split(b",")
    cells[7] = b"lots"  # Quantity
    lines[1] = b",".join(cells)
    invoices.write_bytes(b"\r\n".join(lines))
    # WHEN the date is run again
    again = ior("run", "--date", day.isoformat(), "--legacy", str(legacy), "--wait", "300")
    # THEN nothing of the bundle is stored, the refusal names the row, and the date is still reported
    assert again.exit_code == 0, again.output
    assert "manual CSVs refused, nothing stored: Invoice_Lines.csv row 2, column Quantity" in again.output
    assert "refused" in again.output
