"""`GET/POST/DELETE /api/users`: user management, admins only; `DELETE /api/users/{username}/sessions`
ends every session of a user."""

from __future__ import annotations

from fastapi import APIRouter, status

from ior_api.entrypoints.web.dependencies import AdminUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import Message, UserCreate, UsernamePath, UserPublic
from ior_api.service_layer import auth, users
from ior_api.service_layer.users import UnknownUserError

router = APIRouter(route_class=IncludedRoute, prefix="/users", tags=["users"])


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
def delete_user(username: UsernamePath, principal: AdminUser, services: ServicesDep) -> None:
    users.delete(services.users, username, by=principal.user.username)


@router.delete(
    "/{username}/sessions", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"model": Message}}
)
def end_sessions(username: UsernamePath, _: AdminUser, services: ServicesDep) -> None:
    """Every session of the user ends ("log out everywhere", for someone else)."""
    if not auth.end_sessions(services, username):
        raise UnknownUserError(f"no user {username!r}")
