"""What the API function's cold start imports: none of what it does not use (pydantic-settings'
sources, the `pydantic.v1` package FastAPI would import to ask whether a route's types are v1 models).
`bench/api_cold_import.py` measures the time; this only names the modules, which cannot flake."""

from __future__ import annotations

import json
import subprocess
import sys

UNUSED = ("pydantic.v1", "pydantic_settings")


def test_importing_the_http_function_imports_neither_pydantic_v1_nor_pydantic_settings() -> None:
    # GIVEN a fresh interpreter WHEN it imports the function's handler module
    probe = "import sys, json, ior_api.entrypoints.http; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    # THEN none of the unused packages was imported
    imported = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert imported.isdisjoint(UNUSED), sorted(imported & set(UNUSED))
    assert "fastapi" in imported
