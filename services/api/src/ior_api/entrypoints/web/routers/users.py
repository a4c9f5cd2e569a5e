"""`GET/POST/DELETE /api/users`: user management, admins only."""

from __future__ import annotations

from fastapi import APIRouter, status

from ior_api.entrypoints.web.dependencies import AdminUser, ServicesDep
from ior_api.entrypoints.web.schemas import Message, UserCreate, UserPublic
from ior_api.service_layer import users

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
def list_users(_: AdminUser, services: ServicesDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in services.users.all()]


@router.post("", status_code=status.HTTP_201_CREATED, responses={409: {"model": Message}})
def create_user(body: UserCreate, _: AdminUser, services: ServicesDep) -> UserPublic:
    record = users.create(
        services.users, body.username, body.password.get_secret_value(), body.role, active=body.active
    )
    return UserPublic.model_validate(record)


@router.delete(
    "/{username}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"model": Message}, 409: {"model": Message}},
)
def delete_user(username: str, principal: AdminUser, services: ServicesDep) -> None:
    users.delete(services.users, username, by=principal.user.username)
