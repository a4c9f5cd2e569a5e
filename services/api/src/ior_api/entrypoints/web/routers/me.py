"""`GET /api/me`: who the session belongs to."""

from __future__ import annotations

from fastapi import APIRouter

from ior_api.entrypoints.web.dependencies import CurrentUser
from ior_api.entrypoints.web.schemas import UserPublic

router = APIRouter(tags=["users"])


@router.get("/me")
def me(principal: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(principal.user)
