"""The dashboard in Debian's Chromium against the real local stack: the API serving the built
frontend, the sample company's pipeline run on both paths, an operator and an admin.

The Playwright specs live in `frontend/e2e/`; this test starts what they need, passes the address
and the logins by environment, and fails with Playwright's own report when a spec fails. Every
page is checked with axe-core and photographed under `test-output/screenshots/`."""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ior_api.entrypoints.operations import UserOperations
from ior_tools.cli.pipeline import run_sample
from ior_tools.ops.target import resolve
from ior_tools.paths import FRONTEND_DIST, REPO_ROOT
from ior_tools.runtime.api_server import ApiServer
from ior_tools.sample import generate

from tests.support.stack import running_stack, stack_fixture

CHROMIUM = Path(os.environ.get("IOR_CHROMIUM", "/usr/bin/chromium"))
FRONTEND = REPO_ROOT / "frontend"
OUTPUT = REPO_ROOT / "test-output"
# Two business days keep the run short; the sample's injected disagreements fall on both.
DAYS = 2
SEED = 7


@dataclass(frozen=True)
class Dashboard:
    url: str
    logins: dict[str, str]
    failing_date: str
    disagreement: dict[str, str]
    bad_csv: Path
    good_csv: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _require_tools() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian's chromium; `make browser` installs it)")
    if shutil.which("npx") is None:
        missing.append("node and npm (Node 20.19 or later)")
    if not (FRONTEND / "node_modules" / "@playwright" / "test").is_dir():
        missing.append("frontend/node_modules (`make frontend` runs npm ci)")
    if not (FRONTEND_DIST / "index.html").is_file():
        missing.append("frontend/dist (`make frontend` builds it)")
    if missing:
        pytest.fail("the browser tests need: " + "; ".join(missing), pytrace=False)


def _injected_disagreement(manifest: dict[str, object], sample: Path) -> dict[str, str]:
    """A line-level difference the generator injected on purpose, in a critical money field, and the
    file and row its explanation must cite for the manual side's differing dataset cell."""
    for disagreement in manifest["disagreements"]:  # type: ignore[attr-defined]
        for found in disagreement["predicted_differences"]:
            if found["level"] == "line" and found["field"] in {"value", "duty"}:
                cited = _cited_row(sample, disagreement["dataset_differences"])
                return {
                    "date": found["business_date"],
                    "field": found["field"],
                    "entry": found["entry_id"],
                    "cited": cited,
                }
    raise AssertionError("the sample's manifest predicts no line-level value or duty difference")


def _cited_row(sample: Path, differences: list[dict[str, Any]]) -> str:
    """The legacy file holding the first differing cell of a dataset the explanation reads, and the
    row a spreadsheet shows that cell's row on (the header is row 1): `HTS_Code.csv row 14`."""
    for difference in differences:
        if difference["dataset"] not in {"hts-reference", "product-master", "transactions"}:
            continue
        legacy = difference["csv"]
        path = sample / legacy["source"]
        with path.open(encoding="utf-8-sig", newline="") as rows:
            for number, row in enumerate(csv.DictReader(rows), start=2):
                if all(row[column] == value for column, value in legacy["key"].items()):
                    return f"{path.name} row {number}"
    raise AssertionError("the injected disagreement differs in no dataset cell the explanation reads")


def _good_csv(sample: Path, out: Path) -> Path:
    """The sample's exchange rates as the analysts keep them: a file the upload accepts."""
    path = out / "good" / "Exchange_Rates.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sample / "legacy" / "reference" / "Exchange_Rates.csv", path)
    return path


def _bad_csv(sample: Path, out: Path) -> Path:
    """The sample's exchange rates with one rate that is not a number, on spreadsheet row 3."""
    rows = (sample / "legacy" / "reference" / "Exchange_Rates.csv").read_bytes().split(b"\r\n")
    currency, day, _ = rows[2].split(b",")
    rows[2] = b",".join([currency, day, b"not-a-rate"])
    path = out / "Exchange_Rates.csv"
    path.write_bytes(b"\r\n".join(rows))
    return path


@stack_fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    _require_tools()
    home = tmp_path_factory.mktemp("ior-home")
    sample = home / "sample"
    generate(sample, seed=SEED, days=DAYS, fiscal_year_boundary=False)
    manifest = json.loads((sample / "manifest.json").read_text())
    with running_stack(home, sap_data=sample / "sap") as stack:
        # The edge before the deployed http function (its environment, its role).
        api = ApiServer(_free_port(), dashboard=FRONTEND_DIST, stack=stack)
        url = api.start()
        try:
            users = UserOperations(stack.client, stack.naming.table("api"))
            logins = {"operator": "olga", "admin": "ada"}
            passwords = {name: secrets.token_urlsafe(12) for name in logins.values()}
            for role, name in logins.items():
                users.add(name, passwords[name], role)
            compared = run_sample(resolve(stack.stage), sample, wait=90)
            assert compared, "the sample company's pipeline did not compare every business day"
            # The API's own subscriptions (read models, alerts) finish after the comparisons.
            stack.wait_idle()
            disagreement = _injected_disagreement(manifest, sample)
            yield Dashboard(
                url=url,
                logins={**logins, **{f"{n}:password": p for n, p in passwords.items()}},
                failing_date=disagreement["date"],
                disagreement=disagreement,
                bad_csv=_bad_csv(sample, home),
                good_csv=_good_csv(sample, home),
            )
        finally:
            api.stop()


@pytest.mark.timeout(360)
def test_dashboard_in_chromium(dashboard: Dashboard) -> None:
    # GIVEN the stack serving the dashboard, WHEN the Playwright specs run in Chromium
    operator, admin = dashboard.logins["operator"], dashboard.logins["admin"]
    env = {
        **os.environ,
        "IOR_BASE_URL": dashboard.url,
        "IOR_CHROMIUM": str(CHROMIUM),
        "IOR_TEST_OUTPUT": str(OUTPUT),
        "IOR_OPERATOR_USER": operator,
        "IOR_OPERATOR_PASSWORD": dashboard.logins[f"{operator}:password"],
        "IOR_ADMIN_USER": admin,
        "IOR_ADMIN_PASSWORD": dashboard.logins[f"{admin}:password"],
        "IOR_FAILING_DATE": dashboard.failing_date,
        "IOR_DISAGREEMENT_FIELD": dashboard.disagreement["field"],
        "IOR_DISAGREEMENT_ENTRY": dashboard.disagreement["entry"],
        "IOR_DISAGREEMENT_CITED": dashboard.disagreement["cited"],
        "IOR_BAD_CSV": str(dashboard.bad_csv),
        "IOR_GOOD_CSV": str(dashboard.good_csv),
        "CI": "1",
    }
    shutil.rmtree(OUTPUT / "screenshots", ignore_errors=True)
    started = time.monotonic()
    run = subprocess.run(
        ["npx", "--no-install", "playwright", "test"],
        cwd=FRONTEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    took = time.monotonic() - started
    # THEN every spec passed: the scenario, axe on every page, a screenshot of each
    assert run.returncode == 0, f"Playwright failed after {took:.0f} s:\n{run.stdout}\n{run.stderr}"
    # Each journey's time, for `pytest -rP` and the test's budget.
    print(f"Playwright passed in {took:.0f} s:\n{run.stdout}")
    shots = sorted(p.name for p in (OUTPUT / "screenshots").glob("*.png"))
    # The operator's and admin's journeys at the desk size; health, cutover, the lines search and
    # the uploads (four states) at both sizes.
    assert len(shots) >= 38, f"screenshots missing under {OUTPUT / 'screenshots'}: {shots}"
