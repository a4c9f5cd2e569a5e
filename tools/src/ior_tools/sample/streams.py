"""A text file written in large UTF-8 chunks and hashed as it is written (no second read for SHA-256)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType
from typing import Self

_CHUNK_CHARS = 1 << 20


class HashedTextFile:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._raw = path.open("wb")
        self._digest = hashlib.sha256()
        self._pending: list[str] = []
        self._pending_chars = 0

    def write(self, text: str) -> None:
        self._pending.append(text)
        self._pending_chars += len(text)
        if self._pending_chars >= _CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        data = "".join(self._pending).encode("utf-8")
        self._digest.update(data)
        self._raw.write(data)
        self._pending.clear()
        self._pending_chars = 0

    def close(self) -> None:
        self._flush()
        self._raw.close()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
