"""`GET /api/audit/…`: the immutable reports (customs runs, comparisons), only with a valid session.
The URIs come from the events the API projected; HTML is served under a policy that runs no script."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Response, status

from ior_api.adapters.audit import ReportNotFoundError
from ior_api.deps import CurrentUser, Services, ServicesDep
from ior_api.projections import comparison_key
from ior_api.runs import shown_run
from ior_api.schemas import IsoDate, Message

router = APIRouter(prefix="/audit", tags=["audit"])

Format = Literal["report.html", "report.json"]
REPORT = {
    200: {"content": {"text/html": {}, "application/json": {}}, "description": "The report."},
    404: {"model": Message},
}
# A report is data: no script, no frames, no outside resources; its own inline styles only.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


@router.get("/comparisons/{comparison_id}/{name}", response_class=Response, responses=REPORT)  # type: ignore[arg-type]
def comparison_report(
    comparison_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")],
    name: Format,
    _: CurrentUser,
    services: ServicesDep,
) -> Response:
    pk, sk = comparison_key(comparison_id, "completed")
    found = services.readmodels.query(pk, prefix=sk)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no completed comparison {comparison_id}")
    return _serve(services, found[0], name)


@router.get("/customs-runs/{business_date}/{mode}/{name}", response_class=Response, responses=REPORT)  # type: ignore[arg-type]
def customs_run_report(
    business_date: IsoDate,
    mode: Literal["automated", "manual"],
    name: Format,
    _: CurrentUser,
    services: ServicesDep,
) -> Response:
    return _serve(services, shown_run(services, business_date, mode).record, name)


def _serve(services: Services, record: dict[str, Any], name: str) -> Response:
    uri = record["report_html_uri"] if name == "report.html" else record["report_uri"]
    try:
        body, content_type = services.audit.read(uri)
    except ReportNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    if name == "report.html":
        headers["Content-Security-Policy"] = HTML_POLICY
    return Response(body, media_type=content_type, headers=headers)
