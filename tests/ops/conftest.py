"""One local stack for the operator commands' tests: the mock SAP serving the sample company and the
official HTS export as the USITC source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ior_tools.cli import common
from ior_tools.cli.main import app
from ior_tools.runtime.stack import OUTPUTS, LocalStack
from ior_tools.sample import generate
from typer.testing import CliRunner, Result

from tests.support.stack import fast_sap, sample_company_stack, stack_fixture

FAST_SAP = fast_sap(attempts=2, retry_budget_s=5)


@pytest.fixture(scope="package")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, seed=7)
    return out


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Iterator[LocalStack]:
    with sample_company_stack(tmp_path_factory.mktemp("ior-home"), sample, FAST_SAP) as running:
        yield running


@pytest.fixture
def outputs(stack: LocalStack) -> str:
    """The stack's outputs file, as `pulumi stack output --json` gives a deployed stack's: the
    deployed-stack path of every command (`--stack local --outputs FILE`)."""
    return str(stack.report_path.with_name(OUTPUTS))


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whole rows and sentences on one line, so they can be looked for.
    for console in (common.console, common.err):
        monkeypatch.setattr(console, "_width", 300)


def ior(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    """The `ior` command line, in process, against the stack the environment points at."""
    return CliRunner().invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)
