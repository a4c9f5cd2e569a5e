"""The FastAPI app: every route under `/api`, auth errors mapped to HTTP once, here."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from ior_api.auth.errors import (
    AccountLockedError,
    AuthError,
    CsrfError,
    ForbiddenError,
    InactiveAccountError,
    InvalidCredentialsError,
    NoSessionError,
)
from ior_api.routers import api_router

_STATUS: dict[type[AuthError], int] = {
    InvalidCredentialsError: status.HTTP_401_UNAUTHORIZED,
    NoSessionError: status.HTTP_401_UNAUTHORIZED,
    AccountLockedError: status.HTTP_423_LOCKED,
    InactiveAccountError: status.HTTP_403_FORBIDDEN,
    CsrfError: status.HTTP_403_FORBIDDEN,
    ForbiddenError: status.HTTP_403_FORBIDDEN,
}


def _auth_error(_: Request, exc: Exception) -> JSONResponse:
    code = next((c for t, c in _STATUS.items() if isinstance(exc, t)), status.HTTP_401_UNAUTHORIZED)
    # A token's decoding error stays in the logs' domain: the client only learns it has no session.
    detail = "not authenticated" if isinstance(exc, NoSessionError) else str(exc)
    headers = {"WWW-Authenticate": "Cookie"} if code == status.HTTP_401_UNAUTHORIZED else None
    return JSONResponse({"detail": detail}, status_code=code, headers=headers)


def create_app() -> FastAPI:
    app = FastAPI(
        title="ior-pipeline API",
        openapi_url="/api/openapi.json",
        # No interactive docs page: it would be one more anonymous endpoint, and it loads from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(api_router, prefix="/api")
    app.add_exception_handler(AuthError, _auth_error)
    return app


app = create_app()
