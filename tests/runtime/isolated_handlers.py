"""Handlers for the isolated-process tests: imported by the child process, by their dotted names."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from typing import Any

from ior_contracts.engine_time import engine

_held: list[bytearray] = []


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answers with what it was given and where it ran; holds `allocate_mb` of memory for good."""
    size = int(event.get("allocate_mb", 0)) * 1024 * 1024
    if size:
        _held.append(bytearray(os.urandom(16)) * (size // 16))
    _spin(float(event.get("busy_s", 0)))
    if "engine_busy_s" in event:
        with engine():
            _spin(float(event["engine_busy_s"]))
    return {"records": len(event["Records"]), "pid": os.getpid(), "function": context.function_name}


def _spin(seconds: float) -> None:
    """Spends about `seconds` of CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("refused")


def python(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """How the process's Python is set: its bytecode, and whether the test tools can be imported."""
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        hypothesis_found = False
    else:
        hypothesis_found = True
    return {
        "writes_bytecode": not sys.flags.dont_write_bytecode,
        "bytecode_prefix": sys.pycache_prefix,
        "hypothesis": hypothesis_found,
        "pandas_found": importlib.util.find_spec("pandas") is not None,
    }


def lists_buckets(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lists the buckets at `endpoint`, `times` times, with a client of the default session."""
    import boto3
    from botocore.config import Config

    s3 = boto3.client(
        "s3",
        endpoint_url=event["endpoint"],
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )
    for _ in range(int(event["times"])):
        s3.list_buckets()
    return {"records": len(event["Records"])}
