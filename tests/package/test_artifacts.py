"""Every Lambda fits: each function's artifact with its layers within Lambda's 250 MB unzipped, the
API's within 30 MB and without pandas or numpy. Each holds its own service and the contracts, and
neither another service nor what the Lambda runtime already has; and the byte code of what its
handlers import, so a cold start compiles none of it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from ior_contracts.topology import load_topology
from ior_infra.settings import DATA_LAYER
from ior_tools import packaging
from ior_tools.bytecode import BytecodeError, imported_at_cold_start, lambda_interpreter
from ior_tools.paths import REPO_ROOT

pytestmark = pytest.mark.timeout(600)

MB = 1024 * 1024
API_LIMIT = 30 * MB
SERVICES = [s.name for s in load_topology().services]


def _top_level(artifact: packaging.Artifact) -> set[str]:
    with zipfile.ZipFile(artifact.zip_path) as archive:
        return {name.split("/")[0] for name in archive.namelist()}


def _names(artifact: packaging.Artifact) -> set[str]:
    with zipfile.ZipFile(artifact.zip_path) as archive:
        return set(archive.namelist())


def test_every_service_has_an_artifact(built: dict[str, packaging.Artifact]) -> None:
    assert set(built) == {*SERVICES, DATA_LAYER}


@pytest.mark.parametrize("service", SERVICES)
def test_each_function_fits_lambdas_limit_with_its_layers(
    built: dict[str, packaging.Artifact], service: str
) -> None:
    total = packaging.with_layers(built[service], built)
    assert total <= packaging.UNZIPPED_LIMIT, f"{service}: {total / MB:.1f} MB unzipped with its layers"


def test_api_is_small_and_carries_no_pandas(built: dict[str, packaging.Artifact]) -> None:
    api = built["api"]
    assert api.layers == (), "the API uses no layer"
    assert api.unzipped_bytes <= API_LIMIT, f"api: {api.unzipped_bytes / MB:.1f} MB unzipped"
    assert not _top_level(api) & {"pandas", "numpy", "pyarrow"}, "api ships a data library"


def test_api_carries_its_list_of_common_passwords(built: dict[str, packaging.Artifact]) -> None:
    # Package data: the password policy reads it at run time, with no network.
    assert "ior_api/domain/auth/common_passwords.txt" in _names(built["api"])


@pytest.mark.parametrize("service", SERVICES)
def test_each_artifact_holds_its_service_and_the_contracts_only(
    built: dict[str, packaging.Artifact], service: str
) -> None:
    top = _top_level(built[service])
    assert {f"ior_{service}", "ior_contracts"} <= top, service
    others = {f"ior_{s}" for s in SERVICES if s != service} | {"ior_tools", "ior_infra"}
    assert not top & others, f"{service} ships {sorted(top & others)}"
    # The runtime has the AWS SDK; Arrow is never shipped.
    assert not top & {"boto3", "botocore", "s3transfer", "pyarrow"}, service


@pytest.mark.parametrize("service", SERVICES)
def test_each_artifact_ships_the_contracts_and_its_service_as_they_are_in_the_tree(
    built: dict[str, packaging.Artifact], service: str
) -> None:
    # A module changed or a data file added since the last build ships as it is now, not as it was.
    trees = {
        "ior_contracts": REPO_ROOT / "contracts" / "src",
        f"ior_{service}": REPO_ROOT / "services" / service / "src",
    }
    with zipfile.ZipFile(built[service].zip_path) as archive:
        shipped = set(archive.namelist())
        for package, src in trees.items():
            for path in sorted((src / package).rglob("*")):
                if not path.is_file() or "__pycache__" in path.parts:
                    continue
                name = path.relative_to(src).as_posix()
                assert name in shipped, f"{service} lacks {name}"
                assert archive.read(name) == path.read_bytes(), f"{service} ships a stale {name}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_declared_handler_is_in_its_artifact(built: dict[str, packaging.Artifact], service: str) -> None:
    declared = load_topology().service(service)
    handlers = [sub.handler for sub in declared.subscriptions] + [e.handler for e in declared.entrypoints]
    names = _names(built[service])
    for handler in handlers:
        module = handler.split(":")[0].replace(".", "/")
        assert f"{module}.py" in names, f"{service}: {handler} is not in its artifact"


def test_the_services_declaring_the_data_layer_are_the_ones_packaged_with_it(
    built: dict[str, packaging.Artifact],
) -> None:
    users = {name for name, a in built.items() if DATA_LAYER in a.layers}
    assert users == {s.name for s in load_topology().services if s.data_layer}
    names = _names(built[DATA_LAYER])
    assert all(n.startswith("python/") for n in names), "a layer's code goes under python/"
    assert {"python/pandas/__init__.py", "python/numpy/__init__.py"} <= names
    for service in users:
        assert not _top_level(built[service]) & {"pandas", "numpy"}, f"{service} duplicates the layer"


def test_artifacts_are_byte_identical_when_rebuilt(tmp_path: Path) -> None:
    first = packaging.build_all(["api"], dist=tmp_path / "first")["api"]
    again = packaging.build_all(["api"], dist=tmp_path / "again")["api"]
    assert again.zip_path.read_bytes() == first.zip_path.read_bytes()


LAMBDA_PYTHON = lambda_interpreter()
needs_lambda_python = pytest.mark.skipif(
    LAMBDA_PYTHON is None, reason="no CPython 3.12 here to compile byte code for Lambda with"
)


@needs_lambda_python
@pytest.mark.parametrize("service", SERVICES)
def test_a_cold_start_compiles_nothing_of_the_artifact_or_its_layer(
    built: dict[str, packaging.Artifact], service: str, tmp_path: Path
) -> None:
    assert LAMBDA_PYTHON is not None
    artifact = built[service]
    roots = [tmp_path / "task"]
    with zipfile.ZipFile(artifact.zip_path) as archive:
        archive.extractall(roots[0])
    for layer in artifact.layers:
        with zipfile.ZipFile(built[layer].zip_path) as archive:
            archive.extractall(tmp_path / "opt")
        roots.append(tmp_path / "opt" / "python")
    runtime = packaging.installed(
        packaging.plan({service: packaging.export_requirements(service)}).runtime, packaging.CACHE
    )
    # The probe that chose what to compile, on the unpacked artifact: what it compiles from source
    # now is what a cold start would.
    compiled = [
        f
        for f in imported_at_cold_start(LAMBDA_PYTHON, [*roots, runtime], packaging.handler_modules(service))
        if not f.is_relative_to(runtime)
    ]
    assert compiled == [], f"{service}: compiled at cold start: {compiled[:5]}"
    assert artifact.compiled > 0


@needs_lambda_python
def test_the_byte_code_is_hash_based_and_names_the_paths_lambda_gives(
    built: dict[str, packaging.Artifact],
) -> None:
    with zipfile.ZipFile(built["api"].zip_path) as archive:
        pyc = archive.read("ior_api/entrypoints/__pycache__/http.cpython-312.pyc")
    # PEP 552: flags 0b01 is a hash-based pyc whose source is never checked.
    assert int.from_bytes(pyc[4:8], "little") == 0b01
    assert b"/var/task/ior_api/entrypoints/http.py" in pyc
    with zipfile.ZipFile(built[DATA_LAYER].zip_path) as archive:
        layer_pyc = archive.read("python/pandas/__pycache__/__init__.cpython-312.pyc")
    assert b"/opt/python/pandas/__init__.py" in layer_pyc


def test_a_lambda_python_asked_for_must_be_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOR_LAMBDA_PYTHON", "python3.11")
    lambda_interpreter.cache_clear()
    try:
        with pytest.raises(BytecodeError, match=r"IOR_LAMBDA_PYTHON=python3\.11 is not a CPython 3\.12"):
            lambda_interpreter()
    finally:
        lambda_interpreter.cache_clear()
