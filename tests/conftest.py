"""Marks every test that uses a local stack `stack` (see `tests.support.stack.stack_fixture`), and
nothing else: `make test-fast` runs `-m "not stack"`. The session runs pandas as the functions
have it in Lambda (`ior_tools.runtime.lambda_python`), before any test module imports it."""

from __future__ import annotations

from ior_tools.runtime.lambda_python import as_in_lambda

as_in_lambda()

import pytest  # noqa: E402

from tests.support.stack import STACK_FIXTURES  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if STACK_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.stack)
