"""What the API's Lambda imports: neither pandas nor another service."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("pandas", "numpy", "ior_ingestion", "ior_etl", "ior_customs", "ior_compare", "ior_tools")


def test_handlers_import_no_pandas_and_no_other_service() -> None:
    code = (
        "import sys, ior_api.entrypoints.http, ior_api.entrypoints.projections\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
