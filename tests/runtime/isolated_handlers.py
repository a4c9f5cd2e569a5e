"""Handlers for the isolated-process tests: imported by the child process, by their dotted names."""

from __future__ import annotations

import os
from typing import Any

_held: list[bytearray] = []


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answers with what it was given and where it ran; holds `allocate_mb` of memory for good."""
    size = int(event.get("allocate_mb", 0)) * 1024 * 1024
    if size:
        _held.append(bytearray(os.urandom(16)) * (size // 16))
    return {"records": len(event["Records"]), "pid": os.getpid(), "function": context.function_name}


def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("refused")
