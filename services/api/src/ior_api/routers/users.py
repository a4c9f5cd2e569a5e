"""`GET/POST/DELETE /api/users`: user management, admins only."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from ior_api.adapters.users import UserExistsError, UserRecord
from ior_api.auth.passwords import hash_password
from ior_api.deps import AdminUser, ServicesDep
from ior_api.schemas import Message, UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
def list_users(_: AdminUser, services: ServicesDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in services.users.all()]


@router.post("", status_code=status.HTTP_201_CREATED, responses={409: {"model": Message}})
def create_user(body: UserCreate, _: AdminUser, services: ServicesDep) -> UserPublic:
    record = UserRecord(
        username=body.username,
        password_hash=hash_password(body.password.get_secret_value()),
        role=body.role,
        active=body.active,
    )
    try:
        services.users.add(record)
    except UserExistsError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return UserPublic.model_validate(record)


@router.delete(
    "/{username}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"model": Message}, 409: {"model": Message}},
)
def delete_user(username: str, principal: AdminUser, services: ServicesDep) -> None:
    if username == principal.user.username:
        raise HTTPException(status.HTTP_409_CONFLICT, "an admin cannot delete their own account")
    if not services.users.delete(username):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no user {username!r}")
