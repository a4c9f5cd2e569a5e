"""A malformed request's 422, as FastAPI's but safe to send back: a secret field's value is never
echoed, nor a container (a missing field's error carries its whole parent object, password and
all), a long value is quoted in part, and only the first errors are listed."""

from __future__ import annotations

from typing import Any

from fastapi import Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

SECRET_FIELDS = frozenset({"password", "current_password", "new_password"})
INPUT_CHARS = 64
MAX_ERRORS = 20


def weak_password(_: Request, exc: Exception) -> JSONResponse:
    """The policy's refusal from below the schema (which checks it first), in the same shape."""
    error = {"type": "value_error", "loc": ["body"], "msg": str(exc)}
    return JSONResponse({"detail": [error]}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_safe(error) for error in exc.errors()[:MAX_ERRORS]]
    return JSONResponse(
        {"detail": jsonable_encoder(errors)}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


def _safe(error: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in error.items() if key not in {"input", "url"}}
    value = error.get("input")
    if any(part in SECRET_FIELDS for part in error.get("loc", ())):
        return shown
    if isinstance(value, str):
        shown["input"] = value if len(value) <= INPUT_CHARS else f"{value[: INPUT_CHARS - 1]}…"
    elif value is None or isinstance(value, bool | int | float):
        shown["input"] = value
    return shown
