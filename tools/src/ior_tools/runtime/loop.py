"""A background thread that repeats one step until stopped: the shape of every part of the local
runtime that stands in for something AWS runs on its own (workers, the scheduler, the event log)."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

log = logging.getLogger("ior.runtime")


class Loop(ABC):
    name = "loop"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @abstractmethod
    def step(self) -> float:
        """One round of work; the seconds to wait before the next (0: go on at once)."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pause = self.step()
            except Exception as exc:  # noqa: BLE001 - a stand-in for AWS must outlive a failed round
                log.warning("%s: %s", self.name, exc)
                pause = 0.5
            if pause:
                self._stop.wait(pause)
