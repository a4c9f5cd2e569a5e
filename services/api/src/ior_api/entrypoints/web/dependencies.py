"""Dependencies of the routes, as `Annotated` aliases so a route reads like its signature.

`Services` are wired once per cold start; tests replace `get_services` through
`app.dependency_overrides`."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from ior_api import bootstrap
from ior_api.config import Settings
from ior_api.domain.auth.errors import ForbiddenError
from ior_api.domain.auth.tokens import CSRF_HEADER
from ior_api.ports import Services
from ior_api.service_layer import auth
from ior_api.service_layer.auth import Principal

SESSION_COOKIE = "ior_session"
CSRF_COOKIE = "ior_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=1)
def get_services() -> Services:
    return bootstrap.wire_web(Settings())


ServicesDep = Annotated[Services, Depends(get_services)]


def rewire() -> None:
    """Forget the services wired so far: the next request wires them from the environment as it is
    then (a local server started after a stack exported where its resources are, in a process that
    served the app before)."""
    get_services.cache_clear()


def services_of(app: FastAPI) -> Services:
    """The services `app`'s routes get, overrides included: for middleware, which has no `Depends`."""
    provider = app.dependency_overrides.get(get_services, get_services)
    services: Services = provider()
    return services


def current_principal(request: Request, services: ServicesDep) -> Principal:
    """A valid, unrevoked session of an active user; for state-changing methods also its CSRF token."""
    csrf = (
        None
        if request.method in SAFE_METHODS
        else (request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER))
    )
    return auth.principal(services, request.cookies.get(SESSION_COOKIE), csrf=csrf)


CurrentUser = Annotated[Principal, Depends(current_principal)]

# Longer than any address: the header is the caller's to write when no edge is in front.
ADDRESS_CHARS = 64


def source_address(request: Request) -> str:
    """The caller's address: the right-most in `X-Forwarded-For`, which CloudFront appends (the
    origin check makes sure the request came through it); else the connection's peer."""
    forwarded = request.headers.get("x-forwarded-for", "").rsplit(",", 1)[-1].strip()
    if forwarded:
        return forwarded[:ADDRESS_CHARS]
    return request.client.host if request.client else "unknown"


SourceAddress = Annotated[str, Depends(source_address)]


def admin_principal(principal: CurrentUser) -> Principal:
    if principal.user.role != "admin":
        raise ForbiddenError("admin role required")
    return principal


AdminUser = Annotated[Principal, Depends(admin_principal)]
