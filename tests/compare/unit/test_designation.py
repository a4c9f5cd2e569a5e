"""Which run is official for a date: shadow, cutover, and the manual fallback when SAP is down."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ior_compare.domain.cutover import GateState, request_cutover
from ior_compare.domain.designation import designate_official_run
from ior_contracts.cutover import OfficialRunDesignated

CUTOVER = request_cutover(
    GateState(), streak=12, effective_date=date(2026, 4, 20), reason="Parity reached", actor="admin",
    request_id="chg-req-1", at=datetime(2026, 4, 17, tzinfo=UTC),
)  # fmt: skip
MANUAL, AUTOMATED = "cus-manual-1", "cus-automated-1"


def test_in_shadow_the_manual_run_is_official() -> None:
    run = designate_official_run(
        date(2026, 4, 17), changes=[CUTOVER], manual_run_id=MANUAL, automated_run_id=AUTOMATED
    )
    assert (run.state, run.official_mode, run.run_id, run.incomplete) == ("shadow", "manual", MANUAL, False)


def test_in_shadow_an_automated_run_alone_is_not_official() -> None:
    run = designate_official_run(
        date(2026, 4, 17), changes=[], manual_run_id=None, automated_run_id=AUTOMATED
    )
    assert (run.official_mode, run.run_id) == ("manual", None)


def test_from_the_effective_date_the_automated_run_is_official() -> None:
    run = designate_official_run(
        date(2026, 4, 20), changes=[CUTOVER], manual_run_id=MANUAL, automated_run_id=AUTOMATED
    )
    assert (run.state, run.official_mode, run.run_id, run.incomplete) == (
        "cutover",
        "automated",
        AUTOMATED,
        False,
    )


def test_after_cutover_a_day_with_only_manual_lines_uses_them_marked_incomplete() -> None:
    """GIVEN cutover since 2026-04-20 WHEN SAP is down on 2026-04-21
    THEN the manual run is official, marked incomplete."""
    run = designate_official_run(
        date(2026, 4, 21), changes=[CUTOVER], manual_run_id=MANUAL, automated_run_id=None
    )
    assert (run.state, run.official_mode, run.run_id, run.incomplete) == ("cutover", "manual", MANUAL, True)
    assert "no automated run" in run.reason
    event = OfficialRunDesignated.model_validate(run.event_data())
    assert (event.incomplete, event.official_mode) == (True, "manual")


def test_a_date_with_no_run_has_no_official_run() -> None:
    run = designate_official_run(
        date(2026, 4, 21), changes=[CUTOVER], manual_run_id=None, automated_run_id=None
    )
    assert (run.official_mode, run.run_id, run.incomplete) == ("automated", None, False)
