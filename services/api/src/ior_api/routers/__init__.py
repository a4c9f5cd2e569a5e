"""Every resource's router, collected under one `/api` router."""

from __future__ import annotations

from fastapi import APIRouter

from ior_api.routers import alerts, auth, comparisons, customs_lines, customs_runs, cutover, health, me, users

api_router = APIRouter()
for _module in (health, auth, me, users, customs_lines, customs_runs, comparisons, cutover, alerts):
    api_router.include_router(_module.router)
