"""`GET /api/entries/{id}` with its lineage, `GET /api/daily-totals`, and the audit reports."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
from ior_api.domain.projections import project
from ior_contracts import examples
from ior_contracts.compare import ComparisonCompleted
from ior_contracts.envelope import Envelope

from tests.api.conftest import LINES_DOCUMENT, RUN_DATE, Api, seed_lines, seed_reports

COMPLETED = "compare.comparison.completed.v1"

ENTRY = "2704-20260316-SH0001"


@pytest.fixture
def operator(api: Api) -> Api:
    seed_lines(api)
    api.use(*api.session("otto", "operator")[:2])
    return api


def test_an_entry_comes_with_its_lines_sources_and_run(operator: Api) -> None:
    shown = operator.client.get(f"/api/entries/{ENTRY}").json()
    assert shown["business_date"] == RUN_DATE
    assert shown["mode"] == "automated"
    filed = LINES_DOCUMENT["entries"][0]
    # Every field as the run filed it; a line's absent rates, duties and lineage are served empty, and
    # its materials are its sources' materials, each once.
    assert {k: v for k, v in shown["entry"].items() if k != "lines"} == {
        k: v for k, v in filed.items() if k != "lines"
    }
    for line, filed_line in zip(shown["entry"]["lines"], filed["lines"], strict=True):
        served_empty = {"rates": {}, "duties": {}, "lineage": {"datasets": {}, "provisions": {}}}
        assert line == filed_line | served_empty | {"materials": sorted(set(filed_line["source_materials"]))}
    assert [(line["sources"], line["source_materials"]) for line in shown["entry"]["lines"]] == [
        ([["90010000", "000010"]], ["10000001"]),
        ([["90010001", "000010"]], ["10000006"]),
    ]


def test_an_unknown_entry_or_date_is_a_404(operator: Api) -> None:
    assert operator.client.get("/api/entries/2704-20260316-NOPE").status_code == 404
    assert operator.client.get("/api/entries/2704-20260317-SH0001").status_code == 404
    assert operator.client.get("/api/entries/2704-20261399-SH0001").status_code == 404
    assert operator.client.get("/api/entries/not-an-entry").status_code == 422


def test_daily_totals_list_each_run_in_range(operator: Api) -> None:
    event = seed_lines(operator)
    totals = event["data"]["totals"]
    (day,) = operator.client.get(f"/api/daily-totals?from={RUN_DATE}&to={RUN_DATE}").json()
    assert day == {
        "business_date": RUN_DATE,
        "mode": "automated",
        "entries": totals["entries"],
        "lines": totals["lines"],
        "value_cents": totals["entered_value_cents"],
        "duty_cents": totals["duty_cents"],
        "mpf_cents": totals["mpf_cents"],
        "hmf_cents": totals["hmf_cents"],
    }
    assert operator.client.get("/api/daily-totals?from=2026-03-17&to=2026-03-20").json() == []
    assert operator.client.get("/api/daily-totals?from=2026-03-20&to=2026-03-17").json() == []
    assert operator.client.get("/api/daily-totals?from=0").status_code == 422


def test_reports_are_served_with_a_policy_that_runs_no_script(operator: Api) -> None:
    seed_reports(operator)
    html = operator.client.get(f"/api/audit/customs-runs/{RUN_DATE}/automated/report.html")
    assert html.status_code == 200
    assert html.text.startswith("<!doctype html>")
    assert "default-src 'none'" in html.headers["content-security-policy"]
    data = operator.client.get(f"/api/audit/customs-runs/{RUN_DATE}/automated/report.json")
    assert data.json() == {"report": True}
    assert operator.client.get("/api/audit/customs-runs/2026-03-17/automated/report.json").status_code == 404
    assert operator.client.get(f"/api/audit/customs-runs/{RUN_DATE}/automated/secrets.txt").status_code == 422


def _stored_comparison(api: Api) -> str:
    """The example comparison in the read models: its report's path."""
    example = Envelope[ComparisonCompleted].model_validate(examples.load(COMPLETED)["detail"])
    for write in project(example.data, example.metadata):
        api.services.readmodels.put(write.pk, write.sk, write.body)
    return f"/api/audit/comparisons/{example.data.comparison_id}/report.json"


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ("customs.lines.generated.v1", lambda _: f"/api/audit/customs-runs/{RUN_DATE}/automated/report.json"),
        (COMPLETED, _stored_comparison),
    ],
    ids=["customs run", "comparison"],
)
def test_a_report_stored_gzip_is_served_gzip_and_read_as_json(
    operator: Api, event: str, path: Callable[[Api], str]
) -> None:
    seed_reports(operator)
    # GIVEN the report.json as the customs and compare services store it: gzip, with its encoding
    uri = examples.load(event)["detail"]["data"]["report_uri"]
    audit = operator.services.settings.audit
    body = gzip.compress(b'{"report": "gzip"}', mtime=0)
    operator.s3.put_object(
        Bucket=audit, Key=uri.removeprefix(f"s3://{audit}/"), Body=body,
        ContentType="application/json", ContentEncoding="gzip",
    )  # fmt: skip
    # WHEN it is asked for THEN it goes out as stored, and the client reads JSON
    data = operator.client.get(path(operator))
    assert data.headers["content-encoding"] == "gzip"
    assert data.json() == {"report": "gzip"}


def test_a_report_outside_the_report_prefixes_is_never_read(operator: Api) -> None:
    from ior_api.adapters.audit import AuditReports
    from ior_api.ports import ReportNotFoundError

    reports = AuditReports(operator.s3, operator.services.settings.audit)
    for uri in (
        f"s3://{operator.services.settings.audit}/ingestion/runs/x.json",
        f"s3://{operator.services.settings.data}/customs/report.html",
        f"s3://{operator.services.settings.audit}/customs/../ingestion/x.json",
    ):
        with pytest.raises(ReportNotFoundError):
            reports.read(uri)
