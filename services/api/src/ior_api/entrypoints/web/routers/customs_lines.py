"""`GET /api/customs-lines`: one date's lines from its run's claim check, searched, filtered, sorted and
paged on the server, with the run's totals and the filtered lines' totals apart and the entries they
belong to (over all pages), or all of them as CSV (`Accept: text/csv`);
`GET /api/customs-lines/quarantined`: the run's quarantined invoice lines, each with the fix it needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from ior_api.domain.lines import (
    LineFilter,
    entry_summaries,
    quarantined,
    select,
    sort_lines,
    to_csv,
    totals_of,
)
from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import (
    CustomsLinesPublic,
    EntrySummary,
    IsoDate,
    LinesTotals,
    Message,
    QuarantinedLinePublic,
)
from ior_api.service_layer import runs

router = APIRouter(route_class=IncludedRoute, prefix="/customs-lines", tags=["customs"])

CSV = "text/csv"
PAGE_SIZES = (25, 50, 100, 200)
Mode = Literal["automated", "manual"]
# `domain.lines.SORTS`, spelled out for the OpenAPI (a test holds them equal).
SortColumn = Literal["entry_id", "line", "hts10", "origin", "description", "value", "duty"]


@router.get(
    "",
    response_model=CustomsLinesPublic,
    responses={
        200: {"content": {CSV: {"schema": {"type": "string"}}}},
        404: {"model": Message},
        502: {"model": Message},
    },
)
def customs_lines(
    _: CurrentUser,
    services: ServicesDep,
    business_date: Annotated[IsoDate, Query(alias="date")],
    mode: Annotated[Literal["automated", "manual"] | None, Query()] = None,
    entry: Annotated[str | None, Query(max_length=64)] = None,
    hts: Annotated[str | None, Query(max_length=16, pattern=r"^[0-9.]+$")] = None,
    origin: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[
        str | None, Query(max_length=64, description="Entry, HTS prefix, description, document or material.")
    ] = None,
    sort: Annotated[SortColumn | None, Query()] = None,
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(description=f"One of {PAGE_SIZES}.")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    day = business_date.isoformat()
    run = runs.shown_run(services, business_date, mode)
    document = runs.lines_document(services, run)
    where = LineFilter(entry=entry, hts=hts, origin=origin, text=q or None)
    lines = sort_lines(select(document, where), sort, order == "desc")
    if accept is not None and CSV in accept:
        filename = f"customs-lines-{day}-{run.mode}.csv"
        return Response(
            to_csv(lines),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    size = page_size if page_size in PAGE_SIZES else services.settings.page_size
    return CustomsLinesPublic(
        business_date=business_date,
        mode=run.mode,
        run_id=run.record["run_id"],
        official=run.official,
        totals=run.record["totals"],
        fallbacks=run.record["fallbacks"],
        quarantined_lines=run.record["quarantined_lines"],
        page=page,
        page_size=size,
        total=len(lines),
        filtered_totals=LinesTotals.model_validate(totals_of(lines)),
        lines=lines[(page - 1) * size : page * size],
        entries=[EntrySummary.model_validate(found) for found in entry_summaries(document, where)],
    )


@router.get("/quarantined", responses={404: {"model": Message}, 502: {"model": Message}})
def quarantined_lines(
    _: CurrentUser,
    services: ServicesDep,
    business_date: Annotated[IsoDate, Query(alias="date")],
    mode: Annotated[Mode | None, Query()] = None,
) -> list[QuarantinedLinePublic]:
    run = runs.shown_run(services, business_date, mode)
    document = runs.lines_document(services, run)
    return [QuarantinedLinePublic.model_validate(found) for found in quarantined(document)]
