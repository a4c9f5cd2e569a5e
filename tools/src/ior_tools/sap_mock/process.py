"""The mock SAP in a process of its own, as SAP would be: its CPU and memory are not the caller's
(benchmarks, memory measurements)."""

from __future__ import annotations

import multiprocessing
import resource
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

_START_TIMEOUT_S = 60.0


def _serve(data_dir: str, username: str, password: str, page_size: int, conn: Connection) -> None:
    from ior_tools.sap_mock.server import SapMock

    try:
        mock = SapMock(data_dir, username, password, page_size=page_size)
        conn.send(mock.start())
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(exc)
        return
    try:
        conn.recv()  # until told to stop
    finally:
        mock.stop()
        conn.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class SapMockProcess:
    """`SapMock` in a spawned child process; `stop()` returns the child's peak RSS in KiB."""

    def __init__(self, data_dir: str | Path, username: str, password: str, page_size: int = 5000) -> None:
        self._args = (str(data_dir), username, password, page_size)
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self.base_url = ""

    def start(self) -> str:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(*self._args, child), name="sap-mock", daemon=True
        )
        self._process.start()
        self._conn = parent
        if not parent.poll(_START_TIMEOUT_S):
            self.stop()
            raise RuntimeError("the mock SAP process did not start")
        answer = parent.recv()
        if isinstance(answer, Exception):
            self.stop()
            raise answer
        self.base_url = str(answer)
        return self.base_url

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def stop(self) -> int | None:
        peak: int | None = None
        if self._conn is not None and self._process is not None and self._process.is_alive():
            self._conn.send("stop")
            if self._conn.poll(10):
                peak = int(self._conn.recv())
        if self._process is not None:
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
        self._conn = self._process = None
        return peak

    def __enter__(self) -> SapMockProcess:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
