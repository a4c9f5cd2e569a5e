"""Python as the functions have it in Lambda, for every process that runs one here.

The data functions ship without pyarrow (`packaging.NEVER_SHIPPED`, docs/decisions.md), so in
Lambda pandas keeps text as Python strings. This machine has pyarrow (a benchmark's peer needs it),
and pandas would then keep text in Arrow arrays: other code paths, other speed, a third of the
memory at a million rows. A worker of the local stack, an isolated subscription's process and the
test session call `as_in_lambda()` before they load a handler, so what runs, is tested and is
measured here is what runs in Lambda."""

from __future__ import annotations

import sys

UNSHIPPED = ("pyarrow",)
"""Packages a function never has: importing one fails, as it would in Lambda."""

TEST_TOOLS = ("hypothesis",)
"""Test tools no artifact ships, which a library imports when it finds them: pandera's data
synthesis imports hypothesis at a schema's first validation, half a second of that invocation. A
function's own process (an isolated subscription's) hides them; the test session uses them."""


def as_in_lambda() -> None:
    """Make the unshipped packages unimportable and pandas keep text as Python strings."""
    for name in UNSHIPPED:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # `import` raises ImportError
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        # pandas chose Arrow when it was imported beside pyarrow: choose again.
        pandas.options.mode.string_storage = "python"


def without_test_tools() -> None:
    """Make the test tools unimportable, as they are in every artifact."""
    for name in TEST_TOOLS:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # `import` raises ImportError
