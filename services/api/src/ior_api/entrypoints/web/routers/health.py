"""`GET /api/health`: anonymous, touches no dependency."""

from __future__ import annotations

from fastapi import APIRouter

from ior_api.entrypoints.web.included import IncludedRoute

router = APIRouter(route_class=IncludedRoute, tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
