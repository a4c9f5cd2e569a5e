"""The dashboard's types and client are generated from the API's OpenAPI: the committed document and
the types made from it must be what the API describes now, so drift fails the build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from ior_api.entrypoints.web.openapi import canonical, document
from ior_tools.paths import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"
OPENAPI = FRONTEND / "src" / "api" / "openapi.json"
SCHEMA = FRONTEND / "src" / "api" / "schema.d.ts"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"


def test_the_committed_openapi_is_what_the_api_describes() -> None:
    assert OPENAPI.read_text(encoding="utf-8") == canonical(document()), (
        "frontend/src/api/openapi.json is out of date: run "
        "`uv run python -m ior_api.entrypoints.web.openapi > frontend/src/api/openapi.json` "
        "then `npm --prefix frontend run api:types`"
    )


def test_the_dashboards_generated_types_are_those_of_the_committed_openapi(tmp_path: Path) -> None:
    if not GENERATOR.exists() or shutil.which("node") is None:
        pytest.skip("needs frontend/node_modules (`make frontend` runs npm ci; `make test` does it first)")
    made = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(GENERATOR), str(OPENAPI), "-o", str(made)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert made.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8"), (
        "frontend/src/api/schema.d.ts is out of date: run `npm --prefix frontend run api:types`"
    )
