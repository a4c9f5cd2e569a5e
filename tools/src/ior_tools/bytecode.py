"""Byte code for the Lambda artifacts, compiled by the Python that Lambda runs.

Lambda unpacks a function to read-only `/var/task` and its layers to `/opt`: a module shipped
without byte code is compiled on every cold start, and the result thrown away. From the unpacked
artifacts, by Lambda's Python (`bench/artifact_cold_start.py`, CPU, medians of 5), the API's HTTP
handler imports in 0.68 s with byte code and 1.40 s without it; customs' datasets handler in 0.78 s
and 2.39 s.

Byte code belongs to one minor version of CPython, so a CPython 3.12 (Lambda's) compiles it. Only
what the artifact's handlers import at cold start is compiled: they are imported here, in that
interpreter, with nothing but the artifact, its layer and the SDK the runtime provides on the path
(which also shows that each handler imports on Lambda's Python with the Lambda wheels). Compiling
every module would put the API over its 30 MB; a module imported later is compiled when first used,
as before. The files are unchecked-hash pycs naming the path Lambda gives them: the same sources
give the same bytes, whatever the build folder, and Lambda never re-reads a source to check one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

LAMBDA_PYTHON = "3.12"
FUNCTION_ROOT = "/var/task"
LAYER_ROOT = "/opt/python"
# What the runtime sets that a module may read when imported; no credentials are needed to import.
IMPORT_ENVIRONMENT = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "LANG": "C.UTF-8"}

# Run by Lambda's Python with -S -E -B: no site-packages of its own, no environment, no byte code
# written while importing (it would be timestamped). Prints the source files under `roots` that
# importing the modules compiles: those of modules imported, and of those whose import was tried and
# failed (`dateutil.tz.win` off Windows), which a cold start compiles as well.
_PROBE = """
import importlib, importlib._bootstrap_external as external, json, sys
request = json.loads(sys.stdin.read())
sys.path[:0] = request["roots"]
roots = tuple(root.rstrip("/") + "/" for root in request["roots"])
compiled = set()
to_code = external.SourceLoader.source_to_code
def recorded(self, data, path, *args, **kwargs):
    if isinstance(path, str) and path.endswith(".py") and path.startswith(roots):
        compiled.add(path)
    return to_code(self, data, path, *args, **kwargs)
external.SourceLoader.source_to_code = recorded
for module in request["modules"]:
    importlib.import_module(module)
print(json.dumps(sorted(compiled)))
"""

_COMPILE = """
import importlib.util, json, py_compile, sys
for source, shown in json.loads(sys.stdin.read()):
    py_compile.compile(
        source,
        cfile=importlib.util.cache_from_source(source),
        dfile=shown,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
"""


class BytecodeError(RuntimeError):
    """A handler does not import on Lambda's Python, or a module does not compile."""


@cache
def lambda_interpreter() -> Path | None:
    """A CPython of Lambda's version: `IOR_LAMBDA_PYTHON` (an error when it is not one), else
    `python3.12` on the path, else one that pyenv installed; None when there is none."""
    asked = os.environ.get("IOR_LAMBDA_PYTHON")
    if asked:
        if not _is_lambda_python(asked):
            raise BytecodeError(f"IOR_LAMBDA_PYTHON={asked} is not a CPython {LAMBDA_PYTHON}")
        return Path(asked)
    candidates = [shutil.which(f"python{LAMBDA_PYTHON}")]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    candidates += [
        str(p) for p in sorted(pyenv.glob(f"{LAMBDA_PYTHON}.*/bin/python{LAMBDA_PYTHON}"), reverse=True)
    ]
    for candidate in candidates:
        if candidate and _is_lambda_python(candidate):
            return Path(candidate)
    return None


def _is_lambda_python(candidate: str) -> bool:
    check = "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"
    try:
        done = subprocess.run(
            [candidate, "-S", "-E", "-c", check], capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.split() == ["cpython", LAMBDA_PYTHON]


def _run(python: Path, script: str, request: object, what: str) -> str:
    done = subprocess.run(
        [str(python), "-S", "-E", "-B", "-c", script],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **IMPORT_ENVIRONMENT},
    )
    if done.returncode != 0:
        raise BytecodeError(
            f"{what}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
        )
    return done.stdout


def imported_at_cold_start(python: Path, roots: Sequence[Path], modules: Sequence[str]) -> list[Path]:
    """The source files under `roots` (in import-path order) that importing `modules` loads."""
    request = {"roots": [str(r) for r in roots], "modules": list(modules)}
    found = json.loads(_run(python, _PROBE, request, f"importing {', '.join(modules)}"))
    return [Path(f) for f in found]


def compile_as(python: Path, sources: Mapping[Path, str]) -> None:
    """Each source's byte code beside it (`__pycache__`), naming it by the path given (the one it has
    in Lambda)."""
    if sources:
        request = [[str(source), shown] for source, shown in sorted(sources.items())]
        _run(python, _COMPILE, request, "compiling")


def shown_paths(files: Sequence[Path], tree: Path, root: str) -> dict[Path, str]:
    """The files under `tree`, each with its path in Lambda (`root` + its place in the tree)."""
    return {f: f"{root}/{f.relative_to(tree).as_posix()}" for f in files if f.is_relative_to(tree)}
