"""Python as a function's artifact gives it, for a benchmark's child interpreter: the modules of the
artifact's locked dependency closure (`uv export --package`), the standard library and the runtime's
boto3 import; any other module installed here, for the tests or another service (`cryptography`,
which PyJWT imports when it can; pandas; moto), is absent, as it is in Lambda.

A child runs `HIDE_UNSHIPPED` first, with `environment(package, own)` in its environment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
"""What Lambda's Python runtime provides beside the artifact."""
SHIPPED = "IOR_BENCH_SHIPPED_MODULES"

HIDE_UNSHIPPED = f"""
import importlib.abc, json, os, sys
_allowed = set(json.loads(os.environ[{SHIPPED!r}]))
class _Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in _allowed or top in sys.stdlib_module_names or top.startswith("_"):
            return None
        raise ModuleNotFoundError(f"No module named {{name!r}} (not in the artifact)", name=name)
sys.meta_path.insert(0, _Absent())
"""


def shipped_modules(package: str, own: tuple[str, ...]) -> list[str]:
    """Top-level import names of `package`'s artifact: its locked dependency closure, its own
    workspace modules (`own`) and the runtime's."""
    from importlib.metadata import packages_distributions

    uv = os.environ.get("UV", "uv")  # `uv run` names itself there
    exported = subprocess.run(
        [uv, "export", "--package", package, "--format", "requirements-txt", "--no-hashes", "--no-dev",
         "--frozen"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    names = {
        line.split("==")[0].split(" ")[0].strip().lower().replace("_", "-")
        for line in exported.splitlines()
        if line and not line.startswith(("#", " ", "-e"))
    }
    names |= {module.replace("_", "-") for module in own}
    found = {
        module
        for module, dists in packages_distributions().items()
        if any(d.lower().replace("_", "-") in names for d in dists)
    }
    return sorted(found | set(own) | set(RUNTIME))


def environment(package: str, own: tuple[str, ...]) -> dict[str, str]:
    """What a child running `HIDE_UNSHIPPED` needs in its environment."""
    return {SHIPPED: json.dumps(shipped_modules(package, own))}
