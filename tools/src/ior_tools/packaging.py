"""The Lambda artifacts: per service one zip holding its own package, `ior_contracts` and its locked
runtime dependencies built for the Lambda platform; the data services share one pandas/numpy layer.

Layout (what the Pulumi program points at):
  dist/lambda/<service>/<service>.zip        the function's code and dependencies
  dist/lambda/<service>/requirements.txt     what went into it, pinned from uv.lock
  dist/lambda/data-layer/data-layer.zip      pandas, numpy and theirs, under `python/`

Third-party dependencies are installed once per requirement set into a cache keyed by the pins and
the target platform, so a rebuild after a code change only copies and zips. Each artifact carries
the byte code of what its handlers import at cold start, compiled by Lambda's Python (`bytecode`).
Zips are deterministic (sorted entries, fixed timestamps and modes, hash-based byte code): the same
inputs give byte-identical artifacts, so the deploy changes a function only when its content
changes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import typer
from ior_contracts.topology import load_topology
from rich.console import Console
from rich.table import Table

from ior_tools.bytecode import (
    FUNCTION_ROOT,
    LAMBDA_PYTHON,
    LAYER_ROOT,
    compile_as,
    imported_at_cold_start,
    lambda_interpreter,
    shown_paths,
)
from ior_tools.paths import REPO_ROOT
from ior_tools.runtime.lambda_python import UNSHIPPED

# Lambda's python3.12 runtime (`LAMBDA_PYTHON`) runs on Amazon Linux 2023 (glibc 2.34). python3.11
# runs on Amazon Linux 2 (glibc 2.26), where the locked numpy (manylinux_2_28 wheels only) cannot load.
LAMBDA_PLATFORM = "x86_64-manylinux_2_34"
# The Lambda runtime ships the AWS SDK; shipping our own would only add 30 MB.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
# Never in a function: too large for the limit, and no service reads Arrow.
NEVER_SHIPPED = frozenset(UNSHIPPED)
DATA_LAYER = "data-layer"
# A service that depends on pandas takes these from the data layer instead of its own zip.
DATA_LAYER_ANCHOR = "pandas"
DATA_LAYER_DISTRIBUTIONS = frozenset({"numpy", "pandas", "python-dateutil", "six", "tzdata"})
# Lambda's limit on a function's unzipped code with all its layers.
UNZIPPED_LIMIT = 250 * 1024 * 1024
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Bookkeeping of the cache and of uv's target installs, not code.
NOT_SHIPPED_FILES = frozenset({".complete", ".lock"})

DIST = REPO_ROOT / "dist" / "lambda"
CACHE = REPO_ROOT / ".ior" / "cache" / "lambda"


def uv() -> list[str]:
    """uv from PATH, else as a module of this interpreter (as the Makefile installs it)."""
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


class PackagingError(RuntimeError):
    """An artifact could not be built: export, install or the layer's pins disagree."""


@dataclass(frozen=True)
class Requirement:
    name: str  # normalised distribution name
    line: str  # as `uv export` wrote it, with its pin and markers


@dataclass(frozen=True)
class Artifact:
    name: str
    zip_path: Path
    zipped_bytes: int
    unzipped_bytes: int
    layers: tuple[str, ...] = ()
    compiled: int = 0  # modules shipped with their byte code


def normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def parse_requirements(text: str) -> list[Requirement]:
    """Pinned lines of a `uv export` requirements file (comments, hashes and options dropped)."""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "-")):
            continue
        name = line.split(";")[0].split("==")[0].split("[")[0]
        found.append(Requirement(normalise(name), line))
    return found


def export_requirements(service: str, root: Path = REPO_ROOT) -> list[Requirement]:
    """The service's locked runtime dependencies, without the workspace's own packages."""
    command = [
        *uv(),
        "export",
        "--package",
        f"ior-{service}",
        "--no-dev",
        "--frozen",
        "--no-emit-workspace",
        "--no-hashes",
        "--no-header",
        "--no-annotate",
        "--format",
        "requirements.txt",
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PackagingError(f"uv export for {service} failed: {done.stderr.strip()}")
    return parse_requirements(done.stdout)


@dataclass(frozen=True)
class Plan:
    """What goes where: each service's own requirements, and the shared layer's."""

    own: dict[str, list[Requirement]]
    layer: list[Requirement]
    layer_users: tuple[str, ...]
    runtime: list[Requirement]  # what the runtime provides: on the path only to import the handlers


def plan(exported: dict[str, list[Requirement]]) -> Plan:
    own: dict[str, list[Requirement]] = {}
    layers: dict[str, list[Requirement]] = {}
    runtime = {r.name: r for rs in exported.values() for r in rs if r.name in RUNTIME_PROVIDED}
    for service, requirements in exported.items():
        shipped = [r for r in requirements if r.name not in RUNTIME_PROVIDED | NEVER_SHIPPED]
        if any(r.name == DATA_LAYER_ANCHOR for r in shipped):
            layers[service] = [r for r in shipped if r.name in DATA_LAYER_DISTRIBUTIONS]
            shipped = [r for r in shipped if r.name not in DATA_LAYER_DISTRIBUTIONS]
        own[service] = shipped
    # One lock, so every user pins the layer alike; a difference means the lock was bypassed.
    distinct = {tuple(r.line for r in layer) for layer in layers.values()}
    if len(distinct) > 1:
        raise PackagingError(f"the data layer's pins differ between {sorted(layers)}: {sorted(distinct)}")
    layer = next(iter(layers.values()), [])
    return Plan(own, layer, tuple(sorted(layers)), [runtime[n] for n in sorted(runtime)])


def _uv_pip_install(target: Path, args: Sequence[str], root: Path) -> None:
    command = [
        *uv(),
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(target),
        "--python-platform",
        LAMBDA_PLATFORM,
        "--python-version",
        LAMBDA_PYTHON,
        *args,
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PackagingError(f"{' '.join(command)}: {done.stderr.strip()}")


def installed(requirements: Sequence[Requirement], cache: Path, root: Path = REPO_ROOT) -> Path:
    """The requirements installed for the Lambda platform, from the cache when built before."""
    lines = "\n".join(r.line for r in requirements) + "\n"
    key = hashlib.sha256(f"{LAMBDA_PLATFORM}|{LAMBDA_PYTHON}|{lines}".encode()).hexdigest()[:24]
    done = cache / key
    if (done / ".complete").exists():
        return done
    building = cache / f"{key}.partial"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    if requirements:
        (building.parent / f"{key}.txt").write_text(lines)
        _uv_pip_install(building, ["--only-binary", ":all:", "-r", str(building.parent / f"{key}.txt")], root)
    _tidy(building)
    (building / ".complete").write_text(lines)
    shutil.rmtree(done, ignore_errors=True)
    building.rename(done)
    return done


def _tidy(tree: Path) -> None:
    """Byte code an install left is dropped (it is compiled for Lambda's Python, `bytecode`); the
    `bin/` scripts are never run in Lambda."""
    for cache_dir in sorted(tree.rglob("__pycache__")):
        shutil.rmtree(cache_dir, ignore_errors=True)
    shutil.rmtree(tree / "bin", ignore_errors=True)


def write_zip(source: Path, destination: Path, prefix: str = "") -> None:
    """A deterministic zip of `source`'s files."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.name not in NOT_SHIPPED_FILES)
    partial = destination.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(prefix + path.relative_to(source).as_posix(), date_time=ZIP_EPOCH)
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(destination)


def unzipped_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist())


def _measure(name: str, path: Path, layers: tuple[str, ...] = ()) -> Artifact:
    return Artifact(name, path, path.stat().st_size, unzipped_size(path), layers)


def _requirements_file(path: Path, requirements: Iterable[Requirement]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{r.line}\n" for r in requirements))


@dataclass(frozen=True)
class Compiler:
    """Lambda's Python and what the runtime provides beside the artifacts (the AWS SDK)."""

    python: Path
    runtime: Path


def handler_modules(service: str) -> list[str]:
    """The modules of the service's declared handlers: its functions' cold starts import them."""
    declared = load_topology().service(service)
    handlers = [s.handler for s in declared.subscriptions] + [e.handler for e in declared.entrypoints]
    return sorted({h.split(":")[0] for h in handlers})


def build_service(
    service: str,
    requirements: Sequence[Requirement],
    layers: tuple[str, ...],
    dist: Path,
    cache: Path,
    root: Path = REPO_ROOT,
    *,
    compiler: Compiler | None = None,
    layer: Path | None = None,
) -> tuple[Artifact, list[Path]]:
    """The service's artifact, and the files of `layer` (a staged layer's `python/`) its handlers
    import at cold start."""
    deps = installed(requirements, cache, root)
    staging = dist / service / "build"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(deps, staging)
    # The workspace's own packages, built as wheels so their metadata and data files come along.
    _uv_pip_install(staging, [str(root / "contracts"), str(root / "services" / service)], root)
    _tidy(staging)
    compiled, from_layer = 0, []
    if compiler is not None:
        roots = [staging, *([layer] if layer is not None else []), compiler.runtime]
        imported = imported_at_cold_start(compiler.python, roots, handler_modules(service))
        own = shown_paths(imported, staging, FUNCTION_ROOT)
        compile_as(compiler.python, own)
        compiled = len(own)
        from_layer = [f for f in imported if layer is not None and f.is_relative_to(layer)]
    zip_path = dist / service / f"{service}.zip"
    write_zip(staging, zip_path)
    shutil.rmtree(staging)
    _requirements_file(dist / service / "requirements.txt", requirements)
    return replace(_measure(service, zip_path, layers), compiled=compiled), from_layer


def stage_layer(requirements: Sequence[Requirement], dist: Path, cache: Path, root: Path = REPO_ROOT) -> Path:
    """The layer's `python/` folder, staged from the cache so byte code can be added to it."""
    staging = dist / DATA_LAYER / "build" / "python"
    shutil.rmtree(staging.parent, ignore_errors=True)
    shutil.copytree(installed(requirements, cache, root), staging)
    return staging


def build_layer(
    requirements: Sequence[Requirement],
    staged: Path,
    dist: Path,
    *,
    compiler: Compiler | None = None,
    imported: Sequence[Path] = (),
) -> Artifact:
    """The layer's zip, with the byte code of what its users' handlers import from it."""
    compiled = 0
    if compiler is not None:
        files = shown_paths(sorted(set(imported)), staged, LAYER_ROOT)
        compile_as(compiler.python, files)
        compiled = len(files)
    zip_path = dist / DATA_LAYER / f"{DATA_LAYER}.zip"
    # Lambda adds a layer's `python/` to the import path.
    write_zip(staged, zip_path, prefix="python/")
    shutil.rmtree(staged.parent)
    _requirements_file(dist / DATA_LAYER / "requirements.txt", requirements)
    return replace(_measure(DATA_LAYER, zip_path), compiled=compiled)


def build_all(
    services: Sequence[str] | None = None,
    dist: Path = DIST,
    cache: Path = CACHE,
    root: Path = REPO_ROOT,
    *,
    bytecode: bool = True,
) -> dict[str, Artifact]:
    """Every service's artifact (or those named) and the data layer, when any of them uses it; with
    byte code when `bytecode` and Lambda's Python is on this machine (`bytecode.lambda_interpreter`)."""
    names = list(services) if services else [s.name for s in load_topology().services]
    chosen = plan({s: export_requirements(s, root) for s in names})
    python = lambda_interpreter() if bytecode else None
    compiler = Compiler(python, installed(chosen.runtime, cache, root)) if python is not None else None
    layer = stage_layer(chosen.layer, dist, cache, root) if chosen.layer_users else None
    services_built: dict[str, Artifact] = {}
    from_layer: list[Path] = []
    for service in names:
        uses = service in chosen.layer_users
        services_built[service], imported = build_service(
            service,
            chosen.own[service],
            (DATA_LAYER,) if uses else (),
            dist,
            cache,
            root,
            compiler=compiler,
            layer=layer if uses else None,
        )
        from_layer += imported
    built: dict[str, Artifact] = {}
    if layer is not None:
        built[DATA_LAYER] = build_layer(chosen.layer, layer, dist, compiler=compiler, imported=from_layer)
    return built | services_built


def with_layers(artifact: Artifact, built: dict[str, Artifact]) -> int:
    """What the function unpacks to in Lambda: its own code and every layer it uses."""
    return artifact.unzipped_bytes + sum(built[layer].unzipped_bytes for layer in artifact.layers)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def report(built: dict[str, Artifact]) -> Table:
    table = Table(title="Lambda artifacts")
    for column in ("artifact", "zipped", "unzipped", "byte code", "layers", "with layers", "of 250 MB"):
        table.add_column(column, justify="left" if column in ("artifact", "layers") else "right")
    for name, artifact in built.items():
        total = with_layers(artifact, built)
        table.add_row(
            name,
            _mb(artifact.zipped_bytes),
            _mb(artifact.unzipped_bytes),
            f"{artifact.compiled} modules",
            ", ".join(artifact.layers) or "-",
            _mb(total),
            f"{100 * total / UNZIPPED_LIMIT:.0f}%",
        )
    return table


def package(
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Only these services (repeatable).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Where the artifacts go.")] = DIST,
) -> None:
    """Build the Lambda artifacts under dist/lambda/ and print their sizes."""
    console = Console()
    if lambda_interpreter() is None:
        console.print(
            f"[yellow]no CPython {LAMBDA_PYTHON} here (set IOR_LAMBDA_PYTHON): the artifacts ship without "
            "byte code, and every cold start compiles what it imports[/yellow]"
        )
    with console.status("building the Lambda artifacts"):
        built = build_all(service or None, dist=out)
    console.print(report(built))
    over = [n for n, a in built.items() if with_layers(a, built) > UNZIPPED_LIMIT]
    if over:
        console.print(f"[red]over Lambda's 250 MB unzipped limit: {', '.join(over)}[/red]")
        raise typer.Exit(1)


if __name__ == "__main__":
    typer.run(package)
