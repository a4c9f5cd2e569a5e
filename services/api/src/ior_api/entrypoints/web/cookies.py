"""The session's two cookies: the token (HttpOnly, sent to `/api` only) and its CSRF token (readable
by the page's script, which echoes it in a header: double submit); set at login and at a password
change, cleared at logout."""

from __future__ import annotations

from fastapi import Response

from ior_api.entrypoints.web.dependencies import CSRF_COOKIE, SESSION_COOKIE
from ior_api.entrypoints.web.schemas import SessionPublic
from ior_api.service_layer.auth import LoggedIn


def start_session(response: Response, done: LoggedIn) -> SessionPublic:
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
    response.set_cookie(
        CSRF_COOKIE, done.csrf, max_age=max_age, path="/", httponly=False, secure=True, samesite="strict"
    )
    return SessionPublic(
        username=done.user.username,
        role=done.user.role,
        expires_at=done.session.expires_at,
        csrf_token=done.csrf,
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/api", httponly=True, secure=True, samesite="strict")
    response.delete_cookie(CSRF_COOKIE, path="/", secure=True, samesite="strict")
