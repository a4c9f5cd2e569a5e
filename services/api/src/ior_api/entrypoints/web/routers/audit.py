"""`GET /api/audit/…`: the immutable reports (customs runs, comparisons), only with a valid session.
The URIs come from the events the API projected; HTML is served under a policy that runs no script."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.documented import json_content
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import ComparisonIdPath, IsoDate, Message
from ior_api.ports import Report
from ior_api.service_layer import reports
from ior_api.service_layer.reports import INLINE_BYTES, ReportName

router = APIRouter(route_class=IncludedRoute, prefix="/audit", tags=["audit"])


def report_models() -> list[type[BaseModel]]:
    """The contracts that describe `report.json`, for the OpenAPI document only: the API passes the
    stored bytes through unread, so no request builds them (the customs report's contract alone
    brings every customs event)."""
    from ior_contracts.compare_report import ComparisonReport
    from ior_contracts.customs_report import CustomsRunReport

    return [ComparisonReport, CustomsRunReport]


def _report(model_name: str, what: str) -> dict[int | str, dict[str, Any]]:
    """A report's answers: its JSON described by the contract its producer's tests hold it to (one of
    `report_models`), or its HTML page."""
    return {
        200: {
            "content": {**json_content(model_name), "text/html": {"schema": {"type": "string"}}},
            "description": f"{what}: `report.json`, or its HTML page.",
        },
        307: {
            "description": (
                f"The report is larger than {INLINE_BYTES // 2**20} MiB, more than the API's function may "
                "answer with: a link to it in the audit bucket, valid for five minutes."
            )
        },
        404: {"model": Message},
    }


# A report is data: no script, no frames, no outside resources; its own inline styles only.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


@router.get(
    "/comparisons/{comparison_id}/{name}",
    response_class=Response,
    responses=_report("ComparisonReport", "The comparison's report"),
)
def comparison_report(
    comparison_id: ComparisonIdPath,
    name: ReportName,
    _: CurrentUser,
    services: ServicesDep,
) -> Response:
    return _served(reports.comparison_report(services, comparison_id, name), name)


@router.get(
    "/customs-runs/{business_date}/{mode}/{name}",
    response_class=Response,
    responses=_report("CustomsRunReport", "The customs run's audit report"),
)
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
    if report.link is not None:
        # The link carries its own signature: sent to no other site as a referrer.
        headers["Referrer-Policy"] = "no-referrer"
        return RedirectResponse(report.link, status_code=status.HTTP_307_TEMPORARY_REDIRECT, headers=headers)
    if name == "report.html":
        headers["Content-Security-Policy"] = HTML_POLICY
    if report.content_encoding:
        headers["Content-Encoding"] = report.content_encoding
    return Response(report.body, media_type=report.content_type, headers=headers)
