"""What the web app does to every request before any route, and to every answer: a request that did
not come through CloudFront (without its secret origin header) is refused, whatever its path, and no
answer is kept by a browser's or a proxy's cache."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from ior_contracts.naming import ORIGIN_HEADER
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse

from ior_api.ports import Services

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Says nothing of why: an attacker at the HTTP API's own endpoint learns only that it is refused.
REFUSED = JSONResponse({"detail": "Forbidden"}, status_code=403)
NO_STORE = "no-store"


class OriginCheck:
    """Refuses (403) every request whose origin header is not one of the accepted values, health and
    unknown paths included; no check when `services(scope).origin` is none (no edge in front)."""

    def __init__(self, app: ASGIApp, services: Callable[[Scope], Services]) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            accepted = self.services(scope).origin
            if accepted is not None and not _matches(
                Headers(scope=scope).get(ORIGIN_HEADER), await run_in_threadpool(accepted)
            ):
                await REFUSED(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _matches(sent: str | None, accepted: tuple[str, ...]) -> bool:
    if sent is None:
        return False
    # Every value compared, in constant time: the answer's timing says nothing of the secret.
    found = [hmac.compare_digest(sent.encode(), value.encode()) for value in accepted]
    return any(found)


class NoStore:
    """`Cache-Control: no-store` on every answer that does not set its own: sessions, users' data and
    exports stay out of shared and browser caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Cache-Control", NO_STORE)
            await send(message)

        await self.app(scope, receive, send_no_store)
