"""`ior fees add` and `ior fees list` on the local stack: a fiscal year recorded through the admin path
is taken into the fee table and listed with its citation; a notice leaving a gap is sent and refused
with its reason; a notice the table would refuse on its own, or without a citation, is not sent.

No notice for a fiscal year after FY2026 could be found here: every figure recorded in these tests is
test data with a fictitious citation, never a cited CBP figure."""

from __future__ import annotations

from datetime import date

from ior_contracts.fees import fiscal_year_period

from tests.ops.conftest import ior

TEST_CITATION = "TEST ONLY - fictitious notice, not a Federal Register citation"


def add(fiscal_year: int, *extra: str) -> object:
    return ior(
        "fees", "add", "--fiscal-year", str(fiscal_year), "--mpf-rate", "0.003464", "--mpf-min", "34.00",
        "--mpf-max", "660.00", "--hmf-rate", "0.00125", "--citation", TEST_CITATION, "--by", "test-admin",
        "--wait", "60", *extra,
    )  # fmt: skip


def record_test_years(through: date) -> None:
    """Every fiscal year after FY2026 up to the one holding `through`, with test figures."""
    year = 2027
    while fiscal_year_period(year)[0] <= through:
        recorded = add(year)
        assert recorded.exit_code == 0, recorded.output  # type: ignore[attr-defined]
        year += 1


def test_a_fiscal_year_recorded_by_an_admin_is_taken_and_listed(stack: object) -> None:
    ingested = ior("ingest", "--source", "CBP_FEES", "--wait", "60")
    assert ingested.exit_code == 0, ingested.output
    recorded = add(2027)
    assert recorded.exit_code == 0, recorded.output
    assert "taken" in recorded.output
    assert "covers until 2027-09-30" in recorded.output
    listed = ior("fees", "list")
    assert listed.exit_code == 0, listed.output
    assert "FY2027" in listed.output
    assert TEST_CITATION in listed.output
    assert "90 FR 34665" in listed.output  # the shipped FY2026 row, as cited
    assert "test-admin" in listed.output


def test_a_notice_that_leaves_a_gap_is_refused_with_its_reason(stack: object) -> None:
    refused = add(2030)
    assert refused.exit_code == 1
    assert "refused (leaves_a_gap)" in refused.output
    assert "record that fiscal year first" in refused.output


def test_a_notice_the_table_would_refuse_on_its_own_is_not_sent(stack: object) -> None:
    result = ior(
        "fees", "add", "--fiscal-year", "2027", "--mpf-rate", "0.003464", "--mpf-min", "700.00",
        "--mpf-max", "660.00", "--hmf-rate", "0.00125", "--citation", TEST_CITATION,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not sent" in result.output
    assert "MPF minimum 700.00 is above its maximum 660.00" in result.output


def test_a_notice_without_a_citation_breaks_its_contract_and_is_not_sent(stack: object) -> None:
    result = ior(
        "fees", "add", "--fiscal-year", "2027", "--mpf-rate", "0.003464", "--mpf-min", "34.00",
        "--mpf-max", "660.00", "--hmf-rate", "0.00125", "--citation", " ",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "data.citation" in result.output


def test_recording_a_year_again_corrects_it_and_the_earlier_notice_is_superseded(stack: object) -> None:
    assert add(2027).exit_code == 0  # type: ignore[attr-defined]
    corrected = add(2027, "--mpf-max", "661.00")
    assert corrected.exit_code == 0, corrected.output  # type: ignore[attr-defined]
    assert "taken" in corrected.output  # type: ignore[attr-defined]
    listed = ior("fees", "list")
    row = next(line for line in listed.output.splitlines() if "FY2027" in line and "│" in line)
    assert "661" in row
    assert "not taken FY2027 (superseded)" in listed.output
