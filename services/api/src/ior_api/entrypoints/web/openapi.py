"""The web app's OpenAPI document as canonical JSON, for the dashboard's generated types and client:

    uv run python -m ior_api.entrypoints.web.openapi > frontend/src/api/openapi.json

`npm --prefix frontend run api:types` turns it into `src/api/schema.d.ts`; a test fails when either
file differs from what the API describes now."""

from __future__ import annotations

import json
import sys
from typing import Any

from ior_api.entrypoints.web.app import app


def document() -> dict[str, Any]:
    spec: dict[str, Any] = app.openapi()
    return spec


def canonical(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(canonical(document()))
