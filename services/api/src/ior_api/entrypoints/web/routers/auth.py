"""`POST /api/auth/login` and `POST /api/auth/logout`."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from ior_api.entrypoints.web.cookies import end_session, start_session
from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep, SourceAddress
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import LoginRequest, Message, SessionPublic
from ior_api.service_layer import auth

router = APIRouter(route_class=IncludedRoute, prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    responses={
        401: {"model": Message, "description": "Unknown username or wrong password, alike."},
        403: {"model": Message, "description": "The account is inactive (said only to the right password)."},
        423: {"model": Message, "description": "Too many failures for this username, known or not."},
        429: {"model": Message, "description": "Too many logins from this address; see `Retry-After`."},
    },
)
def login(
    body: LoginRequest, response: Response, services: ServicesDep, source: SourceAddress
) -> SessionPublic:
    done = auth.login(services, body.username, body.password.get_secret_value(), source=source)
    return start_session(response, done)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentUser, response: Response, services: ServicesDep) -> None:
    auth.logout(services, principal)
    end_session(response)
