"""The API and the built dashboard served by uvicorn on loopback, in the local stack's process, so
they read the same embedded AWS as the workers.

The dashboard is composed around the API here, in this process only: the Lambda app stays API-only,
and CloudFront serves the dashboard from S3 when deployed."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn
from ior_contracts.settings import function_environment
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from ior_tools.paths import FRONTEND_DIST

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

BUILD_HINT = "make frontend  (npm ci and vite build in frontend/)"


class SinglePageFiles(StaticFiles):
    """The built files; any other path is a route of the single-page app, answered by its index."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            response = await super().get_response("index.html", scope)
        # Hashed assets never change; the index must be re-read so a new build is picked up.
        immutable = path.startswith("assets/") and response.status_code == 200
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return response


def with_dashboard(api: ASGIApp, dist: Path) -> ASGIApp:
    """`/api` and below to the API, everything else to the dashboard's files."""
    files = SinglePageFiles(directory=dist, html=True)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path != "/api" and not path.startswith("/api/"):
            await files(scope, receive, send)
        else:
            await api(scope, receive, send)

    return app


def dashboard_built(dist: Path) -> bool:
    return (dist / "index.html").is_file()


def as_function(app: ASGIApp, environment: Mapping[str, str]) -> ASGIApp:
    """Every request handled as the deployed http function: in its environment, as its role."""

    async def handled(scope: Scope, receive: Receive, send: Send) -> None:
        with function_environment(environment):
            await app(scope, receive, send)

    return handled


class ApiServer:
    def __init__(
        self,
        port: int = 8000,
        dashboard: Path | None = FRONTEND_DIST,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        from ior_api.entrypoints.web.app import app
        from ior_api.entrypoints.web.dependencies import get_services

        # A new stack: the app's wiring (clients, settings) is made again, inside its environment.
        get_services.cache_clear()
        api = as_function(app, environment) if environment is not None else app
        self.dashboard = dashboard if dashboard is not None and dashboard_built(dashboard) else None
        served = with_dashboard(api, self.dashboard) if self.dashboard else api
        config = uvicorn.Config(served, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 15.0) -> str:
        self._thread = threading.Thread(target=self._server.run, name="api", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the API did not start on {self.url}")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread:
            self._thread.join(5)
