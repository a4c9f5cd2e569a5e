"""`POST /api/auth/login` and `POST /api/auth/logout`."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Response, status

from ior_api.auth import tokens
from ior_api.auth.login import authenticate
from ior_api.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, ServicesDep
from ior_api.schemas import LoginRequest, Message, SessionPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    responses={401: {"model": Message}, 403: {"model": Message}, 423: {"model": Message}},
)
def login(body: LoginRequest, response: Response, services: ServicesDep) -> SessionPublic:
    settings = services.settings
    now = services.clock()
    user = authenticate(
        services.users,
        body.username,
        body.password.get_secret_value(),
        now=now,
        max_failures=settings.lockout_failures,
        lockout=timedelta(minutes=settings.lockout_minutes),
    )
    key = services.signing_key()
    lifetime = timedelta(minutes=settings.session_minutes)
    token, session = tokens.issue(key, user.username, user.role, now=now, lifetime=lifetime)
    csrf = tokens.csrf_token(key, session.sid)
    max_age = int(lifetime.total_seconds())
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, path="/api", httponly=True, secure=True, samesite="strict"
    )
    # Readable by the page's script, which echoes it in the header (double submit).
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=max_age, path="/", httponly=False, secure=True, samesite="strict"
    )
    return SessionPublic(
        username=user.username, role=user.role, expires_at=session.expires_at, csrf_token=csrf
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentUser, response: Response, services: ServicesDep) -> None:
    services.revoked.revoke(principal.session.sid, int(principal.session.expires_at.timestamp()))
    response.delete_cookie(SESSION_COOKIE, path="/api", httponly=True, secure=True, samesite="strict")
    response.delete_cookie(CSRF_COOKIE, path="/", secure=True, samesite="strict")
