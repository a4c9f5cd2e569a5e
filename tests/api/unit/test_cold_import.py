"""What the API function's cold start imports: none of what it does not use (pydantic-settings'
sources, the `pydantic.v1` package FastAPI would import to ask whether a route's types are v1 models,
the event families and report contracts no route or response needs). `bench/api_cold_import.py` measures the
time; this only names the modules, which cannot flake."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

UNUSED = ("pydantic.v1", "pydantic_settings")
# Event families the HTTP function neither publishes nor answers with (their models are built by the
# functions that consume them, the projections), and the reports' contracts, which only describe
# `report.json` in the OpenAPI document (the API passes the stored bytes through unread), and the
# topology's declarations, which only the pipeline view reads (its settings need only the names).
UNUSED_CONTRACTS = (
    "ior_contracts.topology",
    "ior_contracts.etl",
    "ior_contracts.ingestion",
    "ior_contracts.customs",
    "ior_contracts.customs_report",
    "ior_contracts.compare_report",
)


@pytest.fixture(scope="module")
def imported() -> set[str]:
    """The modules a fresh interpreter holds once it has imported the function's handler module."""
    probe = "import sys, json, ior_api.entrypoints.http; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_http_function_imports_neither_pydantic_v1_nor_pydantic_settings(
    imported: set[str],
) -> None:
    # GIVEN a fresh interpreter WHEN it imports the function's handler module
    # THEN none of the unused packages was imported
    assert imported.isdisjoint(UNUSED), sorted(imported & set(UNUSED))
    assert "fastapi" in imported


def test_importing_the_http_function_builds_no_event_family_its_routes_do_not_use(
    imported: set[str],
) -> None:
    # GIVEN a fresh interpreter WHEN it imports the function's handler module
    # THEN the families only other functions consume are not imported, while the small parts the
    # responses show are (so the probe would see the families if they were pulled in)
    assert imported.isdisjoint(UNUSED_CONTRACTS), sorted(imported & set(UNUSED_CONTRACTS))
    assert {"ior_contracts.etl_parts", "ior_contracts.customs_parts"} <= imported


def test_importing_the_http_function_builds_no_route() -> None:
    # GIVEN a fresh interpreter that counts the route states FastAPI builds
    probe = (
        "import fastapi.routing as r\n"
        "built = []\n"
        "populate = r._populate_api_route_state\n"
        "r._populate_api_route_state = lambda *a, **k: (built.append(a[1]), populate(*a, **k))[1]\n"
        "import ior_api.entrypoints.http\n"
        "from ior_api.entrypoints.web.openapi import document\n"
        "before = len(built)\n"
        "paths = len(document()['paths'])\n"
        "print(before, len(built), paths)\n"
    )
    # WHEN it imports the function's handler module, then asks for the OpenAPI document
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    at_import, after_document, paths = map(int, done.stdout.split())
    # THEN the import built none (each route is built once, when its router is first matched or the
    # document asked for), and the document built them all
    assert at_import == 0
    assert after_document >= paths > 20


def test_what_the_http_function_imports_is_kept_out_of_the_collectors_passes() -> None:
    # GIVEN a fresh interpreter WHEN it imports the function's handler module
    probe = "import gc, ior_api.entrypoints.http; print(gc.get_freeze_count(), len(gc.get_objects()))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    frozen, collected = map(int, done.stdout.split())
    # THEN the objects it built are frozen (tens of thousands: FastAPI's, pydantic's, the contracts'),
    # and the collector's generations hold next to nothing to walk on every full pass
    assert frozen > 20_000
    assert collected < frozen / 100


def test_importing_the_http_function_builds_no_body_until_it_is_used() -> None:
    # GIVEN a fresh interpreter that counts the request and response bodies whose validators are built
    probe = (
        "import json, ior_api.entrypoints.http\n"
        "from pydantic import BaseModel\n"
        "from ior_api.entrypoints.web import explained, schemas\n"
        "from ior_api.entrypoints.web.openapi import document\n"
        "bodies = [v for m in (schemas, explained) for v in vars(m).values()\n"
        "          if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == m.__name__]\n"
        "at_import = sum(b.__pydantic_complete__ for b in bodies)\n"
        "paths = len(document()['paths'])\n"
        "user = schemas.UserPublic.model_validate({'username': 'ana', 'role': 'admin'})\n"
        "built = schemas.UserPublic.__pydantic_complete__\n"
        "print(json.dumps([len(bodies), at_import, paths, built, user.active]))\n"
    )
    # WHEN it imports the function's handler module, documents the routes and validates one body
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    bodies, at_import, paths, user_built, active = json.loads(done.stdout.strip().splitlines()[-1])
    # THEN the import built none of the bodies, the document still names every route, and a body is
    # built, with its defaults, when it is first used
    assert bodies > 50
    assert at_import == 0
    assert paths > 20
    assert (user_built, active) == (True, True)
