"""`GET /api/me`: who the session belongs to; `POST /api/me/password`: a new password (every other
session ends); `DELETE /api/me/sessions`: log out everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from ior_api.entrypoints.web.cookies import end_session, start_session
from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import Message, PasswordChange, SessionPublic, UserPublic
from ior_api.service_layer import auth

router = APIRouter(route_class=IncludedRoute, prefix="/me", tags=["users"])


@router.get("")
def me(principal: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(principal.user)


@router.post(
    "/password",
    responses={
        403: {"model": Message, "description": "The current password is wrong (or the CSRF token is)."},
        422: {"description": "The new password does not meet the policy."},
        423: {"model": Message, "description": "Too many wrong passwords for this user."},
    },
)
def change_password(
    body: PasswordChange, principal: CurrentUser, response: Response, services: ServicesDep
) -> SessionPublic:
    """The new password takes effect at once: every session of the user ends, and this client gets a
    new one (new cookies and CSRF token)."""
    done = auth.change_password(
        services, principal, body.current_password.get_secret_value(), body.new_password.get_secret_value()
    )
    return start_session(response, done)


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT)
def log_out_everywhere(principal: CurrentUser, response: Response, services: ServicesDep) -> None:
    """Every session of the user ends, this one included."""
    auth.end_sessions(services, principal.user.username)
    end_session(response)
