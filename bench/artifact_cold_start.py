"""Each function's cold import as Lambda runs it: from its unpacked artifact, by Lambda's Python,
with the byte code the artifacts carry against the same artifacts without it.

Both sets of artifacts are built here (`ior_tools.packaging.build_all`, with and without byte
code), each function's zip unpacked to a folder of its own beside its layer, and the runtime's SDK
beside them (compiled, as the runtime's is). Each import is a fresh interpreter (`-S -E -B`: only
those folders and the standard library on the path, nothing written), the two builds alternating so
the machine's load falls on both alike. Figures: the median CPU seconds of each handler's import, and
their ratio.

    uv run python -m bench.artifact_cold_start [--runs 7]

Needs a CPython 3.12 (`IOR_LAMBDA_PYTHON`, `python3.12` or pyenv's)."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ior_contracts.topology import load_topology
from ior_tools import packaging
from ior_tools.bytecode import IMPORT_ENVIRONMENT, lambda_interpreter

from bench.figures import Figure, emit

CHILD = """
import importlib, json, sys, time
sys.path[:0] = json.loads(sys.argv[1])
started = time.process_time()
importlib.import_module(sys.argv[2])
print(time.process_time() - started)
"""


def _unpack(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(into)
    return into


def _import_s(python: Path, roots: list[Path], module: str) -> float:
    done = subprocess.run(
        [str(python), "-S", "-E", "-B", "-c", CHILD, json.dumps([str(r) for r in roots]), module],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **IMPORT_ENVIRONMENT},
    )
    return float(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    python = lambda_interpreter()
    if python is None:
        print("no CPython 3.12 on this machine: nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ior-cold-") as tmp:
        work = Path(tmp)
        builds = {
            "with byte code": packaging.build_all(dist=work / "with"),
            "source only": packaging.build_all(dist=work / "without", bytecode=False),
        }
        runtime = work / "runtime"
        exported = {s.name: packaging.export_requirements(s.name) for s in load_topology().services}
        shutil.copytree(packaging.installed(packaging.plan(exported).runtime, packaging.CACHE), runtime)
        subprocess.run([str(python), "-m", "compileall", "-q", "-j0", str(runtime)], check=True)
        roots: dict[tuple[str, str], list[Path]] = {}
        for label, built in builds.items():
            layer = _unpack(built[packaging.DATA_LAYER].zip_path, work / label / "opt") / "python"
            for service in (s.name for s in load_topology().services):
                task = _unpack(built[service].zip_path, work / label / service)
                uses = packaging.DATA_LAYER in built[service].layers
                roots[label, service] = [task, *([layer] if uses else []), runtime]
        print(
            "cold import of each handler from its unpacked artifact, by Lambda's Python: "
            f"CPU s, median of {args.runs}"
        )
        figures = []
        for service in (s.name for s in load_topology().services):
            for module in packaging.handler_modules(service):
                times: dict[str, list[float]] = {label: [] for label in builds}
                for _ in range(args.runs):
                    for label in builds:
                        times[label].append(_import_s(python, roots[label, service], module))
                with_code, without = (statistics.median(times[label]) for label in builds)
                print(
                    f"  {module:<40} {without:6.3f} source only  {with_code:6.3f} with byte code"
                    f"  ×{without / with_code:4.1f} faster"
                )
                figures.append(
                    Figure(f"cold import {module}", with_code, "s", peer="source only", peer_value=without)
                )
        emit("artifact_cold_start", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
