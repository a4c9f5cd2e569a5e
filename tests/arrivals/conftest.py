"""The operator commands' console, one line per message as in their own tests."""

from __future__ import annotations

from tests.ops.conftest import wide

__all__ = ["wide"]
