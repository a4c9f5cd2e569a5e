"""The FastAPI app: every route under `/api`, behind the origin check and the no-store rule; auth
errors and the service layer's refusals mapped to HTTP once, here."""

from __future__ import annotations

import gc
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ior_api.domain.auth.errors import (
    AccountLockedError,
    AuthError,
    CsrfError,
    ForbiddenError,
    InactiveAccountError,
    InvalidCredentialsError,
    NoSessionError,
    TooManyAttemptsError,
    WrongPasswordError,
)
from ior_api.domain.auth.passwords import WeakPasswordError
from ior_api.domain.line_index import LinesMismatchError
from ior_api.entrypoints.web.dependencies import services_of
from ior_api.entrypoints.web.documented import with_models
from ior_api.entrypoints.web.middleware import NoStore, OriginCheck
from ior_api.entrypoints.web.routers import api_router
from ior_api.entrypoints.web.routers.audit import report_models
from ior_api.entrypoints.web.schemas import Message
from ior_api.entrypoints.web.validation import invalid_request, weak_password
from ior_api.ports import ClaimCheckError, IncomingChangedError, ReportNotFoundError, UserExistsError
from ior_api.service_layer.pipeline import UnknownStageError
from ior_api.service_layer.runs import RunNotFoundError
from ior_api.service_layer.uploads import NothingUploadedError
from ior_api.service_layer.users import SelfDeletionError, UnknownUserError

# Documented once for every operation: a body that is not JSON, no session, and a refused session.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Message, "description": "The body could not be parsed."},
    401: {"model": Message, "description": "No valid session."},
    403: {"model": Message, "description": "The role or the CSRF token does not allow it."},
}

_STATUS: dict[type[AuthError], int] = {
    InvalidCredentialsError: status.HTTP_401_UNAUTHORIZED,
    NoSessionError: status.HTTP_401_UNAUTHORIZED,
    AccountLockedError: status.HTTP_423_LOCKED,
    InactiveAccountError: status.HTTP_403_FORBIDDEN,
    CsrfError: status.HTTP_403_FORBIDDEN,
    ForbiddenError: status.HTTP_403_FORBIDDEN,
    WrongPasswordError: status.HTTP_403_FORBIDDEN,
    TooManyAttemptsError: status.HTTP_429_TOO_MANY_REQUESTS,
}


# What the service layer refuses, each answered with one status and the refusal's own words.
_REFUSED: dict[type[Exception], int] = {
    RunNotFoundError: status.HTTP_404_NOT_FOUND,
    ReportNotFoundError: status.HTTP_404_NOT_FOUND,
    NothingUploadedError: status.HTTP_404_NOT_FOUND,
    UnknownStageError: status.HTTP_404_NOT_FOUND,
    UnknownUserError: status.HTTP_404_NOT_FOUND,
    UserExistsError: status.HTTP_409_CONFLICT,
    SelfDeletionError: status.HTTP_409_CONFLICT,
    IncomingChangedError: status.HTTP_409_CONFLICT,
    # The lines object is not what its event announced: the API's upstream failed it.
    ClaimCheckError: status.HTTP_502_BAD_GATEWAY,
    # A run's line columns and its lines object disagree: the same upstream fault.
    LinesMismatchError: status.HTTP_502_BAD_GATEWAY,
}


def _refused(_: Request, exc: Exception) -> JSONResponse:
    code = next(c for t, c in _REFUSED.items() if isinstance(exc, t))
    return JSONResponse({"detail": str(exc)}, status_code=code)


def _auth_error(_: Request, exc: Exception) -> JSONResponse:
    code = next((c for t, c in _STATUS.items() if isinstance(exc, t)), status.HTTP_401_UNAUTHORIZED)
    # A token's decoding error stays in the logs' domain: the client only learns it has no session.
    detail = "not authenticated" if isinstance(exc, NoSessionError) else str(exc)
    headers = {"WWW-Authenticate": "Cookie"} if code == status.HTTP_401_UNAUTHORIZED else {}
    if isinstance(exc, TooManyAttemptsError):
        headers["Retry-After"] = str(exc.retry_after_s)
    return JSONResponse({"detail": detail}, status_code=code, headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """As FastAPI's, except that a 405 names every method the path has, not only its first route's."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != status.HTTP_405_METHOD_NOT_ALLOWED:
        return await http_exception_handler(request, exc)
    return JSONResponse(
        {"detail": exc.detail}, status_code=exc.status_code, headers={"Allow": ", ".join(_allowed(request))}
    )


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed(request: Request) -> list[str]:
    """The methods some route fully matches at the request's path. Asked of each route by the
    request's scope with another method: an included router answers for its routes, which it
    builds only when first matched."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


class DocumentedApp(FastAPI):
    """The app, whose OpenAPI document also describes the reports it passes through unread."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = with_models(super().openapi(), report_models())
        return self.openapi_schema


def create_app() -> FastAPI:
    app = DocumentedApp(
        title="ior-pipeline API",
        openapi_url="/api/openapi.json",
        # No interactive docs page: it would be one more anonymous endpoint, and it loads from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(api_router, prefix="/api", responses=COMMON_RESPONSES)
    app.add_exception_handler(AuthError, _auth_error)
    for refusal in _REFUSED:
        app.add_exception_handler(refusal, _refused)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(WeakPasswordError, weak_password)
    # The last added runs first: nothing, not even a refusal, leaves without `no-store`.
    app.add_middleware(OriginCheck, services=lambda scope: services_of(scope["app"]))
    app.add_middleware(NoStore)
    return app


app = create_app()

# Everything imported and built so far lives as long as the process: kept out of the collector's
# full passes, which otherwise walk FastAPI's and pydantic's objects again and again (warm p99 over
# the read models, `bench/api_lines.py`: 78-104 ms before, 38-42 ms after).
gc.freeze()
