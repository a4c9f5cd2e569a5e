"""The API's web app: FastAPI routes under `/api`, their dependencies and their HTTP models.

FastAPI asks of every route's parameter and response types whether they are `pydantic.v1` models,
importing the whole `pydantic.v1` package to ask (FastAPI 0.165; no setting turns it off): about a
tenth of the function's cold start. The API defines no `pydantic.v1` model, so the answer is always
no; it is given here, before any route is declared. Should FastAPI move the check, the import test
(`tests/api/unit/test_cold_import.py`) sees `pydantic.v1` imported again."""

from __future__ import annotations

from typing import Any

from fastapi._compat import shared


def _never_a_v1_model(cls: Any) -> bool:
    return False


shared.is_pydantic_v1_model_class = _never_a_v1_model
