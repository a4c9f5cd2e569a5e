"""The API and the built dashboard served by uvicorn on loopback, in the local stack's process, so
they read the same embedded AWS as the workers.

This server plays CloudFront: the dashboard is composed around the API here only (the Lambda app
stays API-only; CloudFront serves the dashboard from S3), each request to the API carries the
stack's secret origin header and the viewer's address as CloudFront adds them, every answer gets the
security headers of `ior_infra.edge_policy`, and a dashboard path is a page by the same rule as the
CloudFront Function's. Behind it the API runs as the deployed http function: in that function's
environment and with its role's credentials, so it runs the origin check and is held to its policy,
as in AWS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import uvicorn
from ior_contracts.settings import function_environment
from ior_contracts.topology import ORIGIN_HEADER
from ior_infra.edge_policy import API_HEADERS, dashboard_headers, is_page
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.staticfiles import StaticFiles

from ior_tools.paths import FRONTEND_DIST

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from ior_tools.runtime.stack import LocalStack

BUILD_HINT = "make frontend  (npm ci and vite build in frontend/)"
FORWARDED_FOR = "x-forwarded-for"


@dataclass(frozen=True)
class LocalEdge:
    """What CloudFront knows of a stack: the origin header's value (none: the API runs no check),
    and where a large upload's presigned POST goes (the dashboard's CSP lets it connect there)."""

    origin: str | None = None
    upload_origin: str = ""

    @classmethod
    def of(cls, stack: LocalStack) -> LocalEdge:
        secret = stack.client("secretsmanager").get_secret_value(SecretId=stack.naming.secret("origin"))
        return cls(json.loads(secret["SecretString"])["value"], stack.endpoint.url or "")


class SinglePageFiles(StaticFiles):
    """The built files; a page (by `is_page`, CloudFront's rule) is answered by the app's index, and a
    missing file is a 404, never the index."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response("index.html" if is_page(scope["path"]) else path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            return PlainTextResponse("Not Found", status_code=404)
        # Hashed assets never change; the index must be re-read so a new build is picked up.
        immutable = path.startswith("assets/") and response.status_code == 200
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return response


def _with_headers(app: ASGIApp, added: dict[str, str]) -> ASGIApp:
    """`app` with `added` set on every answer (CloudFront's response headers policies override)."""

    async def headed(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added.items():
                    headers[name] = value
            await send(message)

        await app(scope, receive, send_headed)

    return headed


def _as_cloudfront_sends(scope: Scope, edge: LocalEdge) -> Scope:
    """The request as CloudFront forwards it: its own origin header instead of any the viewer sent,
    and the viewer's address appended to `X-Forwarded-For`."""
    origin = ORIGIN_HEADER.lower().encode()
    headers = [(k, v) for k, v in scope["headers"] if k not in {origin, FORWARDED_FOR.encode()}]
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == FORWARDED_FOR.encode()]
    client = scope.get("client")
    if client:
        forwarded.append(client[0])
    if forwarded:
        headers.append((FORWARDED_FOR.encode(), ", ".join(forwarded).encode("latin-1")))
    if edge.origin is not None:
        headers.append((origin, edge.origin.encode()))
    return {**scope, "headers": headers}


def at_the_edge(api: ASGIApp, dist: Path | None, edge: LocalEdge | None = None) -> ASGIApp:
    """`/api` and below to the API, as CloudFront forwards them; everything else to the dashboard's
    files (a 404 without a build); each answer with the headers CloudFront adds to its behaviour."""
    edge = edge or LocalEdge()
    api = _with_headers(api, API_HEADERS)
    files = _with_headers(
        SinglePageFiles(directory=dist, html=True) if dist else PlainTextResponse("Not Found", 404),
        dashboard_headers(edge.upload_origin),
    )

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http":
            await api(scope, receive, send)
        elif path == "/api" or path.startswith("/api/"):
            await api(_as_cloudfront_sends(scope, edge), receive, send)
        else:
            await files(scope, receive, send)

    return app


def uvicorn_config(app: ASGIApp, port: int) -> uvicorn.Config:
    """Loopback only, and no proxy headers: uvicorn would take a loopback caller's X-Forwarded-For
    as its address, where CloudFront appends the address it saw, whatever the viewer sent."""
    return uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", proxy_headers=False
    )


def dashboard_built(dist: Path) -> bool:
    return (dist / "index.html").is_file()


def as_function(app: ASGIApp, environment: Mapping[str, str]) -> ASGIApp:
    """Every request handled as the deployed http function: in its environment, as its role."""

    async def handled(scope: Scope, receive: Receive, send: Send) -> None:
        with function_environment(environment):
            await app(scope, receive, send)

    return handled


class ApiServer:
    """With a `stack`, that stack's edge (its origin header, its upload origin) before its deployed
    http function; without one, the API alone in this process's environment."""

    def __init__(
        self, port: int = 8000, dashboard: Path | None = FRONTEND_DIST, *, stack: LocalStack | None = None
    ) -> None:
        self.dashboard = dashboard if dashboard is not None and dashboard_built(dashboard) else None
        self._port = port
        self._stack = stack
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 15.0) -> str:
        from ior_api.entrypoints.web import dependencies
        from ior_api.entrypoints.web.app import app as api

        # Every request, health included, wires the services (the origin check reads them): any
        # wired earlier in this process name another environment's resources.
        dependencies.rewire()

        # The stack's secret is read once it is up: the server may be made before the stack starts.
        edge, function = LocalEdge(), cast("ASGIApp", api)
        if self._stack is not None:
            edge = LocalEdge.of(self._stack)
            function = as_function(api, self._stack.function_environment(self._stack.http_function))
        served = at_the_edge(function, self.dashboard, edge)
        config = uvicorn_config(served, self._port)
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(target=server.run, name="api", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the API did not start on {self.url}")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread:
            self._thread.join(5)
