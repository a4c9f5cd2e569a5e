"""`GET /api/customs-lines`: one date's lines from its run's claim checks, searched, filtered, sorted
and paged on the server, with the run's totals and the filtered lines' totals apart and the entries
of the page's lines, or all of them as CSV (`Accept: text/csv`, up to `EXPORT_LINES`);
`GET /api/customs-lines/quarantined`: the run's quarantined invoice lines, each with the fix it needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Response, status

from ior_api.domain.line_index import entries_at, lines_at, matching, ordered, summaries, totals_at
from ior_api.domain.lines import LineFilter, quarantined, to_csv
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
EXPORT_LINES = 10_000
"""Lines one CSV export may hold: about 3 MB, within a Lambda function's 6 MB answer (a whole
million-line day would be 200 MB); the run's whole lines are its published objects."""
Mode = Literal["automated", "manual"]
# `domain.lines.SORTS`, spelled out for the OpenAPI (a test holds them equal).
SortColumn = Literal["entry_id", "line", "hts10", "origin", "description", "value", "duty"]


@router.get(
    "",
    response_model=CustomsLinesPublic,
    responses={
        200: {"content": {CSV: {"schema": {"type": "string"}}}},
        404: {"model": Message},
        413: {"model": Message, "description": f"A CSV export of more than {EXPORT_LINES} lines."},
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
    lines = runs.run_lines(services, run)
    where = LineFilter(entry=entry, hts=hts, origin=origin, text=q or None)
    # Invoice documents and materials are in the entries' text only: found there, then matched.
    sourced = lines.sourced(where.wanted) if where.wanted else frozenset()
    kept = ordered(lines.index, matching(lines.index, where, sourced), sort, order == "desc")
    if accept is not None and CSV in accept:
        if len(kept) > EXPORT_LINES:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE,
                f"{len(kept)} lines match; an export holds at most {EXPORT_LINES}: narrow the filters",
            )
        filename = f"customs-lines-{day}-{run.mode}.csv"
        return Response(
            to_csv(lines_at(lines.index, kept, lines.entries(entries_at(lines.index, kept)))),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    size = page_size if page_size in PAGE_SIZES else services.settings.page_size
    shown = kept[(page - 1) * size : page * size]
    named = entries_at(lines.index, shown)
    entries = lines.entries(named)
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
        total=len(kept),
        filtered_totals=LinesTotals.model_validate(totals_at(lines.index, kept)),
        lines=lines_at(lines.index, shown, entries),
        entries=[EntrySummary.model_validate(found) for found in summaries(named, entries)],
    )


@router.get("/quarantined", responses={404: {"model": Message}, 502: {"model": Message}})
def quarantined_lines(
    _: CurrentUser,
    services: ServicesDep,
    business_date: Annotated[IsoDate, Query(alias="date")],
    mode: Annotated[Mode | None, Query()] = None,
) -> list[QuarantinedLinePublic]:
    run = runs.shown_run(services, business_date, mode)
    found = runs.run_lines(services, run).quarantined()
    return [QuarantinedLinePublic.model_validate(line) for line in quarantined(found)]
