"""`POST /api/auth/login` and `POST /api/auth/logout`."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from ior_api.entrypoints.web.dependencies import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, ServicesDep
from ior_api.entrypoints.web.schemas import LoginRequest, Message, SessionPublic
from ior_api.service_layer import auth

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    responses={401: {"model": Message}, 403: {"model": Message}, 423: {"model": Message}},
)
def login(body: LoginRequest, response: Response, services: ServicesDep) -> SessionPublic:
    done = auth.login(services, body.username, body.password.get_secret_value())
    max_age = int(done.lifetime.total_seconds())
    response.set_cookie(
        SESSION_COOKIE,
        done.token,
        max_age=max_age,
        path="/api",
        httponly=True,
        secure=True,
        samesite="strict",
    )
    # Readable by the page's script, which echoes it in the header (double submit).
    response.set_cookie(
        CSRF_COOKIE, done.csrf, max_age=max_age, path="/", httponly=False, secure=True, samesite="strict"
    )
    return SessionPublic(
        username=done.user.username,
        role=done.user.role,
        expires_at=done.session.expires_at,
        csrf_token=done.csrf,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentUser, response: Response, services: ServicesDep) -> None:
    auth.logout(services, principal)
    response.delete_cookie(SESSION_COOKIE, path="/api", httponly=True, secure=True, samesite="strict")
    response.delete_cookie(CSRF_COOKIE, path="/", secure=True, samesite="strict")
