"""`GET /api/audit/…`: the immutable reports (customs runs, comparisons), only with a valid session.
The URIs come from the events the API projected; HTML is served under a policy that runs no script."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from ior_contracts.compare_report import ComparisonReport

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.schemas import ComparisonIdPath, IsoDate, Message
from ior_api.service_layer import reports
from ior_api.service_layer.reports import Report, ReportName

router = APIRouter(prefix="/audit", tags=["audit"])

REPORT = {
    200: {
        "content": {
            "text/html": {"schema": {"type": "string"}},
            # The immutable report exactly as the service that made it stored it, under its own
            # `schema_version`: the API passes its bytes through, unread.
            "application/json": {},
        },
        "description": "The report.",
    },
    404: {"model": Message},
}
# A comparison's report.json is the compare service's `compare-report/1`: described by its contract
# (the compare service's tests hold its output to it), served unread.
COMPARISON_REPORT = {
    **REPORT,
    200: {
        "model": ComparisonReport,
        "content": {"text/html": {"schema": {"type": "string"}}},
        "description": "The comparison's report: `report.json` as `compare-report/1`, or its HTML page.",
    },
}
# A report is data: no script, no frames, no outside resources; its own inline styles only.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


@router.get("/comparisons/{comparison_id}/{name}", response_class=Response, responses=COMPARISON_REPORT)  # type: ignore[arg-type]
def comparison_report(
    comparison_id: ComparisonIdPath,
    name: ReportName,
    _: CurrentUser,
    services: ServicesDep,
) -> Response:
    return _served(reports.comparison_report(services, comparison_id, name), name)


@router.get("/customs-runs/{business_date}/{mode}/{name}", response_class=Response, responses=REPORT)  # type: ignore[arg-type]
def customs_run_report(
    business_date: IsoDate,
    mode: Literal["automated", "manual"],
    name: ReportName,
    _: CurrentUser,
    services: ServicesDep,
) -> Response:
    return _served(reports.customs_run_report(services, business_date, mode, name), name)


def _served(report: Report, name: ReportName) -> Response:
    # A report is authenticated data: kept by no cache, like every other answer of the API.
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if name == "report.html":
        headers["Content-Security-Policy"] = HTML_POLICY
    if report.content_encoding:
        headers["Content-Encoding"] = report.content_encoding
    return Response(report.body, media_type=report.content_type, headers=headers)
