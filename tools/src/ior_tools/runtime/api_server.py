"""The API (and later the built dashboard) served by uvicorn on loopback, in the local stack's
process, so it reads the same embedded AWS as the workers."""

from __future__ import annotations

import threading
import time

import uvicorn


class ApiServer:
    def __init__(self, port: int = 8000) -> None:
        config = uvicorn.Config(
            "ior_api.app:app", host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
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
