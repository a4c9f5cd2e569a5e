"""Every resource's router, collected under one `/api` router."""

from __future__ import annotations

from fastapi import APIRouter

from ior_api.entrypoints.web.routers import (
    alerts,
    audit,
    auth,
    comparisons,
    customs_lines,
    customs_runs,
    cutover,
    daily_totals,
    entries,
    fees,
    health,
    me,
    pipeline,
    uploads,
    users,
)

api_router = APIRouter()
for _module in (
    health,
    auth,
    me,
    users,
    customs_lines,
    entries,
    daily_totals,
    customs_runs,
    fees,
    comparisons,
    cutover,
    alerts,
    uploads,
    pipeline,
    audit,
):
    api_router.include_router(_module.router)
