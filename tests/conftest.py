"""Marks every test that uses a local stack `stack` (see `tests.support.stack.stack_fixture`), and
nothing else: `make test-fast` runs `-m "not stack"`."""

from __future__ import annotations

import pytest

from tests.support.stack import STACK_FIXTURES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if STACK_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.stack)
