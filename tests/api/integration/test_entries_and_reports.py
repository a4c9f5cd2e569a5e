"""`GET /api/entries/{id}` with its lineage, `GET /api/daily-totals`, and the audit reports."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from ior_api.domain.projections import project
from ior_api.service_layer.reports import INLINE_BYTES
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


@pytest.mark.parametrize("extra", [0, 1], ids=["at the limit", "over it"])
def test_a_report_larger_than_the_function_may_answer_with_is_linked_not_sent(
    operator: Api, extra: int
) -> None:
    seed_reports(operator)
    # GIVEN a comparison whose report.json is at or just over what the function may answer with
    uri = examples.load(COMPLETED)["detail"]["data"]["report_uri"]
    audit = operator.services.settings.audit
    key = uri.removeprefix(f"s3://{audit}/")
    body = b" " * (INLINE_BYTES + extra)
    operator.s3.put_object(Bucket=audit, Key=key, Body=body, ContentType="application/json")
    # WHEN it is asked for
    answer = operator.client.get(_stored_comparison(operator), follow_redirects=False)
    if not extra:
        # THEN at the limit it is sent whole
        assert (answer.status_code, len(answer.content)) == (200, len(body))
        return
    # THEN over it the answer is a short-lived link to the very object, its signature kept from other sites
    assert (answer.status_code, answer.content) == (307, b"")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    link = urlsplit(answer.headers["location"])
    assert link.path == f"/{audit}/{key}" or (link.netloc.startswith(f"{audit}.") and link.path == f"/{key}")
    query = parse_qs(link.query)
    # signed with SigV4 (S3 refuses SigV2 for buckets made since 2020), for five minutes
    assert (query["X-Amz-Algorithm"], query["X-Amz-Expires"]) == (["AWS4-HMAC-SHA256"], ["300"])
    assert "X-Amz-Signature" in query


def test_a_linked_html_report_is_downloaded_not_shown_from_the_buckets_origin(operator: Api) -> None:
    seed_reports(operator)
    # GIVEN a comparison whose HTML page is over what the function may answer with
    uri = examples.load(COMPLETED)["detail"]["data"]["report_html_uri"]
    audit = operator.services.settings.audit
    body = b"<!doctype html>" + b" " * INLINE_BYTES
    key = uri.removeprefix(f"s3://{audit}/")
    operator.s3.put_object(Bucket=audit, Key=key, Body=body, ContentType="text/html; charset=utf-8")
    # WHEN it is asked for THEN the link makes S3 answer with it as an attachment
    path = _stored_comparison(operator).replace("report.json", "report.html")
    answer = operator.client.get(path, follow_redirects=False)
    assert answer.status_code == 307
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["response-content-disposition"] == ['attachment; filename="report.html"']


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
            reports.read(uri, max_bytes=1024)
