"""`ior cutover` and `ior parity-report` against the running local stack, mounted on a small app
as `ior` mounts them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import typer
from ior_tools.cli import common, cutover, parity
from ior_tools.runtime.stack import LocalStack
from typer.testing import CliRunner, Result

from tests.compare.documents import document, with_line_change
from tests.compare.stack.conftest import answer_to, publish_run

app = typer.Typer()
app.add_typer(cutover.app, name="cutover")
app.command("parity-report")(parity.parity_report)


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whole sentences on one line, so they can be looked for.
    for console in (common.console, common.err):
        monkeypatch.setattr(console, "_width", 300)


def ior(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_cutover_asks_the_gate_and_prints_its_answer_or_its_refusal(stack: LocalStack) -> None:
    # GIVEN the gate in shadow
    shown = ior("cutover", "status")
    assert shown.exit_code == 0, shown.output
    assert re.search(r"state\s+│\s+shadow", shown.output)
    # WHEN a cutover is asked for below the streak, it is refused, with why
    refused = ior(
        "cutover", "cutover", "--effective-date", "2026-05-04", "--reason", "parity reached", "--as", "lead"
    )
    assert refused.exit_code == 1
    assert re.search(
        r"refused: cutover refused: parity streak of \d business day\(s\), 2 required", refused.output
    )
    # WHEN it is forced, the change is printed as announced
    forced = ior(
        "cutover", "cutover", "--effective-date", "2026-05-04", "--reason", "sign-off by compliance",
        "--force", "--as", "lead",
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output
    assert "shadow → cutover from 2026-05-04" in forced.output
    assert "forced; by lead: sign-off by compliance" in forced.output
    # THEN the status shows the state, the last change and the last refusal
    shown = ior("cutover", "status")
    assert re.search(r"state\s+│\s+cutover from 2026-05-04", shown.output)
    assert re.search(r"last change\s+│\s+cutover-\w+: cutover from 2026-05-04 .* lead, forced", shown.output)
    assert re.search(r"last refusal\s+│\s+cutover from 2026-05-04 .* by lead", shown.output)
    # AND one command rolls it back
    back = ior("cutover", "rollback", "--reason", "automated lines late", "--effective-date", "2026-05-06")
    assert back.exit_code == 0, back.output
    assert "cutover → shadow from 2026-05-06" in back.output


def test_parity_report_writes_the_signoff_with_resolutions(stack: LocalStack, tmp_path: Path) -> None:
    # GIVEN a date whose automated duty on line 5 is $5 higher than the manual one
    day = date(2026, 4, 7)
    sent = [
        publish_run(stack, day, "manual").event_id,
        publish_run(stack, day, "automated", with_line_change(document(day), 5, duty="2231.00")).event_id,
    ]
    answer_to(stack, sent, "compare.comparison.completed.v1")
    notes = tmp_path / "resolutions.yaml"
    notes.write_text(
        "- {business_date: 2026-04-07, field: duty, note: FX rate date fixed, resolved_by: analyst}\n"
    )
    # WHEN the sign-off report is asked for
    out = tmp_path / "signoff.md"
    made = ior(
        "parity-report",
        "--from",
        "2026-04-06",
        "--to",
        "2026-04-10",
        "--out",
        str(out),
        "--resolutions",
        str(notes),
    )
    assert made.exit_code == 0, made.output
    # THEN it is written as Markdown and HTML, with the day, its discrepancy and its resolution
    markdown = out.read_text()
    assert "| 2026-04-07 (Tue) | failed | duty × 1 | duty: FX rate date fixed (analyst) |" in markdown
    assert "| 2026-04-10 (Fri) | no transactions |  |  |" in markdown
    assert "FX rate date fixed" in out.with_suffix(".html").read_text()
    assert "0 unresolved discrepancies" in made.output
