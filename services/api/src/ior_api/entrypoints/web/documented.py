"""Models that only describe an answer the API passes through unread (a report's stored JSON): the
OpenAPI document names them, and nothing else needs them built. Their schemas join the document when
it is asked for, so the function's cold start builds none of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.openapi.constants import REF_TEMPLATE
from fastapi.openapi.models import OpenAPI
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema


def json_content(model_name: str) -> dict[str, Any]:
    """A response's JSON content, described by a model that `with_models` adds to the document."""
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=model_name)}}}


class DocumentedTwiceError(ValueError):
    """Two different schemas would be documented under one name."""


def with_models(spec: dict[str, Any], models: Iterable[type[BaseModel]]) -> dict[str, Any]:
    """`spec` with the models' schemas (and those they refer to) among its components, as FastAPI
    documents a response model: serialised, referred to by name."""
    serialised: list[tuple[type[BaseModel], JsonSchemaMode]] = [(model, "serialization") for model in models]
    _, generated = models_json_schema(serialised, ref_template=REF_TEMPLATE)
    schemas = dict(spec.get("components", {}).get("schemas", {}))
    for name, schema in generated.get("$defs", {}).items():
        if schemas.setdefault(name, schema) != schema:
            raise DocumentedTwiceError(f"{name} is documented twice, differently")
    components = {**spec.get("components", {}), "schemas": dict(sorted(schemas.items()))}
    # Through FastAPI's own OpenAPI model, as the rest of the document went.
    documented: dict[str, Any] = jsonable_encoder(
        OpenAPI(**{**spec, "components": components}), by_alias=True, exclude_none=True
    )
    return documented
